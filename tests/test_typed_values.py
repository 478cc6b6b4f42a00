"""Typed values and time: figures, amounts, shares, ordinals and dates read by meaning.

Every sentence here is written for the test. Each table has rows that must match and rows
that must not, and the number-inside-number rows fail on the alias matcher of before.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from checker.base.claims import OneOfClaim
from checker.base.errors import ClaimFileError
from checker.base.ledger import load_ledger
from checker.base.quantities import ValueType, dates, figures, parse_target
from checker.findings.results import Report
from checker.judgement.index import build_index
from checker.judgement.matcher import find_all
from checker.judgement.typed import typed_matches
from tests.harness import check_texts, run_validate_texts

# ---------------------------------------------------------------------------------------------
# A text alias never matches inside a larger number

NUMBER_ALIASES = [
    # (alias, sentence, matches)
    ("1,000", "About 1,000,000 people fled.", False),
    ("1", "It cost 1,500 dollars.", False),
    ("1", "Output grew 1.5 times.", False),
    ("6", "A magnitude 6.4 quake struck.", False),
    ("$5", "Tickets cost $5.50 each.", False),
    ("$5", "The fine was $5,000.", False),
    ("5%", "Prices rose 5.5% in May.", False),
    ("1,000", "Some 1,000 people fled.", True),
    ("6", "Six? No: 6 people were hurt.", True),
    ("$5", "Tickets cost $5.", True),
    ("5%", "Prices rose 5%, the bank said.", True),
]


@pytest.mark.parametrize(("alias", "sentence", "matches"), NUMBER_ALIASES)
def test_a_number_alias_never_matches_inside_a_larger_number(
    alias: str, sentence: str, matches: bool
) -> None:
    ledger = load_ledger(
        [
            (
                "claims/c.yaml",
                f'claims:\n  - {{id: n, question: q, values: {{v: ["{alias}"]}}}}\n'.encode(),
            )
        ]
    )
    found = [m for m in find_all(build_index(ledger).phrases, sentence) if m.phrase.value]
    assert bool(found) is matches


def test_an_unquoted_thousands_figure_in_a_flow_list_is_a_located_error() -> None:
    text = b"claims:\n  - id: n\n    question: q\n    values:\n      a: [1,000]\n"
    with pytest.raises(ClaimFileError) as error:
        load_ledger([("claims/c.yaml", text)])
    [problem] = error.value.problems
    assert (problem.line, problem.column) == (5, 11)
    assert "'1' and '000'" in problem.message
    assert 'quote it: "1,000"' in problem.message


# ---------------------------------------------------------------------------------------------
# Reading figures

FIGURES = [
    # (text, (kind, figure, unit, hedge) of each figure read)
    ("US$1.5 billion", [("money", 1.5e9, "USD", "")]),
    ("$1.5bn", [("money", 1.5e9, "USD", "")]),
    ("1.5 billion dollars", [("money", 1.5e9, "USD", "")]),
    ("USD 1.5 billion", [("money", 1.5e9, "USD", "")]),
    ("€2bn and £300m", [("money", 2e9, "EUR", ""), ("money", 3e8, "GBP", "")]),
    ("nearly 80 percent", [("percent", 80.0, "", "nearly")]),
    ("47.1 per cent", [("percent", 47.1, "", "")]),
    ("at least 38 people", [("number", 38.0, "", "least")]),
    ("five people and a dozen cars", [("number", 5.0, "", ""), ("number", 12.0, "", "")]),
    ("after 20 minutes", [("number", 20.0, "minutes", "")]),
    ("the 20-year-old striker", [("number", 20.0, "year", "")]),
    ("72km southwest", [("number", 72.0, "km", "")]),
    ("1,000,000 and 6.4", [("number", 1e6, "", ""), ("number", 6.4, "", "")]),
    ("in 2012 and since 1997", []),  # years, not figures
    ("one of the victims", []),
    ("an A320 with 5G in the 1990s", []),
    ("won 2-1 at 11:11", []),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES)
def test_figures_are_read_with_their_kind_unit_and_hedge(
    text: str, expected: list[tuple[str, float, str, str]]
) -> None:
    assert [(q.kind.value, q.figure, q.unit, q.hedge) for q in figures(text)] == expected


HEDGES = [
    # (text, a value inside the interval, a value outside it)
    ("nearly 80 percent", 79.4, 80.6),
    ("about 58 per cent", 57.7, 62.0),
    ("more than 2,000", 2012.0, 1990.0),
    ("up to 25", 24.0, 25.5),
    ("$1.5bn", 1.53e9, 1.56e9),  # a rounded figure stands for what rounds to it
    ("47%", 47.1, 47.6),
]


@pytest.mark.parametrize(("text", "inside", "outside"), HEDGES)
def test_hedges_and_rounding_become_intervals(text: str, inside: float, outside: float) -> None:
    [quantity] = figures(text)
    assert quantity.low <= inside <= quantity.high
    assert not quantity.low <= outside <= quantity.high


DAY = dt.date(2025, 6, 18)  # a Wednesday
DATES = [
    # (text, the days read, by ISO date or precision)
    ("on June 17", ["2025-06-17"]),
    ("17 June 2025", ["2025-06-17"]),
    ("2025-06-17", ["2025-06-17"]),
    ("on Tuesday", ["2025-06-17"]),  # the Tuesday before the article's day
    ("they will meet on Tuesday", ["2025-06-24"]),  # ahead: the next one
    ("next Wednesday", ["2025-06-25"]),
    ("yesterday", ["2025-06-17"]),
    ("Sept. 3", ["2025-09-03"]),
    ("in May 2023", ["2023-05-01/month"]),
    ("founded in 2016", ["2016-01-01/year"]),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_are_read_in_their_common_forms(text: str, expected: list[str]) -> None:
    read = []
    for quantity in dates(text, DAY):
        day = dt.date.fromordinal(int(quantity.low)).isoformat()
        read.append(day if quantity.precision == "day" else f"{day}/{quantity.precision}")
    assert read == expected


def test_without_an_article_date_weekdays_are_not_read_and_a_day_has_no_year() -> None:
    [quantity] = dates("They met on June 17 and again on Tuesday.")
    assert quantity.precision == "yearless"


CANONICAL = [
    # (type, value, unit, accepted)
    (ValueType.MONEY, "$1.5 billion", None, True),
    (ValueType.MONEY, "1.5e9 USD", None, True),
    (ValueType.MONEY, "1.5e9", None, False),  # no currency
    (ValueType.PERCENT, "47.1%", None, True),
    (ValueType.PERCENT, "47.1", None, False),
    (ValueType.DATE, "2025-06-17", None, True),
    (ValueType.DATE, "2025-02-30", None, False),
    (ValueType.DATE, "2016", None, True),
    (ValueType.ORDINAL, "2nd", None, True),
    (ValueType.COUNT, "3,145", None, True),
    (ValueType.COUNT, "410 seats", "seats", True),
    (ValueType.COUNT, "about 3,000", None, False),  # a hedge belongs in `tolerance`
    (ValueType.NUMBER, "72 km", None, True),
]


@pytest.mark.parametrize(("value_type", "value", "unit", "accepted"), CANONICAL)
def test_typed_values_are_given_canonically(
    value_type: ValueType, value: str, unit: str | None, accepted: bool
) -> None:
    claim = {"id": "c", "question": "q", "type": value_type.value, "values": {value: {}}}
    if unit:
        claim["unit"] = unit
    if accepted:
        assert OneOfClaim.model_validate(claim).targets()[value].figure is not None
        parse_target(value_type, value, unit)
    else:
        with pytest.raises(ValueError, match="value"):
            OneOfClaim.model_validate(claim)


# ---------------------------------------------------------------------------------------------
# Typed claims in the matcher


def _typed(claim_yaml: str, sentence: str, day: dt.date | None = DAY) -> list[str]:
    ledger = load_ledger([("claims/c.yaml", textwrap.dedent(claim_yaml).encode())])
    index = build_index(ledger)
    return [m.phrase.value or "" for m in typed_matches(sentence, index.typed, day)]


MONEY = """\
    claims:
      - id: price
        question: What is the deal worth?
        type: money
        values: {"$1.5 billion": {}, "$2 billion": {}}
