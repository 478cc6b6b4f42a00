"""Terminal views that fit 80 columns: one claim explained, one article annotated."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from checker.base.claims import LocatedClaim
from checker.base.errors import UsageError
from checker.findings.results import ArticleReport, ClaimReport, Evidence, Report, competing
from checker.judgement.mention_rules import BY_CODE
from checker.review.authoring import example_holds, example_verdict

WIDTH = 80
STATUS_MARK = {"supported": "+", "contradicting": "!", "stray": "?", "unsupported": "."}


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _marked(evidence: Evidence) -> str:
    """Return the evidence sentence with the matched text in »guillemets«."""
    before, match, after = evidence.marked()
    return f"{before}»{match}«{after}" if match else before


def _find_claim(report: Report, claim_id: str) -> ClaimReport:
    found = next((c for c in report.claims if c.id == claim_id), None)
    if found is None:
        known = ", ".join(c.id for c in report.claims)
        raise UsageError(f"no claim {claim_id!r}; known claims: {known}")
    return found


def _rule_label(code: str) -> str:
    rule = BY_CODE.get(code)
    return rule.label if rule else code


def _trace(evidence: Evidence) -> str:
    """Say why a mention does not count: its role and the deciding rule's code and name."""
    return f"{evidence.role}: {_rule_label(evidence.rule)}" if evidence.rule else evidence.role


def _competing(evidence: Sequence[Evidence], one: Evidence) -> str:
    rivals = competing(evidence, one)
    return f", competing with {', '.join(rivals)}" if rivals else ""


def _dim(line: str, dim: bool) -> str:
    return f"\x1b[2m{line}\x1b[0m" if dim and line.strip() else line


def explain(
    report: Report, located: LocatedClaim | None, claim_id: str, *, dim: bool = False
) -> str:
    """Explain one claim: its values, every article's verdict with evidence, waivers, examples.

    Mentions that do not count (another occasion, a source, dropped) are listed with the rule
    that decided them, dimmed when `dim` is on.
    """
    claim = _find_claim(report, claim_id)
    lines = [f"{claim.id} ({claim.kind}, {claim.status.value}, severity {claim.severity.value})"]
    lines += _wrap(claim.question)
    lines.append(f"  defined at {claim.path}:{claim.line}:{claim.column}")
    if claim.expected:
        lines += _wrap(f"verified answer: {', '.join(claim.expected)}")
    lines.append("values:")
    for value, aliases in claim.values.items():
        lines += _wrap(f"{value}: {', '.join(aliases)}", "      ", "  - ")
    lines.append("verdicts:")
    for verdict in claim.cells:
        said = ", ".join(verdict.asserted) + (
            f"; not {', '.join(verdict.denied)}" if verdict.denied else ""
        )
        lines += _wrap(
            f"{verdict.article}: {verdict.verdict.value}{': ' + said if said else ''}",
            "    ",
            "  - ",
        )
        for e in verdict.evidence:
            flags = "".join(
                f" [{f}]"
                for f, on in (
                    ("negated", e.negated),
                    ("hedged", e.hedged),
                    ("provisional", e.provisional),
                    ("confusable", e.confusable),
                )
                if on
            )
            if not e.counts:
                flags += f" [{_trace(e)}{_competing(verdict.evidence, e)}]"
            wrapped = _wrap(
                f"{verdict.path}:{e.line}:{e.column}{flags} {_marked(e)}", "        ", "      "
            )
            lines += [_dim(line, dim) for line in wrapped] if not e.counts else wrapped
    scope = f" (scope: {', '.join(claim.scope)})" if claim.scope else ""
    lines.append(f"  - {claim.silent} of {claim.in_scope} articles in scope are silent{scope}")
    if claim.discounted:
        counted = ", ".join(f"{n} by {_rule_label(code)}" for code, n in claim.discounted.items())
        lines += _wrap(f"mentions discounted: {counted}", "    ", "  - ")
    findings = [f for f in report.findings if f.claim == claim.id]
    lines.append("findings:" if findings else "findings: none")
    for f in findings:
        state = f" [waived: {f.waiver_reason}]" if f.waived else ""
        lines += _wrap(
            f"{f.severity.value if f.severity else ''} {f.kind.value}{state}: {f.message}",
            "    ",
            "  - ",
        )
    if located is not None and located.claim.examples:
        lines.append("examples:")
        for label, sentences in located.claim.examples.items():
            for sentence in sentences:
                asserted, denied = example_verdict(located, sentence)
                ok = example_holds(located, label, asserted, denied)
                lines += _wrap(f"{'ok' if ok else 'FAILS'} {label}: {sentence}", "      ", "  - ")
    return "\n".join(lines) + "\n"


def _find_article(report: Report, name: str) -> ArticleReport:
    found = next((a for a in report.articles if name in (a.id, a.path)), None)
    if found is None:
        known = ", ".join(a.id for a in report.articles)
        raise UsageError(f"no article {name!r}; known articles: {known}")
    return found


def show(report: Report, name: str, *, dim: bool = False) -> str:
    """Show one article's sentences annotated with their status, claims and discounted mentions."""
    article = _find_article(report, name)
    uncounted: dict[int, list[str]] = {}
    for claim in report.claims:
        for cell in claim.cells:
            if cell.article != article.id:
                continue
            for e in cell.evidence:
                if not e.counts:
                    note = f"{claim.id} {e.value!r} {_trace(e)}"
                    uncounted.setdefault(e.sentence_index, []).append(note)
    lines = [
        article.title,
        f"{article.path}: {article.supported} supported, {article.stray} stray, "
        f"{article.unsupported} unsupported",
        "legend: + supported  ! contradicting  ? stray  . unsupported",
        "",
    ]
    for sentence in article.sentences:
        mark = STATUS_MARK[sentence.status.value]
        head = f"{mark} {sentence.line}:{sentence.column} "
        lines += _wrap(sentence.text, " " * len(head), head)
        notes = []
        if sentence.claims:
            notes.append("claims: " + ", ".join(sentence.claims))
        if sentence.novel_terms:
            notes.append("off-topic: " + ", ".join(sentence.novel_terms))
        if sentence.negated:
            notes.append("negated")
        if sentence.hedged:
            notes.append("hedged")
        if notes:
            lines += _wrap("; ".join(notes), " " * (len(head) + 2), " " * len(head) + "[")
            lines[-1] += "]"
        for note in uncounted.get(sentence.index, []):
            wrapped = _wrap(f"not counted: {note}", " " * (len(head) + 2), " " * len(head) + "- ")
            lines += [_dim(line, dim) for line in wrapped]
    return "\n".join(lines) + "\n"
