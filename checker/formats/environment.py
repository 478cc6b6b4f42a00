"""The one Jinja environment: package templates, autoescaped HTML, strict, explicit filters."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlparse

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from checker.base.files import printable
from checker.findings.results import Evidence, Finding, SentenceReport, competing
from checker.judgement.mention_rules import BY_CODE

_ANSI = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m", "ok": "\033[32m"}


def paint(text: str, tone: str, enabled: bool) -> str:
    """Colour text for a terminal, only when colour is enabled."""
    return f"{_ANSI[tone]}{text}\033[0m" if enabled and tone in _ANSI else text


def annotate(sentence: SentenceReport, evidence: list[Evidence]) -> Markup:
    """Return a sentence, escaped, with its mentions and novel terms marked up."""
    text = sentence.text
    spans: list[tuple[int, int, Markup, Markup, bool]] = []
    after = 0  # where a mention on a later line of a wrapped sentence is looked for
    for item in sorted(evidence, key=lambda e: (e.line, e.column)):
        if item.line == sentence.line:
            start, end = item.column - sentence.column, item.end_column - sentence.column
        elif item.line > sentence.line:
            # Columns count on the mention's own file line: find its text in the sentence,
            # in order, past the mentions before it.
            start = text.find(item.text, after)
            if start < 0:
                continue
            end = start + len(item.text)
        else:
            continue
        after = max(after, start)
        flags = (
            ("not", item.negated),
            ("hedged", item.hedged),
            ("provisional", item.provisional),
            ("lookalike letters", item.confusable),
        )
        tags = [t for t, on in flags if on]
        label = Markup(" ").join(Markup('<span class="tag">{}</span>').format(t) for t in tags)
        title = item.value + (f" ({', '.join(tags)})" if tags else "")
        css = ["mention", *(f"m-{t}" for t in tags)]
        if not item.counts:
            title = f"{item.value}: {trace(item)}"
            css.append("m-discounted" if item.discounted else "m-other")
        opening = Markup('<mark class="{}" title="{}">').format(" ".join(css), title)
        spans.append((start, end, opening, Markup("</mark>") + label, item.discounted))
    for term in sentence.novel_terms:
        at = text.find(term)
        if at >= 0:
            novel = (Markup('<span class="novel">'), Markup("</span>"))
            spans.append((at, at + len(term), *novel, False))
    pieces: list[Markup] = []
    position = 0
    # At one place a counted mention wins over a discarded one, so the trace never hides it.
    for start, end, opening, closing, _ in sorted(spans, key=lambda s: (s[0], -s[1], s[4])):
        if start < position or end > len(text):
            continue  # overlapping spans: the first (longest) one wins
        pieces += [escape(text[position:start]), opening, escape(text[start:end]), closing]
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def trace(evidence: Evidence) -> str:
    """Say why a mention does not count: its role and the rule that decided it, summarised."""
    rule = BY_CODE.get(evidence.rule)
    if rule is None:
        return evidence.role
    return f"{evidence.role}, by {rule.label}: {rule.summary}"


def location(item: Finding | Evidence, path: str | None = None) -> str:
    """Return `path:line:column` of a finding or a piece of evidence."""
    return f"{path or getattr(item, 'path', '')}:{item.line}:{item.column}"


def highlight(evidence: Evidence) -> Markup:
    """Return the evidence sentence, escaped, with the matched text marked."""
    before, match, after = evidence.marked()
    if not match:
        return escape(before)
    return Markup("{}<mark>{}</mark>{}").format(before, match, after)


def safe_url(url: str) -> str | None:
    """Return a URL only when it is http(s), so a source can never run script."""
    return url if urlparse(url).scheme in ("http", "https") else None


def md(text: object) -> str:
    """Escape text for a Markdown table cell or list item (no HTML, no pipes, one line).

    An @ gets a word joiner after it, so a PR comment quoting an article notifies nobody.
    """
    value = str(text).replace("\r", " ").replace("\n", " ")
    for char in "\\`*_{}[]<>|#!":
        value = value.replace(char, "\\" + char)
    return value.replace("@", "@\u2060")


def md_code(text: object) -> str:
    """Return text as a Markdown code span: literal inside, and no backtick to break out."""
    return "`" + printable(str(text)).replace("`", "\u02cb") + "`"


@cache  # ids and claim ids recur on every page of a report
def anchor(text: str) -> str:
    """Return text usable in an HTML id."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


@cache
def environment() -> Environment:
    """Return the one Jinja environment."""
    env = Environment(
        loader=PackageLoader("checker", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        location=location,
        highlight=highlight,
        safe_url=safe_url,
        md=md,
        code=md_code,
        anchor=anchor,
        paint=paint,
        annotate=annotate,
        term=printable,
        trace=trace,
        competing=competing,
    )
    return env