"""
TOLL = """\
    claims:
      - id: toll
        question: How many died?
        type: count
        values: {"38": {}, "57": {}, "1,000": {}}
"""
AGE = """\
    claims:
      - id: age
        question: How old is the striker?
        type: number
        unit: years
        values: {"20": {}, "21": {}}
"""
DISTANCE = """\
    claims:
      - id: distance
        question: How far from the city was the epicentre?
        type: number
        unit: km
        values: {"72 km": {}, "40 km": {}}
"""
VOTE = """\
    claims:
      - id: share
        question: What share did she win?
        type: percent
        values: {"79.4%": {}, "52%": {}}
"""
WHEN = """\
    claims:
      - id: day
        question: When was the vote?
        type: date
        values: {"2025-06-17": {}, "2025-06-10": {}}
"""
TYPED_ROWS = [
    # (claim, sentence, values matched)
    (MONEY, "The US$1.5 billion deal closed.", ["$1.5 billion"]),
    (MONEY, "A $1.5bn deal.", ["$1.5 billion"]),
    (MONEY, "A deal of 1.5 billion dollars.", ["$1.5 billion"]),
    (MONEY, "A deal of USD 1.5 billion.", ["$1.5 billion"]),
    (MONEY, "A deal of €1.5 billion.", []),  # another currency
    (MONEY, "A $1.5 million deal.", []),
    (TOLL, "At least 38 people died.", ["38"]),
    (TOLL, "The toll rose to 57.", ["57"]),
    (TOLL, "Some 1,000,000 people fled.", []),
    (TOLL, "It struck 57.5 km away.", []),
    (TOLL, "On June 17, rescuers searched.", []),  # a day of the month is no count
    (AGE, "The 20-year-old scored.", ["20"]),
    (AGE, "He scored after 20 minutes.", []),  # minutes are not years
    (AGE, "Aged 21, he scored.", ["21"]),
    (DISTANCE, "It struck 72km away.", ["72 km"]),
    (DISTANCE, "It struck 45 miles away.", ["72 km"]),  # 45 miles is 72.4 km
    (DISTANCE, "It struck 72 miles away.", []),
    (VOTE, "She won nearly 80 percent of the vote.", ["79.4%"]),
    (VOTE, "She won 5.2% of the vote.", []),
    (WHEN, "The vote was held on Tuesday.", ["2025-06-17"]),
    (WHEN, "The vote was held on 17 June.", ["2025-06-17"]),
    (WHEN, "The vote was held on June 10, 2025.", ["2025-06-10"]),
    (WHEN, "The vote was held on June 10, 2024.", []),
]


@pytest.mark.parametrize(("claim", "sentence", "values"), TYPED_ROWS)
def test_typed_claims_read_every_written_form(claim: str, sentence: str, values: list[str]) -> None:
    assert _typed(claim, sentence) == values


# ---------------------------------------------------------------------------------------------
# Claims in time: provisional figures, dated figures, updates, occasions


def _findings(report: Report) -> list[tuple[str, str, str]]:
    return sorted(
        (f.kind.value, f.severity.value, f.article or "")
        for f in report.findings
        if f.kind.value in {"conflict", "contradiction", "mixed", "stale-figure", "updated-figure"}
    )


SHARE = """\
claims:
  - id: share
    question: What share of the vote did Rivera win?
    type: percent
    about: [won, vote]
    values: {"58.6%": {}, "52%": {}}
    expected: "58.6%"
