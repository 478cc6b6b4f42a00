"""Verdicts, findings and claim statuses from the pure engine."""

from __future__ import annotations

import pytest

from checker.base.claims import OneOfClaim
from checker.findings.results import Report
from checker.judgement.judge import verdict_status
from tests.harness import LOCATION, assert_findings, location
from tests.harness import check_texts as run_check


def conflicts(report: Report) -> list[dict[str, object]]:
    """Return the details of each conflict: the values asserted and denied, by article."""
    return [f.details for f in report.findings if f.kind.value == "conflict"]


def contradictions(report: Report) -> list[tuple[str | None, object, object]]:
    return [
        (f.article, f.details["found"], f.details["denied"])
        for f in report.findings
        if f.kind.value == "contradiction"
    ]


def sentences(report: Report, article: str) -> list[tuple[object, str, object]]:
    """Return (sentence, kind, novel terms) of each sentence finding of an article."""
    return [
        (f.details["sentence"], f.kind.value, f.details["novel_terms"])
        for f in report.findings
        if f.article == article and f.kind.value in ("stray", "unsupported")
    ]


def verdicts(report: Report, claim: str = "loc") -> dict[str, str]:
    """Return each article's verdict status; silent articles carry no verdict, so add them back."""
    [found] = [c for c in report.claims if c.id == claim]
    # A cell whose mentions a rule all discarded is the trace of a silent article.
    speaking = {
        v.article: v.verdict.value for v in found.cells if not all(e.discounted for e in v.evidence)
    }
    silent = [
        a.id
        for a in report.articles
        if a.id not in speaking
        and (not found.scope or any(a.path.startswith(g.rstrip("*")) for g in found.scope))
    ]
    assert len(silent) == found.silent
    return {**speaking, **dict.fromkeys(silent, "silent")}


def one_of(expected: str | None = None) -> OneOfClaim:
    return OneOfClaim(id="c", question="q", values={"A": ["a"], "B": ["b"]}, expected=expected)


VERDICTS = [
    (None, set(), set(), "silent"),
    (None, {"A"}, set(), "asserts"),
    (None, set(), {"B"}, "denies"),
    (None, {"A", "B"}, set(), "mixed"),
    (None, {"A"}, {"A"}, "mixed"),
    ("A", {"A"}, set(), "supports"),
    ("A", {"A"}, {"B"}, "supports"),
    ("A", {"B"}, set(), "contradicts"),
    ("A", set(), {"A"}, "contradicts"),
    ("A", {"A", "B"}, set(), "mixed"),
]


@pytest.mark.parametrize(("expected", "asserted", "denied", "status"), VERDICTS)
def test_verdict_status(
    expected: str | None, asserted: set[str], denied: set[str], status: str
) -> None:
    assert verdict_status(one_of(expected), asserted, denied).value == status


def test_articles_asserting_different_values_conflict() -> None:
    report = run_check(location(), {"a": "They met in Almaty.", "b": "They met in Astana."})
    assert [c["values"] for c in conflicts(report)] == [{"Almaty": ["a"], "Astana": ["b"]}]
    assert report.claims[0].status.value == "conflict"
    [finding] = [f for f in report.findings if f.kind.value == "conflict"]
    assert (finding.path, finding.line, finding.column, finding.severity.value) == (
        "corpus/a.txt",
        1,
        13,
        "error",
    )


def test_one_article_denying_what_another_asserts_conflicts() -> None:
    report = run_check(
        location(), {"a": "They met in Almaty.", "b": "They did not meet in Almaty."}
    )
    assert [(c["values"], c["denied"]) for c in conflicts(report)] == [
        ({"Almaty": ["a"]}, {"Almaty": ["b"]})
    ]


def test_agreeing_articles_are_consistent() -> None:
    report = run_check(location(), {"a": "They met in Almaty.", "b": "Talks were in Almaty."})
    assert conflicts(report) == []
    assert report.claims[0].status.value == "consistent"


