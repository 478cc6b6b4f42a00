"""Markdown report: a PR comment with a summary table, one <details> per kind, size-capped."""

from __future__ import annotations

from collections import Counter
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


def test_markdown_has_a_summary_table_and_a_details_section_per_kind() -> None:
    report = run_check(
        location("expected: Almaty"),
        {"a": "Met in Astana. Floods closed roads in Peru.", "b": "Met in Almaty."},
    )
    text = render(OutputFormat.MARKDOWN, make_context(report))
    assert "| conflict | 1 |" in text
    assert "| contradiction | 1 |" in text
    sections = [line for line in text.splitlines() if line.startswith("<summary>")]
    assert sections == [
        "<summary><b>conflict</b> (1 error): Articles disagree on a claim</summary>",
        "<summary><b>contradiction</b> (1 error): An article contradicts the verified answer</summary>",
        "<summary><b>stray</b> (1 warning): An off-topic sentence no claim supports</summary>",
    ]
    assert "- `corpus/a.txt:1` **error**" in text


def _filler(count: int, severity: Severity, kind: FindingKind = FindingKind.UNSUPPORTED) -> list:  # type: ignore[type-arg]
    return [
        make_finding(
            kind,
            {
                "claim": "",
                "article": "x",
                "sentence": "z" * 300,
                "sentence_key": f"{severity}{i}",
                "terms": "Z",
            },
            severity=severity,
            path="corpus/x.txt",
            line=i + 1,
            column=1,
            article="x",
        )
        for i in range(count)
    ]


def _with(report: Report, findings: list) -> Report:  # type: ignore[type-arg]
    """Return the report with more findings, its summary counting them as a run's would."""
    everything = [*report.findings, *findings]
    kinds = Counter(f.kind for f in everything)
    levels = Counter(f.severity for f in everything)
    summary = report.summary.model_copy(
        update={
            "by_kind": {kind: kinds[kind] for kind in report.summary.by_kind},
            "errors": levels[Severity.ERROR],
            "warnings": levels[Severity.WARNING],
            "infos": levels[Severity.INFO],
        }
    )
    return report.model_copy(update={"findings": everything, "summary": summary})


# (case, extra findings: (count, severity, kind)): the comment must tell the truth about each
TRUNCATION = [
    ("many info", [(1000, Severity.INFO, FindingKind.UNSUPPORTED)]),
    ("many errors", [(400, Severity.ERROR, FindingKind.UNSUPPORTED)]),
    (
        "every severity",
        [
            (300, Severity.ERROR, FindingKind.STRAY),
            (300, Severity.WARNING, FindingKind.STRAY),
            (300, Severity.INFO, FindingKind.UNSUPPORTED),
        ],
    ),
]


@pytest.mark.parametrize(("case", "extra"), TRUNCATION, ids=[c[0] for c in TRUNCATION])
def test_a_truncated_comment_states_true_totals_and_exactly_what_it_leaves_out(
    case: str, extra: list[tuple[int, Severity, FindingKind]]
) -> None:
    base = run_check(location("expected: Almaty"), {"a": "Met in Astana.", "b": "Met in Almaty."})
    added = [f for count, level, kind in extra for f in _filler(count, level, kind)]
    report = _with(base, added)
    text = render(OutputFormat.MARKDOWN, make_context(report))
    assert len(text) <= MARKDOWN_LIMIT
    listed = [line for line in text.splitlines() if line.startswith("- `")]
    assert 0 < len(listed) < len(report.findings)
    # The totals are the run's, not the listed ones.
    for kind in ("conflict", "contradiction", "stray", "unsupported"):
        assert f"| {kind} | {report.summary.count(kind)} |" in text
    # Errors first: no warning or info line comes before an error line.
    levels = [line.split("**")[1] for line in listed]
    ranks = {"error": 0, "warning": 1, "info": 2}
    assert levels == sorted(levels, key=ranks.__getitem__)
    # What is left out, by severity, is exactly the total less what is listed.
    missing = {
        level: total - levels.count(level)
        for level, total in (
            ("error", report.summary.errors),
            ("warning", report.summary.warnings),
            ("info", report.summary.infos),
        )
    }
    words = {"error": "errors", "warning": "warnings", "info": "info findings"}
    said = [f"{n} {words[level] if n != 1 else level}" for level, n in missing.items() if n]
    assert f"**Not listed here:** {', '.join(said)}, to keep this comment under" in text
    # Each kind's heading gives its true count and how many are listed.
    prefix = {FindingKind.STRAY: "salient words", FindingKind.UNSUPPORTED: "sentence: zzz"}
    for count, level, kind in extra:
        shown = sum(f"**{level.value}**" in line and prefix[kind] in line for line in listed)
        plural = level.value if level is Severity.INFO else f"{level.value}s"
        listed_part = "" if shown == count else f", {shown} listed"
        assert f"<summary><b>{kind.value}</b> ({count} {plural}{listed_part}):" in text


def test_small_markdown_reports_are_not_truncated() -> None:
    base = run_check(location("expected: Almaty"), {"a": "Met in Astana.", "b": "Met in Almaty."})
    text = render(OutputFormat.MARKDOWN, make_context(_with(base, _filler(5, Severity.INFO))))
    assert text.count("- `corpus/x.txt:") == 5
    assert "Not listed here" not in text


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