"""


def test_a_provisional_figure_never_contradicts_at_error_level() -> None:
    report = check_texts(
        SHARE,
        {
            "a": "With 40% of ballots counted, Rivera won 52% of the vote.",
            "b": "Rivera won 58.6% of the vote.",
        },
    )
    assert _findings(report) == [("contradiction", "warning", "a")]
    [cell] = [c for c in report.claims[0].cells if c.article == "a"]
    assert [e.provisional for e in cell.evidence] == [True]


def test_a_firm_wrong_figure_still_contradicts_at_error_level() -> None:
    report = check_texts(SHARE, {"a": "Rivera won 52% of the vote.", "b": "Rivera won 58.6%."})
    assert ("contradiction", "error", "a") in _findings(report)


DATED = """\
claims:
  - id: toll
    question: How many people died?
    type: count
    about: [died, killed, toll]
    values:
      "38": {as_of: 2025-03-10}
      "57": {as_of: 2025-03-12}
      "60": {known_wrong: true}
    expected: "57"
"""


def test_dated_figures_are_judged_by_the_articles_date() -> None:
    report = check_texts(
        DATED,
        {
            "early": "Published: 2025-03-10\nThe quake killed 38 people.",
            "late": "Published: 2025-03-13\nThe quake killed 57 people.",
            "stale": "Published: 2025-03-14\nThe quake killed 38 people.",
            "wrong": "Published: 2025-03-14\nThe quake killed 60 people.",
        },
    )
    # 38 and 57 were each right on a day: no conflict; 60 never was.
    assert _findings(report) == [
        ("contradiction", "error", "wrong"),
        ("stale-figure", "warning", "stale"),
    ]
    verdicts = {c.article: c.verdict.value for c in report.claims[0].cells}
    assert verdicts["early"] == "supports"  # right on its day


RISING = """\
claims:
  - id: toll
    question: How many people died?
    type: count
    about: [died, killed, toll]
    values: {"38": {}, "57": {}}
