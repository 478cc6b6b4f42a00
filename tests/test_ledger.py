"""Claim-file validation: every error at path:line:column, with nothing silently dropped."""

from __future__ import annotations

import textwrap

import pytest

from checker.base.claims import AnyOfClaim, OneOfClaim
from checker.base.errors import ClaimFileError
from checker.base.ledger import load_ledger, parse_claim_file
from tests.harness import LEDGER_ERRORS as ERRORS

VALID = """
claims:
  - id: meeting-location
    question: Where did they meet?
    values:
      Almaty: [Almaty]
      Astana: [Astana, the Kazakh capital]
    expected: Almaty
"""


def problems(text: str, path: str = "claims/c.yaml") -> list[str]:
    """Return the error lines a claim file produces (empty when it loads)."""
    try:
        parse_claim_file(textwrap.dedent(text).lstrip("\n").encode(), path)
    except ClaimFileError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_a_valid_file_loads_with_defaults() -> None:
    [located] = parse_claim_file(textwrap.dedent(VALID).encode(), "claims/c.yaml")
    claim = located.claim
    assert isinstance(claim, OneOfClaim)
    assert (claim.kind, claim.expected, claim.severity) == ("one-of", "Almaty", None)
    assert claim.aliases("Astana") == ["Astana", "the Kazakh capital"]
    assert (located.line, located.column) == (3, 5)


def test_any_of_takes_a_list_of_expected_values_and_scalars_stay_text() -> None:
    text = """
    claims:
      - id: years
        kind: any-of
        question: Which years?
        values: {"2024": [2024], "2025": ["2025"], yes: [yes]}
        expected: ["2024", "2025"]
    """
    [located] = parse_claim_file(textwrap.dedent(text).encode(), "c.yaml")
    assert isinstance(located.claim, AnyOfClaim)
    assert {v: s.aliases for v, s in located.claim.values.items()} == {
        "2024": ["2024"],
        "2025": ["2025"],
        "yes": ["yes"],
    }


@pytest.mark.parametrize(("case", "text", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_claim_files_give_located_messages(case: str, text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_alias_bombs_are_refused_quickly() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(levels) + "\nclaims: *a8\n"
    assert problems(text) == [
        "claims/c.yaml:1:1: YAML expands to more than 2000000 nodes (alias bomb?)"
    ]


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(ClaimFileError) as caught:
        parse_claim_file(b"claims:\n  - id: \xff\n", "c.yaml")
    assert str(caught.value) == "c.yaml:2:9: not valid UTF-8 (byte offset 16)"


def test_duplicate_claim_ids_across_files_are_an_error() -> None:
    other = VALID.replace("Where did they meet?", "Again?")
    with pytest.raises(ClaimFileError) as caught:
        load_ledger([("claims/a.yaml", VALID.encode()), ("claims/b.yaml", other.encode())])
    assert [str(p) for p in caught.value.problems] == [
        "claims/b.yaml:3:5: duplicate claim id 'meeting-location' "
        "(first defined at claims/a.yaml:3:5)"
    ]


def test_every_file_is_reported_at_once() -> None:
    broken = "claims:\n  - id: a\n"
    with pytest.raises(ClaimFileError) as caught:
        load_ledger([("claims/b.yaml", broken.encode()), ("claims/a.yaml", b"claims: [")])
    assert [p.path for p in caught.value.problems] == [
        "claims/a.yaml",
        "claims/b.yaml",
        "claims/b.yaml",
    ]


def test_ledger_hash_follows_content_and_not_file_order() -> None:
    first = load_ledger([("a.yaml", VALID.encode())]).content_hash
    assert first == load_ledger([("a.yaml", VALID.encode())]).content_hash
    assert (
        first
        != load_ledger(
            [("a.yaml", VALID.replace("capital]", "capital, Nur-Sultan]").encode())]
        ).content_hash
    )
