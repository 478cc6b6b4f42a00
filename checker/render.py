"""Render a report in each output format: one pure function per format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from urllib.parse import urlparse

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from checker import machine
from checker.claims import Severity
from checker.engine import scope_covers
from checker.results import (
    ArticleReport,
    BoilerplateLine,
    ClaimReport,
    Evidence,
    Finding,
    FindingKind,
    Report,
    SentenceReport,
    Verdict,
)

MARKDOWN_LIMIT = 60_000


class OutputFormat(StrEnum):
    """The formats a report can be rendered in."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    GITLAB = "gitlab"
    CLAIMREVIEW = "claimreview"


# Past this many cells the claim × article matrix is left out: it is too big to read or load.
MATRIX_CELLS = 20_000


@dataclass(frozen=True)
class ReaderItem:
    """One line of the article reader: a sentence or a dropped boilerplate line."""

    line: int
    column: int
    sentence: SentenceReport | None = None
    boilerplate: BoilerplateLine | None = None


@dataclass(frozen=True)
class RenderContext:
    """Everything a template may use."""

    report: Report
    fail_on: Severity | None
    gating: list[Finding]
    report_files: list[str] = field(default_factory=list)
    elapsed_seconds: float | None = None
    evidence: dict[tuple[str, int], list[Evidence]] = field(default_factory=dict)
    color: bool = False
    changed_since: str | None = None

    def reader(self, article: ArticleReport) -> list[ReaderItem]:
        """Return an article's sentences and boilerplate lines in reading order."""
        items = [ReaderItem(s.line, s.column, sentence=s) for s in article.sentences]
        items += [ReaderItem(b.line, 1, boilerplate=b) for b in article.boilerplate]
        return sorted(items, key=lambda item: (item.line, item.column))

    def annotate(self, article: str, sentence: SentenceReport) -> Markup:
        """Return a sentence, escaped, with its mentions and novel terms marked up."""
        return _annotate(sentence, self.evidence.get((article, sentence.index), []))

    @property
    def disagreements(self) -> list[ClaimReport]:
        """Return the claims in conflict or contradicted."""
        return [c for c in self.report.claims if c.status.value in ("conflict", "contradicted")]

    def findings_of(self, *kinds: str) -> list[Finding]:
        """Return the findings of the given kinds."""
        return [f for f in self.report.findings if f.kind.value in kinds]

    def verdict(self, claim: ClaimReport, article: str) -> Verdict | None:
        """Return an article's verdict on a claim, or None when it is silent or out of scope."""
        return next((v for v in claim.verdicts if v.article == article), None)

    def in_scope(self, claim: ClaimReport, article: ArticleReport) -> bool:
        """Tell whether a claim's scope covers an article."""
        return scope_covers(tuple(claim.scope), article)

    @property
    def matrix_fits(self) -> bool:
        """Tell whether the claim × article matrix is small enough to show."""
        return len(self.report.claims) * len(self.report.articles) <= MATRIX_CELLS


def make_context(
    report: Report,
    fail_on: Severity | None,
    report_files: list[str] | None = None,
    elapsed_seconds: float | None = None,
    *,
    color: bool = False,
    changed_since: str | None = None,
) -> RenderContext:
    """Build the typed context every template renders from."""
    evidence: dict[tuple[str, int], list[Evidence]] = {}
    for claim in report.claims:
        for verdict in claim.verdicts:
            for item in verdict.evidence:
                evidence.setdefault((verdict.article, item.sentence_index), []).append(item)
    return RenderContext(
        report,
        fail_on,
        report.gating(fail_on),
        report_files or [],
        elapsed_seconds,
        evidence,
        color,
        changed_since,
    )


