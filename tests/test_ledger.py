"""Claim-file validation: every error at path:line:column, with nothing silently dropped."""

from __future__ import annotations

import textwrap

import pytest

from checker.claims import AnyOfClaim, OneOfClaim
from checker.errors import ClaimFileError
from checker.ledger import load_ledger, parse_claim_file

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
    assert (claim.kind, claim.expected, claim.severity.value) == ("one-of", "Almaty", "error")
    assert claim.values["Astana"] == ["Astana", "the Kazakh capital"]
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
    assert located.claim.values == {"2024": ["2024"], "2025": ["2025"], "yes": ["yes"]}


ERRORS = [
    (
        "unknown key with a did-you-mean",
        """
        claims:
          - id: a
            question: q
            values: {A: [a]}
            expeted: A
        """,
        ["claims/c.yaml:5:5: unknown key 'expeted'; did you mean 'expected'?"],
    ),
    (
        "unknown top-level key",
        """
        claim: []
        """,
        [
            "claims/c.yaml:1:1: missing required key 'claims'",
            "claims/c.yaml:1:1: unknown key 'claim'; did you mean 'claims'?",
        ],
    ),
    (
        "missing values",
        """
        claims:
          - id: a
            question: q
        """,
        ["claims/c.yaml:2:5: missing required key 'values'"],
    ),
    (
        "YAML syntax error",
        """
        claims:
          - id: a
            question: [unclosed
        """,
        [
            "claims/c.yaml:4:1: YAML syntax error: while parsing a flow sequence expected ',' or ']', but got '<stream end>'"
        ],
    ),
    (
        "duplicated YAML key",
        """
        claims:
          - id: a
            question: q
            values: {A: [a]}
            question: r
        """,
        ["claims/c.yaml:5:5: duplicate key 'question' (first defined at 3:5)"],
    ),
    (
        "duplicated value name",
        """
        claims:
          - id: a
            question: q
            values:
              A: [a]
              A: [b]
        """,
        ["claims/c.yaml:6:7: duplicate key 'A' (first defined at 5:7)"],
    ),
    (
        "expected is not a value",
        """
        claims:
          - id: a
            question: q
            values: {A: [a], B: [b]}
            expected: C
        """,
        ["claims/c.yaml:5:15: expected value 'C' is not one of the claim's values ('A', 'B')"],
    ),
    (
        "same alias under two values",
        """
        claims:
          - id: a
            question: q
            values:
              Almaty: [Almaty, the city]
              Astana: [Astana, The City]
        """,
        ["claims/c.yaml:6:24: alias 'The City' of value 'Astana' is listed under 'Almaty' too"],
    ),
    (
        "empty alias",
        """
        claims:
          - id: a
            question: q
            values: {A: ["  "]}
        """,
        ["claims/c.yaml:4:18: alias of value 'A' must not be empty"],
    ),
    (
        "value without aliases",
        """
        claims:
          - id: a
            question: q
            values: {A: []}
        """,
        ["claims/c.yaml:4:17: value 'A' has no aliases"],
    ),
    (
        "bad id and bad kind and bad severity, all at once",
        """
        claims:
          - id: Bad Id
            kind: oneof
            question: q
            values: {A: [a]}
            severity: fatal
        """,
        [
            "claims/c.yaml:3:11: unknown kind 'oneof'; expected one of one-of, any-of; did you mean 'one-of'?",
        ],
    ),
    (
        "bad id and bad severity",
        """
        claims:
          - id: Bad Id
            question: q
            values: {A: [a]}
            severity: fatal
        """,
        [
            "claims/c.yaml:2:9: id 'Bad Id' must match [a-z0-9][a-z0-9._-]*",
            "claims/c.yaml:5:15: severity must be one of 'error', 'warning' or 'info', not 'fatal'",
        ],
    ),
    ("empty file", "", ["claims/c.yaml:1:1: file is empty; expected a 'claims:' list"]),
    (
        "a list instead of a mapping",
        """
        - id: a
        """,
        ["claims/c.yaml:1:1: expected a mapping with a 'claims:' list, not a list"],
    ),
    (
        "a python tag",
        """
        claims: !!python/object:os.system {}
        """,
        [
            "claims/c.yaml:1:9: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'; only plain data is allowed"
        ],
    ),
    (
        "a tab",
        "claims:\n\t- id: a\n",
        [
            "claims/c.yaml:2:1: YAML syntax error: while scanning for the next token found character '\\t' that cannot start any token"
        ],
    ),
]


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