def test_contradicting_the_expected_value() -> None:
    report = run_check(
        location("expected: Almaty\n    severity: warning"),
        {"a": "They met in Almaty.", "b": "They met in Astana."},
    )
    assert contradictions(report) == [("b", ["Astana"], [])]
    kinds = {(f.kind.value, f.severity.value) for f in report.findings}
    assert {("contradiction", "warning"), ("conflict", "warning")} <= kinds
    assert verdicts(report) == {"a": "supports", "b": "contradicts"}


def test_denying_the_expected_value_contradicts() -> None:
    report = run_check(location("expected: Almaty"), {"a": "It was not held in Almaty."})
    assert contradictions(report) == [("a", [], ["Almaty"])]
    assert report.claims[0].status.value == "contradicted"


def test_an_article_asserting_two_values_of_a_one_of_claim_is_mixed() -> None:
    report = run_check(location(), {"a": "They met in Almaty. Then they met in Astana."})
    [finding] = [f for f in report.findings if f.kind.value == "mixed"]
    assert finding.severity.value == "warning"
    assert verdicts(report) == {"a": "mixed"}


ANY_OF = """
claims:
  - id: who
    kind: any-of
    question: Who took part?
    values:
      Kazakhstan: [Kazakhstan]
      Uzbekistan: [Uzbekistan]
"""


def test_any_of_claims_with_different_sets_diverge_at_info() -> None:
    report = run_check(ANY_OF, {"a": "Kazakhstan and Uzbekistan came.", "b": "Kazakhstan came."})
    assert conflicts(report) == []
    [finding] = [f for f in report.findings if f.kind.value == "divergent"]
    assert finding.severity.value == "info"
    assert report.claims[0].status.value == "divergent"
    assert verdicts(report, "who") == {"a": "asserts", "b": "asserts"}


def test_any_of_claims_with_equal_sets_are_consistent() -> None:
    report = run_check(
        ANY_OF, {"a": "Kazakhstan and Uzbekistan came.", "b": "Uzbekistan, Kazakhstan."}
    )
    assert report.claims[0].status.value == "consistent"


def test_unmentioned_claim() -> None:
    report = run_check(location(), {"a": "Nothing about it."})
    assert report.claims[0].status.value == "unmentioned"
    assert verdicts(report) == {"a": "silent"}


ABOUT = [
    ("The ministers met in Almaty.", {"a": "asserts"}),
    ("Almaty is cold in winter.", {"a": "silent"}),
]


@pytest.mark.parametrize(("text", "expected"), ABOUT)
def test_about_cues_gate_mentions(text: str, expected: dict[str, str]) -> None:
    report = run_check(location("about: [met, meeting]"), {"a": text})
    assert verdicts(report) == expected


def test_scope_limits_the_articles_a_claim_applies_to() -> None:
    report = run_check(
        location('scope: ["corpus/a*"]'), {"a1": "Met in Almaty.", "b1": "Met in Astana."}
    )
    assert verdicts(report) == {"a1": "asserts"}
    assert (report.claims[0].in_scope, report.claims[0].silent) == (1, 0)
    assert conflicts(report) == []


STRAY = [
    (
        "It sought to rebuild Egypt's relations with its Arab neighbors.",
        "stray",
        ["sought", "rebuild", "Egypt", "Arab", "neighbors"],
    ),
    # One salient word (Brazil: "central", "bank", "rates" are common) is too little to judge.
    ("Brazil's central bank raised rates.", "unsupported", []),
    (
        "Floods in Peru closed roads, and Brazil's central bank raised rates.",
        "stray",
        ["Floods", "Peru", "roads"],
    ),
    ("Officials said talks went well.", "unsupported", []),
    ("Most critically, talks went well.", "unsupported", []),
    ("Almaty was sunny while Kazakhstan voted.", "unsupported", []),  # known to the ledger/corpus
]


