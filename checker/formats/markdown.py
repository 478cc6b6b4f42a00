"""The pull-request comment: counts, the result, findings grouped by kind, under a size limit."""

from __future__ import annotations

from checker.findings.results import Finding
from checker.formats.context import RenderContext
from checker.formats.environment import environment

MARKDOWN_LIMIT = 60_000


def _severity_first(finding: Finding) -> tuple[int, tuple[str, int, int, str, str, str, str]]:
    return -finding.severity.rank, finding.sort_key()


def render(context: RenderContext) -> str:
    """Render the pull-request report, truncated by severity to stay under the size limit."""
    template = environment().get_template("report.md.j2")
    findings = sorted(context.report.findings, key=_severity_first)

    def render_first(shown: int) -> str:
        return template.render(
            ctx=context,
            findings=findings[:shown],
            left_out=len(findings) - shown,
            limit=MARKDOWN_LIMIT,
        )

    text = render_first(len(findings))
    if len(text) <= MARKDOWN_LIMIT:
        return text
    # Binary search for the most findings (most severe first) that fit under the limit.
    low, high = 0, len(findings)
    while low < high:
        middle = (low + high + 1) // 2
        if len(render_first(middle)) <= MARKDOWN_LIMIT:
            low = middle
        else:
            high = middle - 1
    return render_first(low)
