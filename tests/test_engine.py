"""Verdicts, findings and claim statuses from the pure engine."""

from __future__ import annotations

import textwrap

import pytest

from checker.boilerplate import Boilerplate
from checker.claims import OneOfClaim
from checker.corpus import parse_article
from checker.engine import check, verdict_status
from checker.ledger import load_ledger
from checker.results import Report

LOCATION = """
claims:
  - id: loc
    question: Where did they meet?
    values:
      Almaty: [Almaty]
      Astana: [Astana]
    {extra}
"""


def run_check(claims: str, articles: dict[str, str]) -> Report:
    ledger = load_ledger([("claims/c.yaml", textwrap.dedent(claims).encode())])
    parsed = [
        parse_article(textwrap.dedent(text), name, f"corpus/{name}.txt", Boilerplate())
        for name, text in articles.items()
    ]
    return check(ledger, parsed)


def location(extra: str = "") -> str:
    return LOCATION.format(extra=extra)


def verdicts(report: Report, claim: str = "loc") -> dict[str, str]:
    """Return each article's verdict status; silent articles carry no verdict, so add them back."""
    [found] = [c for c in report.claims if c.id == claim]
    speaking = {v.article: v.status.value for v in found.verdicts}
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
    assert [c.values for c in report.conflicts] == [{"Almaty": ["a"], "Astana": ["b"]}]
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
    assert [(c.values, c.denied) for c in report.conflicts] == [
        ({"Almaty": ["a"]}, {"Almaty": ["b"]})
    ]


def test_agreeing_articles_are_consistent() -> None:
    report = run_check(location(), {"a": "They met in Almaty.", "b": "Talks were in Almaty."})
    assert report.conflicts == []
    assert report.claims[0].status.value == "consistent"


def test_contradicting_the_expected_value() -> None:
    report = run_check(
        location("expected: Almaty\n    severity: warning"),
        {"a": "They met in Almaty.", "b": "They met in Astana."},
    )
    assert [(c.article, c.found) for c in report.contradictions] == [("b", ["Astana"])]
    kinds = {(f.kind.value, f.severity.value) for f in report.findings}
    assert {("contradiction", "warning"), ("conflict", "warning")} <= kinds
    assert verdicts(report) == {"a": "supports", "b": "contradicts"}


def test_denying_the_expected_value_contradicts() -> None:
    report = run_check(location("expected: Almaty"), {"a": "It was not held in Almaty."})
    assert [(c.article, c.found, c.denied) for c in report.contradictions] == [
        ("a", [], ["Almaty"])
    ]
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
    assert report.conflicts == []
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
    assert report.conflicts == []


STRAY = [
    ("It sought to rebuild Egypt's relations with its Arab neighbors.", "stray", ["Egypt", "Arab"]),
    ("Brazil's central bank raised rates.", "stray", ["Brazil"]),
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
    [entry] = [u for u in report.unsupported if u.article == "a"]
    assert (entry.sentence, entry.severity, entry.novel_terms) == (sentence, severity, terms)
    [finding] = [f for f in report.findings if f.article == "a" and f.kind.value == severity]
    assert finding.severity.value == ("warning" if severity == "stray" else "info")


def test_a_word_in_another_article_is_not_novel() -> None:
    report = run_check(location(), {"a": "Egypt voted.", "b": "Egypt also voted."})
    assert {u.severity for u in report.unsupported} == {"unsupported"}


def test_evidence_points_at_the_original_line_and_column() -> None:
    text = "Headline Here\n\n“Yes,” they said — the talks were in Astana’s centre.\r\n"
    report = run_check(location(), {"a": text})
    [evidence] = report.claims[0].verdicts[0].evidence
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
    assert report.conflicts == []
    assert [f.kind.value for f in report.findings if f.claim] == ["mixed"]


def test_a_mixed_article_conflicts_with_another_article() -> None:
    report = run_check(location(), {"a": "Almaty, then Astana.", "b": "Only Astana."})
    assert [c.values for c in report.conflicts] == [{"Almaty": ["a"], "Astana": ["a", "b"]}]


def test_an_article_denying_what_it_also_asserts_is_mixed_not_a_conflict() -> None:
    report = run_check(location(), {"a": "They met in Almaty. They did not meet in Almaty."})
    assert report.conflicts == []
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
    assert report.conflicts[0].values["Astana"] == [f"b{n:02d}" for n in range(30)]


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
    for verdict in report.claims[0].verdicts:
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