@pytest.mark.parametrize(("sentence", "severity", "terms"), STRAY)
def test_unsupported_sentences_with_novel_terms_are_stray(
    sentence: str, severity: str, terms: list[str]
) -> None:
    articles = {"a": f"They met in Almaty. {sentence}", "b": "Kazakhstan held talks."}
    report = run_check(location("about: [met]"), articles)
    assert sentences(report, "a") == [(sentence, severity, terms)]
    [finding] = [f for f in report.findings if f.article == "a" and f.kind.value == severity]
    assert finding.severity.value == ("warning" if severity == "stray" else "info")


def test_a_word_in_another_article_is_not_novel() -> None:
    report = run_check(location(), {"a": "Egypt voted.", "b": "Egypt also voted."})
    assert {kind for a in ("a", "b") for _, kind, _ in sentences(report, a)} == {"unsupported"}


def test_evidence_points_at_the_original_line_and_column() -> None:
    text = "Headline Here\n\n“Yes,” they said — the talks were in Astana’s centre.\r\n"
    report = run_check(location(), {"a": text})
    [evidence] = report.claims[0].cells[0].evidence
    assert (evidence.line, evidence.column, evidence.text) == (3, 38, "Astana")
    line = text.splitlines()[2]
    assert line[evidence.column - 1 : evidence.end_column - 1] == "Astana"


def test_findings_sort_by_location() -> None:
    report = run_check(location(), {"b": "Met in Astana. Egypt.", "a": "Met in Almaty. Brazil."})
    keys = [(f.path, f.line, f.column) for f in report.findings]
    assert keys == sorted(keys)


PAIRS = [
    # (article a, article b, agree, disagree, different events)
    ("Met in Almaty. Kazakhstan came.", "Met in Almaty. Kazakhstan came.", 2, 0, False),
    ("Met in Almaty. Kazakhstan came.", "Met in Astana. Kazakhstan came.", 1, 1, False),
    ("Met in Almaty. Kazakhstan came.", "Met in Astana. Uzbekistan came.", 0, 2, True),
    ("Met in Almaty.", "Talks were not in Almaty.", 0, 1, True),
]
TWO_CLAIMS = location() + "\n".join(ANY_OF.splitlines()[2:])


@pytest.mark.parametrize(("first", "second", "agree", "disagree", "different"), PAIRS)
def test_article_pairs_count_agreement_on_shared_claims(
    first: str, second: str, agree: int, disagree: int, different: bool
) -> None:
    report = run_check(TWO_CLAIMS, {"a": first, "b": second})
    [pair] = report.pairs
    assert (pair.first, pair.second, pair.agree, pair.disagree) == ("a", "b", agree, disagree)
    assert pair.different_events is different


def test_articles_sharing_no_claim_form_no_pair() -> None:
    assert run_check(location(), {"a": "Met in Almaty.", "b": "Nothing here."}).pairs == []


def test_one_mixed_article_alone_is_not_a_conflict() -> None:
    report = run_check(location(), {"a": "They met in Almaty. Then in Astana."})
    assert conflicts(report) == []
    assert [f.kind.value for f in report.findings if f.claim] == ["mixed"]


def test_a_mixed_article_conflicts_with_another_article() -> None:
    report = run_check(
        location(), {"a": "Almaty, they said. Astana, said others.", "b": "Only Astana."}
    )
    assert [c["values"] for c in conflicts(report)] == [{"Almaty": ["a"], "Astana": ["a", "b"]}]


def test_an_article_denying_what_it_also_asserts_is_mixed_not_a_conflict() -> None:
    report = run_check(location(), {"a": "They met in Almaty. They did not meet in Almaty."})
    assert conflicts(report) == []
    assert verdicts(report) == {"a": "mixed"}


def test_a_conflict_across_many_articles_names_a_few_and_counts_the_rest() -> None:
    articles = {f"a{n:02d}": "Met in Almaty." for n in range(8)}
    articles |= {f"b{n:02d}": "Met in Astana." for n in range(30)}
    report = run_check(location(), articles)
    [conflict] = [f for f in report.findings if f.kind.value == "conflict"]
    assert "'Almaty' in a00, a01, a02, a03, a04 and 3 more" in conflict.message
    assert "'Astana' in b00, b01, b02, b03, b04 and 25 more" in conflict.message
    assert len(conflict.related) == 20  # 19 more places and the claim's definition
    assert conflict.related[-1].path == "claims/c.yaml"
    assert conflict.details["values"]["Astana"] == [f"b{n:02d}" for n in range(30)]


