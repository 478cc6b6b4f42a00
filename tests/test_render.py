"""Markdown report: a PR comment with a summary table, one <details> per kind, size-capped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from checker import engine, render
from checker.claims import Severity
from checker.render import MARKDOWN_LIMIT, make_context, render_html, render_markdown
from checker.results import Finding, FindingKind, Report
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


class _Cells(HTMLParser):
    """Collect table cells by class, and every paragraph's text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tables: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "td":
            self.cells.append(classes)
        if tag == "table":
            self.tables.append(classes)

    def handle_data(self, data: str) -> None:
        self.text += data


def _html(report: Report) -> _Cells:
    parser = _Cells()
    parser.feed(render_html(make_context(report, Severity.ERROR)))
    return parser


SCOPED_ARTICLES = {"a1": "They met in Almaty.", "a2": "Nothing here.", "b1": "Met in Astana."}


def test_matrix_tells_silent_from_out_of_scope() -> None:
    report = run_check(location('scope: ["corpus/a*"]'), SCOPED_ARTICLES)
    claim = report.claims[0]
    assert (claim.in_scope, claim.silent, len(claim.verdicts)) == (2, 1, 1)
    assert [c for c in _html(report).cells if c.startswith("v-")] == [
        "v-asserts",
        "v-silent",
        "v-scope",
    ]


def test_matrix_and_pair_table_are_left_out_past_their_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "PAIR_BUDGET", 0)
    monkeypatch.setattr(render, "MATRIX_CELLS", 2)
    report = run_check(location(), SCOPED_ARTICLES)
    assert report.pairs is None
    page = _html(report)
    assert "matrix" not in page.tables
    assert "The matrix is left out: 1 claims × 3 articles" in page.text
    assert "The pair table is left out" in page.text


def test_pair_table_is_built_within_its_budget() -> None:
    report = run_check(location(), SCOPED_ARTICLES)
    assert engine.pair_comparisons(report.claims) == 1
    assert [(p.first, p.second, p.disagree) for p in report.pairs or []] == [("a1", "b1", 1)]
    assert "matrix" in _html(report).tables
