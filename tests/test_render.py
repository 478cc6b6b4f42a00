"""Markdown report: a PR comment with a summary table, one <details> per kind, size-capped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from checker.base.claims import Severity
from checker.findings.results import Report, make_finding
from checker.findings.rules import FindingKind
from checker.formats import OutputFormat, context, make_context, render
from checker.formats.markdown import MARKDOWN_LIMIT
from checker.judgement import reduction
from checker.judgement.mention_rules import BY_CODE
from tests.harness import check_texts as run_check
from tests.harness import location


def many_findings_report(count: int):  # type: ignore[no-untyped-def]
    report = run_check(location("expected: Almaty"), {"a": "Met in Astana.", "b": "Met in Almaty."})
    filler = [
        make_finding(
            FindingKind.UNSUPPORTED,
            {"claim": "", "article": "x", "sentence": "z" * 300, "sentence_key": str(i)},
            severity=Severity.INFO,
            path="corpus/x.txt",
            line=i + 1,
            column=1,
            article="x",
        )
        for i in range(count)
    ]
    return report.model_copy(update={"findings": [*report.findings, *filler]})


def test_markdown_has_a_summary_table_and_a_details_section_per_kind() -> None:
    report = run_check(
        location("expected: Almaty"), {"a": "Met in Astana. Egypt voted.", "b": "Met in Almaty."}
    )
    text = render(OutputFormat.MARKDOWN, make_context(report))
    assert "| conflict | 1 |" in text
    assert "| contradiction | 1 |" in text
    sections = [line for line in text.splitlines() if line.startswith("<summary>")]
    assert sections == [
        "<summary><b>conflict</b> (1): Articles disagree on a claim</summary>",
        "<summary><b>contradiction</b> (1): An article contradicts the verified answer</summary>",
        "<summary><b>stray</b> (1): A sentence with novel terms no claim supports</summary>",
    ]
    assert "- `corpus/a.txt:1` **error**" in text


def test_markdown_is_truncated_by_severity_and_says_how_many_were_left_out() -> None:
    report = many_findings_report(1000)
    text = render(OutputFormat.MARKDOWN, make_context(report))
    assert len(text) <= MARKDOWN_LIMIT
    assert "<summary><b>conflict</b> (1)" in text  # errors survive truncation
    shown = text.count("- `corpus/x.txt:")
    left_out = 1000 - shown
    assert 0 < shown < 1000
    assert f"_{left_out} lower-severity finding(s) left out" in text


def test_small_markdown_reports_are_not_truncated() -> None:
    text = render(OutputFormat.MARKDOWN, make_context(many_findings_report(5)))
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
    parser.feed(render(OutputFormat.HTML, make_context(report)))
    return parser


SCOPED_ARTICLES = {"a1": "They met in Almaty.", "a2": "Nothing here.", "b1": "Met in Astana."}


def test_matrix_tells_silent_from_out_of_scope() -> None:
    report = run_check(location('scope: ["corpus/a*"]'), SCOPED_ARTICLES)
    claim = report.claims[0]
    assert (claim.in_scope, claim.silent, len(claim.cells)) == (2, 1, 1)
    assert [c for c in _html(report).cells if c.startswith("v-")] == [
        "v-asserts",
        "v-silent",
        "v-scope",
    ]


def test_matrix_and_pair_table_are_left_out_past_their_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reduction, "PAIR_BUDGET", 0)
    monkeypatch.setattr(context, "MATRIX_CELLS", 2)
    report = run_check(location(), SCOPED_ARTICLES)
    assert report.pairs is None
    page = _html(report)
    assert "matrix" not in page.tables
    assert "The matrix is left out: 1 claims × 3 articles" in page.text
    assert "The pair table is left out" in page.text


def test_pair_table_is_built_within_its_budget() -> None:
    report = run_check(location(), SCOPED_ARTICLES)
    assert reduction.pair_comparisons((c.id, c.cells) for c in report.claims) == 1
    assert [(p.first, p.second, p.disagree) for p in report.pairs or []] == [("a1", "b1", 1)]
    assert "matrix" in _html(report).tables


def test_the_reader_says_what_it_leaves_out_past_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 1)
    monkeypatch.setattr(context, "READER_ARTICLES", 1)
    articles = {"a1": "They met in Almaty. It rained.", "b1": "Met in Astana.", "c1": "Nothing."}
    report = run_check(location(), articles)
    assert report.detail == "findings"
    page = _html(report)
    assert "2 more articles are not shown here, those without findings last" in page.text
    # Every article has its reader on a page of its own beside the main page (tests/test_html.py).
    ctx = make_context(report)
    assert [p.path for p in ctx.article_pages] == ["report-files/articles-001.html"]


def test_evidence_of_another_occasion_is_tagged_in_the_html() -> None:
    report = run_check(
        location("about: [summit]"),
        {"a": "The summit was held in Astana. The first summit was held in Almaty in 2019."},
    )
    page = render(OutputFormat.HTML, make_context(report))
    summary = BY_CODE["MR009"].summary.replace("'", "&#39;")
    assert (
        f'title="other-event, by MR009 other-occasion: {summary}">other-event · MR009</span>'
        in page
    )


def test_a_discounted_mention_is_dimmed_with_its_rule_in_the_html() -> None:
    report = run_check(location("about: [met]"), {"a": "They met in Almaty, Mayor Astana said."})
    page = render(OutputFormat.HTML, make_context(report))
    summary = BY_CODE["MR002"].summary.replace("'", "&#39;").replace('"', "&#34;")
    # The claim's evidence list and the reader both carry the rule, the reader on hover.
    assert (
        f'<span class="tag discounted" title="source, by MR002 speaker: {summary}">source · MR002</span>'
        in page
    )
    assert (
        f'<mark class="mention m-discounted" title="Astana: source, by MR002 speaker: {summary}">'
        in page
    )
    assert '<li class="discounted" data-article="a">' in page