ACROSS_LINES = [
    ("They met in Nur-Sultan.\nLater news followed.", {"a": "asserts"}),
    ("They met in Nur-\nSultan.", {"a": "silent"}),  # one call per article, never across lines
    ("They met in Nur\nSultan.", {"a": "silent"}),
    ("First line.\nThey met in Nur-Sultan.", {"a": "asserts"}),
]


@pytest.mark.parametrize(("text", "expected"), ACROSS_LINES)
def test_an_alias_never_matches_across_a_line_break(text: str, expected: dict[str, str]) -> None:
    claims = LOCATION.replace("Astana: [Astana]", "Astana: [Astana, Nur-Sultan, Nur Sultan]")
    report = run_check(claims.format(extra=""), {"a": text})
    assert verdicts(report) == expected
    for verdict in report.claims[0].cells:
        [evidence] = verdict.evidence
        assert text.splitlines()[evidence.line - 1][evidence.column - 1 :].startswith("Nur-Sultan")


def test_divergent_sets_across_many_articles_name_five_and_count_the_rest() -> None:
    articles = {f"a{n:02d}": "Kazakhstan came." for n in range(4)}
    articles |= {f"b{n:02d}": "Uzbekistan came." for n in range(4)}
    report = run_check(ANY_OF, articles)
    [divergent] = [f for f in report.findings if f.kind.value == "divergent"]
    assert divergent.message.endswith(
        "(a00: Kazakhstan; a01: Kazakhstan; a02: Kazakhstan; a03: Kazakhstan; "
        "b00: Uzbekistan; and 3 more articles)"
    )
    assert len(divergent.related) == 7  # every place but the first: fewer than MAX_RELATED


# Should-pass and should-fail rows, run through the whole application on inline texts.
FINDING_TABLE = [
    (
        "two articles, two places",
        location(),
        {"a": "Met in Almaty.", "b": "Met in Astana."},
        {"conflict": ["loc"], "mixed": [], "contradiction": []},
    ),
    (
        "two articles, one place",
        location(),
        {"a": "Met in Almaty.", "b": "The talks in Almaty ended."},
        {"conflict": [], "mixed": []},
    ),
    (
        "the verified answer denied",
        location("expected: Almaty"),
        {"a": "They did not meet in Almaty."},
        {"contradiction": ["loc"], "conflict": []},
    ),
    (
        "one article, two places",
        location(),
        {"a": "Met in Almaty. Then met in Astana."},
        {"mixed": ["loc"], "conflict": []},
    ),
    (
        "an off-topic name",
        location(),
        {"a": "Met in Almaty. Floods closed roads in Zanzibar.", "b": "Met in Almaty."},
        {"stray": [("a", 1, 16)], "unsupported": []},
    ),
    (
        "a rare word an article on the same claims shares is not stray",
        location(),
        {
            "a": "Met in Almaty. Floods closed roads in Zanzibar.",
            "b": "Met in Almaty. Floods hit Zanzibar.",
        },
        {"stray": [], "unsupported": [("a", 1, 16), ("b", 1, 16)]},
    ),
]


@pytest.mark.parametrize(
    ("case", "claims", "articles", "expected"), FINDING_TABLE, ids=[r[0] for r in FINDING_TABLE]
)
def test_findings_table(
    case: str, claims: str, articles: dict[str, str], expected: dict[str, list[object]]
) -> None:
    assert_findings(claims, articles, **expected)


def test_assert_findings_fails_on_a_missing_finding() -> None:
    with pytest.raises(AssertionError, match="conflict: expected"):
        assert_findings(location(), {"a": "Met in Almaty."}, conflict=["loc"])