_ANSI = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m", "ok": "\033[32m"}


def _paint(text: str, tone: str, enabled: bool) -> str:
    """Colour text for a terminal, only when colour is enabled."""
    return f"{_ANSI[tone]}{text}\033[0m" if enabled and tone in _ANSI else text


def _annotate(sentence: SentenceReport, evidence: list[Evidence]) -> Markup:
    text = sentence.text
    spans: list[tuple[int, int, Markup, Markup]] = []
    for item in evidence:
        if item.line != sentence.line:
            continue
        start, end = item.column - sentence.column, item.end_column - sentence.column
        tags = [t for t, on in (("not", item.negated), ("hedged", item.hedged)) if on]
        label = Markup(" ").join(Markup('<span class="tag">{}</span>').format(t) for t in tags)
        title = item.value + (f" ({', '.join(tags)})" if tags else "")
        css = " ".join(["mention", *(f"m-{t}" for t in tags)])
        opening = Markup('<mark class="{}" title="{}">').format(css, title)
        spans.append((start, end, opening, Markup("</mark>") + label))
    for term in sentence.novel_terms:
        at = text.find(term)
        if at >= 0:
            spans.append((at, at + len(term), Markup('<span class="novel">'), Markup("</span>")))
    pieces: list[Markup] = []
    position = 0
    for start, end, opening, closing in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end > len(text):
            continue  # overlapping spans: the first (longest) one wins
        pieces += [escape(text[position:start]), opening, escape(text[start:end]), closing]
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def _location(item: Finding | Evidence, path: str | None = None) -> str:
    return f"{path or getattr(item, 'path', '')}:{item.line}:{item.column}"


def _highlight(evidence: Evidence) -> Markup:
    """Return the evidence sentence, escaped, with the matched text marked."""
    sentence = evidence.sentence
    at = sentence.find(evidence.text)
    if at < 0:
        return escape(sentence)
    end = at + len(evidence.text)
    return Markup("{}<mark>{}</mark>{}").format(sentence[:at], sentence[at:end], sentence[end:])


def _safe_url(url: str) -> str | None:
    """Return a URL only when it is http(s), so a source can never run script."""
    return url if urlparse(url).scheme in ("http", "https") else None


def _md_cell(text: object) -> str:
    """Escape text for a Markdown table cell or list item (no HTML, no pipes, one line)."""
    value = str(text).replace("\r", " ").replace("\n", " ")
    for char in "\\`*_{}[]<>|#!":
        value = value.replace(char, "\\" + char)
    return value


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


@cache
def environment() -> Environment:
    """Return the one Jinja environment: package templates, autoescaped, strict."""
    env = Environment(
        loader=PackageLoader("checker", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        location=_location,
        highlight=_highlight,
        safe_url=_safe_url,
        md=_md_cell,
        anchor=_anchor,
        paint=_paint,
    )
    return env


def render_text(context: RenderContext) -> str:
    """Render the terminal summary."""
    return environment().get_template("summary.txt.j2").render(ctx=context)


def render_json(context: RenderContext) -> str:
    """Render the machine-readable report."""
    # pydantic-core serialises in Rust: many times faster than json.dumps on an archive's report.
    return context.report.model_dump_json(indent=2) + "\n"


def render_markdown(context: RenderContext) -> str:
    """Render the pull-request report, truncated by severity to stay under the size limit."""
    template = environment().get_template("report.md.j2")
    findings = sorted(context.report.findings, key=_severity_first)

    def render(shown: int) -> str:
        return template.render(
            ctx=context, findings=findings[:shown], left_out=len(findings) - shown
        )

    text = render(len(findings))
    if len(text) <= MARKDOWN_LIMIT:
        return text
    # Binary search for the most findings (most severe first) that fit under the limit.
    low, high = 0, len(findings)
    while low < high:
        middle = (low + high + 1) // 2
        if len(render(middle)) <= MARKDOWN_LIMIT:
            low = middle
        else:
            high = middle - 1
    return render(low)


def _severity_first(finding: Finding) -> tuple[int, tuple[str, int, int, str, str, str, str]]:
    rank = finding.severity.rank if finding.severity else 0
    return -rank, finding.sort_key()


def render_html(context: RenderContext) -> str:
    """Render the editor's HTML report."""
    return (
        environment()
        .get_template("report.html.j2")
        .render(ctx=context, kinds=[k.value for k in FindingKind])
    )


def render_sarif(context: RenderContext) -> str:
    """Render SARIF 2.1.0 for code-scanning tools."""
    return machine.render_sarif(context.report)


def render_junit(context: RenderContext) -> str:
    """Render JUnit XML, failing the checks that gate."""
    return machine.render_junit(context.report, context.fail_on)


def render_github(context: RenderContext) -> str:
    """Render GitHub Actions annotations."""
    return machine.render_github(context.report)


def render_gitlab(context: RenderContext) -> str:
    """Render a GitLab Code Quality report."""
    return machine.render_gitlab(context.report)


def render_claimreview(context: RenderContext) -> str:
    """Render schema.org ClaimReview JSON-LD."""
    return machine.render_claimreview(context.report)


RENDERERS: dict[OutputFormat, Callable[[RenderContext], str]] = {
    OutputFormat.TEXT: render_text,
    OutputFormat.JSON: render_json,
    OutputFormat.MARKDOWN: render_markdown,
    OutputFormat.HTML: render_html,
    OutputFormat.SARIF: render_sarif,
    OutputFormat.JUNIT: render_junit,
    OutputFormat.GITHUB: render_github,
    OutputFormat.GITLAB: render_gitlab,
    OutputFormat.CLAIMREVIEW: render_claimreview,
}
REPORT_FILES: dict[OutputFormat, str] = {
    OutputFormat.HTML: "report.html",
    OutputFormat.MARKDOWN: "report.md",
    OutputFormat.JSON: "report.json",
}
