"""Markdown report: a PR comment with a summary table, one <details> per kind, size-capped."""

from __future__ import annotations

from checker.claims import Severity
from checker.render import MARKDOWN_LIMIT, make_context, render_markdown
from checker.results import Finding, FindingKind
from tests.test_engine import location, run_check


def many_findings_report(count: int):  # type: ignore[no-untyped-def]
    report = run_check(location("expected: Almaty"), {"a": "Met in Astana.", "b": "Met in Almaty."})
    filler = [
        Finding(
            kind=FindingKind.UNSUPPORTED,
            severity=Severity.INFO,
            path="corpus/x.txt",
            line=i + 1,
            column=1,
            article="x",
            message="no claim supports this sentence: " + "z" * 300,
        )
        for i in range(count)
    ]
    return report.model_copy(update={"findings": [*report.findings, *filler]})


def test_markdown_has_a_summary_table_and_a_details_section_per_kind() -> None:
    report = run_check(
        location("expected: Almaty"), {"a": "Met in Astana. Egypt voted.", "b": "Met in Almaty."}
    )
    text = render_markdown(make_context(report, Severity.ERROR))
    assert "| conflicts | 1 |" in text
    assert "| contradictions | 1 |" in text
    sections = [line for line in text.splitlines() if line.startswith("<summary>")]
    assert sections == [
        "<summary><b>conflict</b> (1)</summary>",
        "<summary><b>contradiction</b> (1)</summary>",
        "<summary><b>stray</b> (1)</summary>",
    ]
    assert "- `corpus/a.txt:1` **error**" in text


def test_markdown_is_truncated_by_severity_and_says_how_many_were_left_out() -> None:
    report = many_findings_report(1000)
    text = render_markdown(make_context(report, Severity.ERROR))
    assert len(text) <= MARKDOWN_LIMIT
    assert "<summary><b>conflict</b> (1)</summary>" in text  # errors survive truncation
    shown = text.count("- `corpus/x.txt:")
    left_out = 1000 - shown
    assert 0 < shown < 1000
    assert f"_{left_out} lower-severity finding(s) left out" in text


def test_small_markdown_reports_are_not_truncated() -> None:
    text = render_markdown(make_context(many_findings_report(5), Severity.ERROR))
    assert text.count("- `corpus/x.txt:") == 5
    assert "left out" not in text
