"""The per-article cache key follows exactly what the enabled mention rules read.

A warm run after any ledger edit must give the report a run without the cache gives: the key is
derived from the claim fields the rules declare (`mention_rules`), so no edit can leave a stale
analysis behind, and an edit to a field no rule reads re-analyses nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.application import app
from checker.application.reading import read_ledger
from checker.application.settings import FileSettings, resolve
from checker.judgement.index import matching_hash
from checker.judgement.mention_rules import NOT_ANALYSED, RULES, RuleSet
from tests.harness import Project

TODAY = dt.date(2026, 1, 1)
ARTICLES = {
    "a.txt": "The meeting was chaired by Lavrov, which was attended by Tokayev.\n",
    "b.txt": "The talks went well, Wang Yi said. The quake struck at a depth of 6.6 miles.\n",
    "c.txt": "The first summit was held in Almaty in 2019. The summit met in Astana.\n",
    "d.txt": "They met in Almaty to plan the summit in Astana, Tokayev said.\n",
}
BASE: list[dict[str, Any]] = [
    {
        "id": "who",
        "question": "Who chaired it?",
        "values": {"Lavrov": ["Lavrov"], "Tokayev": ["Tokayev"], "Wang Yi": ["Wang Yi"]},
        "about": ["chaired", "talks"],
    },
    {
        "id": "where",
        "question": "Where did they meet?",
        "values": {"Almaty": ["Almaty"], "Astana": ["Astana"]},
        "about": ["met", "summit"],
    },
    {
        "id": "magnitude",
        "question": "What was the magnitude?",
        "values": {"6.6": ["6.6"], "7.1": ["7.1"]},
        "about": ["quake"],
    },
]


@contextmanager
def project() -> Iterator[Path]:
    """Make a throwaway project with the articles; yield its root."""
    with tempfile.TemporaryDirectory(prefix="crossfact-key-") as scratch:
        root = Path(scratch)
        made = Project(root)
        for name, text in ARTICLES.items():
            made.article(name, text)
        yield root


def write_ledger(root: Path, claims: list[dict[str, Any]]) -> None:
    text = yaml.safe_dump({"claims": claims}, sort_keys=False, allow_unicode=True)
    (root / "claims" / "claims.yaml").write_text(text, encoding="utf-8")


def report_json(root: Path, *, cache: bool) -> str:
    settings = resolve(root, FileSettings(), corpus=root / "corpus", cache=cache)
    run = app.check(settings, today=TODAY, write_reports=False)
    return run.report.model_dump_json(exclude={"ledger_hash"})


def warm_and_cold(claims_before: list[dict[str, Any]], claims_after: list[dict[str, Any]]) -> None:
    with project() as root:
        write_ledger(root, claims_before)
        report_json(root, cache=True)  # fills the cache
        write_ledger(root, claims_after)
        assert report_json(root, cache=True) == report_json(root, cache=False)


def test_adding_kind_any_of_is_not_answered_from_a_stale_cache() -> None:
    after = [dict(BASE[0], kind="any-of"), *BASE[1:]]
    warm_and_cold(BASE, after)
    with project() as root:
        write_ledger(root, after)
        settings = resolve(root, FileSettings(), corpus=root / "corpus", cache=True)
        report = app.check(settings, today=TODAY, write_reports=False).report
        [who] = [c for c in report.claims if c.id == "who"]
        asserted = {v for cell in who.cells if cell.article == "a" for v in cell.asserted}
        assert asserted == {"Lavrov", "Tokayev"}


def test_a_question_that_asks_for_a_source_is_not_answered_from_a_stale_cache() -> None:
    warm_and_cold(
        BASE, [dict(BASE[0], question="Which official said the talks went well?"), *BASE[1:]]
    )


def ledger_hash_of(claims: list[dict[str, Any]], rules: RuleSet | None = None) -> str:
    with project() as root:
        write_ledger(root, claims)
        ledger = read_ledger(root / "claims", root)
        return matching_hash(ledger, rules)


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "A note."), ("severity", "warning"), ("sources", ["https://example.org/"])],
)
def test_fields_no_rule_reads_leave_the_key_alone(field: str, value: object) -> None:
    assert field in NOT_ANALYSED
    edited = [dict(BASE[0], **{field: value}), *BASE[1:]]
    assert ledger_hash_of(edited) == ledger_hash_of(BASE)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("question", "Who said it?"),
        ("kind", "any-of"),
        ("about", ["chaired"]),
        ("other_occasions", ["2019"]),
        ("scope", ["a*"]),
    ],
)
def test_fields_a_rule_reads_change_the_key(field: str, value: object) -> None:
    edited = [dict(BASE[0], **{field: value}), *BASE[1:]]
    assert ledger_hash_of(edited) != ledger_hash_of(BASE)


def test_the_enabled_rules_are_part_of_the_key() -> None:
    assert ledger_hash_of(BASE, RuleSet(frozenset({"MR011"}))) != ledger_hash_of(BASE)
    # A switched-off rule's fields no longer count: with every rule that reads the question
    # off, a question edit keeps the key.
    quiet = RuleSet(frozenset(rule.code for rule in RULES if "question" in rule.reads))
    edited = [dict(BASE[0], question="Who said it?"), *BASE[1:]]
    assert ledger_hash_of(edited, quiet) == ledger_hash_of(BASE, quiet)


QUESTIONS = ["Who chaired it?", "Which official said so?", "How far away was it?", "What?"]
CUES = ["chaired", "talks", "met", "summit", "quake", "attended", "miles", "depth"]
WORDS = ["2019", "first", "previous", "Almaty"]


EDITED_FIELDS = [
    "question",
    "kind",
    "about",
    "values",
    "other_occasions",
    "scope",
    "note",
    "expected",
]


def _edit(claim: dict[str, Any], field: str, draw: Callable[[Any], Any]) -> dict[str, Any]:
    """Change one field of a claim in a way a newsroom might."""
    claim = dict(claim)
    if field == "question":
        claim["question"] = draw(st.sampled_from(QUESTIONS))
    elif field == "kind":
        claim["kind"] = "any-of" if claim.get("kind") != "any-of" else "one-of"
        claim.pop("expected", None)
    elif field == "about":
        claim["about"] = draw(st.lists(st.sampled_from(CUES), unique=True, max_size=3))
    elif field == "values":
        value = draw(st.sampled_from(sorted(claim["values"])))
        extra = draw(st.sampled_from(["Kazakh capital", "the chair", "miles", "Lavrov's"]))
        if all(extra not in aliases for aliases in claim["values"].values()):
            claim["values"] = {**claim["values"], value: [*claim["values"][value], extra]}
    elif field == "other_occasions":
        claim["other_occasions"] = draw(st.lists(st.sampled_from(WORDS), unique=True, max_size=2))
    elif field == "scope":
        claim["scope"] = draw(st.sampled_from([[], ["a*"], ["corpus/c*", "d"]]))
    elif field == "note":
        claim["note"] = draw(st.sampled_from(["Checked.", "Two events may be conflated."]))
    elif field == "expected" and claim.get("kind") != "any-of":
        claim["expected"] = draw(st.sampled_from(sorted(claim["values"])))
    return claim


@pytest.mark.parametrize("field", EDITED_FIELDS)
@settings(
    max_examples=6,
    deadline=None,
    database=None,  # each run draws afresh: a remembered example must not make it pass or fail
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_ledger_edit_gives_the_warm_report_the_cold_one(
    field: str, data: st.DataObject
) -> None:
    # Every claim gets the field's edit, then up to two edits of any field anywhere.
    claims = [_edit(claim, field, data.draw) for claim in BASE]
    for _ in range(data.draw(st.integers(min_value=0, max_value=2))):
        at = data.draw(st.integers(min_value=0, max_value=len(claims) - 1))
        claims[at] = _edit(claims[at], data.draw(st.sampled_from(EDITED_FIELDS)), data.draw)
    warm_and_cold(BASE, claims)


@pytest.fixture(autouse=True)
def _cache_key_outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the key in a private folder for the hypothesis test too (no function fixture)."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("key-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