"""


@pytest.mark.parametrize(
    ("later", "kind"),
    [
        ("The toll rose to 57.", "updated-figure"),  # update wording: a count that grew
        ("The quake killed 57 people.", "conflict"),  # no wording, no `changes: true`
    ],
)
def test_a_figure_that_rises_with_update_wording_is_an_update(later: str, kind: str) -> None:
    report = check_texts(
        RISING,
        {
            "a": "Published: 2025-03-10\nThe quake killed 38 people.",
            "b": f"Published: 2025-03-12\n{later}",
        },
    )
    assert [k for k, _, _ in _findings(report)] == [kind]


def test_changes_true_makes_a_rise_an_update_without_the_wording() -> None:
    claims = RISING.replace("    values:", "    changes: true\n    values:")
    report = check_texts(
        claims,
        {
            "a": "Published: 2025-03-10\nThe quake killed 38 people.",
            "b": "Published: 2025-03-12\nThe quake killed 57 people.",
        },
    )
    assert [(k, s) for k, s, _ in _findings(report)] == [("updated-figure", "info")]


FOUNDED = """\
claims:
  - id: founded
    question: In which year was the company founded?
    type: date
    about: [founded]
    values: {"2016": {}, "2015": {}}
    expected: "2016"
"""


def test_a_date_claims_own_year_is_not_another_occasion() -> None:
    report = check_texts(FOUNDED, {"a": "Published: 2025-06-18\nThe firm was founded in 2015."})
    assert _findings(report) == [("contradiction", "error", "a")]


FIRST_SUMMIT = """\
claims:
  - id: first-summit
    question: Where was the first summit held?
    when: 2023
    about: [summit]
    values: {Xi'an: [Xi'an], Astana: [Astana]}
    expected: Xi'an
