"""The pull-request comment: true totals, the result, findings errors first, under a size limit.

GitHub refuses a comment over 65,536 characters. When the findings do not all fit, the most
severe are listed first and the comment states exactly how many of each severity it leaves out;
the totals are always those of the whole run.
"""

from __future__ import annotations

from collections import Counter

from checker.base.claims import Severity
from checker.findings.results import Finding
from checker.findings.rules import RULES, FindingKind
from checker.formats.context import RenderContext
from checker.formats.environment import environment

MARKDOWN_LIMIT = 60_000  # GitHub's 65,536, less room for what a CI step adds around it
SEVERITIES = sorted(Severity, key=lambda level: -level.rank)  # error, warning, info
_KIND_ORDER = {kind: number for number, kind in enumerate(RULES)}
# No finding's line is shorter than this ("- `p:1` **info** m"), so no more than the limit over
# this many findings can fit: the search for how many fit starts there, not at every finding.
_SHORTEST_LINE = 16


def _severity_first(finding: Finding) -> tuple[int, int, tuple[str, int, int, str, str, str, str]]:
    return -finding.severity.rank, _KIND_ORDER[finding.kind], finding.sort_key()


def totals(context: RenderContext) -> Counter[tuple[Severity, FindingKind]]:
    """Return how many findings of each severity and kind the run has, listed or not."""
    report = context.report
    counted = Counter((f.severity, f.kind) for f in report.findings)
    listed = Counter(f.kind for f in report.findings)
    for kind in RULES:
        # Findings the report counts but does not list are info-level sentence findings.
        unlisted = report.summary.count(kind.value) - listed[kind]
        if unlisted > 0:
            counted[Severity.INFO, kind] += unlisted
    return counted


def render(context: RenderContext) -> str:
    """Render the pull-request comment, cut by severity to stay under the size limit."""
    template = environment().get_template("report.md.j2")
    findings = sorted(context.report.findings, key=_severity_first)
    total = totals(context)
    by_severity: Counter[Severity] = Counter()
    for (level, _), count in total.items():
        by_severity[level] += count

    def render_first(shown: int) -> str:
        listed = findings[:shown]
        shown_counts = Counter((f.severity, f.kind) for f in listed)
        sections = [
            (
                level,
                [
                    (RULES[kind], [f for f in listed if f.severity is level and f.kind is kind])
                    for kind in RULES
                    if total[level, kind]
                ],
            )
            for level in SEVERITIES
            if by_severity[level]
        ]
        left_out = {
            level.value: by_severity[level]
            - sum(n for (s, _), n in shown_counts.items() if s is level)
            for level in SEVERITIES
        }
        return template.render(
            ctx=context,
            sections=sections,
            total=total,
            left_out={level: n for level, n in left_out.items() if n},
            limit=MARKDOWN_LIMIT,
        )

    text = render_first(len(findings))
    if len(text) <= MARKDOWN_LIMIT:
        return text
    # Binary search for the most findings (most severe first) that fit under the limit.
    low, high = 0, min(len(findings), MARKDOWN_LIMIT // _SHORTEST_LINE)
    while low < high:
        middle = (low + high + 1) // 2
        if len(render_first(middle)) <= MARKDOWN_LIMIT:
            low = middle
        else:
            high = middle - 1
    return render_first(low)