"""


@pytest.mark.parametrize(
    ("sentence", "asserted"),
    [
        ("The first summit was held in Xi'an in 2023.", ["Xi'an"]),
        ("The second summit opened in Astana in 2025.", []),  # another year: another occasion
    ],
)
def test_when_names_the_occasion_a_claim_is_about(sentence: str, asserted: list[str]) -> None:
    report = check_texts(FIRST_SUMMIT, {"a": f"Published: 2025-06-18\n{sentence}"})
    assert [v for c in report.claims[0].cells for v in c.asserted] == asserted


def test_a_known_wrong_value_is_never_a_dead_alias() -> None:
    lints = run_validate_texts(DATED, {"a": "Published: 2025-03-13\nThe quake killed 57 people."})
    assert not [f for f in lints if f.kind.value == "dead-alias" and "'60'" in f.message]
    assert [f for f in lints if f.kind.value == "dead-alias" and "'38'" in f.message]


@pytest.mark.parametrize(
    ("values", "hint"),
    [
        ('{"38": [38], "57": [57]}', "declare type: count"),
        ('{"$1.5 billion": [$1.5 billion], "$2 billion": [$2 billion]}', "declare type: money"),
        ('{"47.1%": [47.1%], "52%": [52%]}', "declare type: percent"),
        ('{"72 km": [72 km], "40 km": [40 km]}', "declare type: number, unit: km"),
        ('{"June 17": [June 17], "June 18": [June 18]}', "declare type: date"),
        ("{Almaty: [Almaty], Astana: [Astana]}", None),
        ('{"38": [38], "over 2,000": [over 2,000]}', None),  # a hedged name is no figure
    ],
)
def test_validate_suggests_a_type_for_values_that_read_as_figures(
    values: str, hint: str | None
) -> None:
    claims = f"claims:\n  - id: c\n    question: q\n    values: {values}\n"
    lints = [f for f in run_validate_texts(claims, {"a": "Nothing here."}) if f.code == "CF111"]
    assert [hint in f.message for f in lints] == ([] if hint is None else [True])


def test_validate_suggests_when_for_a_claim_only_another_year_mentions() -> None:
    claims = textwrap.dedent("""\
        claims:
          - id: first
            question: Where was the first summit held?
            about: [summit]
            values: {Xi'an: [Xi'an], Astana: [Astana]}
    """)
    article = "Published: 2025-06-18\nThe summit was held in Xi'an in 2023."
    lints = [f for f in run_validate_texts(claims, {"a": article}) if f.code == "CF111"]
    assert ["name it with when: YYYY" in f.message for f in lints] == [True]


SEATS = """\
claims:
  - id: seats
    question: How many seats did Labour win?
    type: count
    unit: seats
    when: 2024
    about: [seats, MPs, won]
    values: {"412 seats": {}, "410 seats": {}}
    expected: "412 seats"
"""


@pytest.mark.parametrize(
    ("sentence", "asserted"),
    [
        # The 2001 is the 413's year: another figure stands between it and the 412.
        ("Labour won 412 seats, just behind the 413 it won in 2001.", ["412 seats"]),
        ("Labour won 412 seats in 2024.", ["412 seats"]),
        ("Labour won 410 seats in 2019.", []),  # the figure's own year is another one
    ],
)
def test_a_typed_figure_is_placed_in_time_by_its_own_years(
    sentence: str, asserted: list[str]
) -> None:
    report = check_texts(SEATS, {"a": f"Published: 2024-07-06\n{sentence}"})
    assert [v for c in report.claims[0].cells for v in c.asserted] == asserted


def test_an_ordinal_minute_is_a_time_mark() -> None:
    claims = textwrap.dedent("""\
        claims:
          - id: minute
            question: In which minute was the first goal scored?
            type: number
            unit: minutes
            about: [penalty, goal]
            values: {"23 minutes": {}, "32 minutes": {}}
    """)
    report = check_texts(claims, {"a": "A 23rd-minute penalty put them ahead."})
    assert [v for c in report.claims[0].cells for v in c.asserted] == ["23 minutes"]
