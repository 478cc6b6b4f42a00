"""Mention roles: a value's alias answers the claim only where it answers it (README rules)."""

from __future__ import annotations

import pytest

from checker.judgement.mentions import article_year
from tests.harness import assert_findings, check_texts

MEETING_AND_SUMMIT = """
claims:
  - id: meeting
    question: Where did the ministers meet?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met, meeting]
  - id: summit
    question: Where was the summit held?
    values: {Almaty: [Almaty], Astana: [Astana], "Xi'an": ["Xi'an"]}
    about: [summit]
  - id: date
    question: On what day was the summit held?
    values: {June 17: [June 17], June 18: [June 18]}
    about: [summit, held]
  - id: represented
    question: Who attended for China?
    values: {Wang Yi: [Wang Yi], Xi: [Xi]}
  - id: chair
    question: Who chaired the meeting?
    values: {Lavrov: [Lavrov], Tokayev: [Tokayev], Mirziyoyev: [Mirziyoyev]}
    about: [chaired]
  - id: magnitude
    question: What was the quake's magnitude?
    values: {"6.4": ["6.4"], "6.6": ["6.6"], "7.1": ["7.1"]}
    about: [magnitude, quake, measuring]
  - id: depth
    question: How deep was the tremor?
    values: {"10": ["10"], "16": ["16"]}
    about: [tremor]
  - id: tally
    question: How many votes did Mills get in the final count?
    values: {"10,467": ["10,467"], "10,326": ["10,326"]}
    about: [tally, votes]
  - id: lead
    question: By how many votes did Mills lead?
    values: {"3,377": ["3,377"], "3,330": ["3,330"]}
    about: [lead]
  - id: rescued
    question: How many workers were rescued?
    values: {"21": ["21"], "28": ["28"]}
    about: [rescued]
  - id: missing
    question: How many workers are missing?
    values: {"38": ["38"], "44": ["44"]}
    about: [missing]
  - id: guests
    question: Which leaders attended?
    kind: any-of
    values: {Lavrov: [Lavrov], Tokayev: [Tokayev]}
    about: [attended]
"""


def answers(text: str, claim: str) -> tuple[list[str], list[str]]:
    """Return what one article asserts for a claim, and the values only mentioned otherwise."""
    report = check_texts(MEETING_AND_SUMMIT, {"a": text})
    [found] = [c for c in report.claims if c.id == claim]
    cells = found.cells
    asserted = [v for c in cells for v in c.asserted]
    other = [e.value for c in cells for e in c.evidence if not e.counts and not e.discounted]
    return asserted, other


ROLE_CASES = [
    # (sentence, claim, asserted, mentioned as another occasion)
    ("The ministers met in Almaty to prepare for the summit in Astana.", "meeting", ["Almaty"], []),
    ("The ministers met in Almaty to prepare for the summit in Astana.", "summit", ["Astana"], []),
    ("The ministers met in Almaty ahead of the summit in Astana.", "meeting", ["Almaty"], []),
    ("The first summit was held in Xi'an in 2023.", "summit", [], ["Xi'an"]),
    ("The upcoming summit in Astana will follow the meeting.", "summit", [], ["Astana"]),
    (
        "The summit in Astana followed the inaugural summit in Xi'an.",
        "summit",
        ["Astana"],
        ["Xi'an"],
    ),
    ("The summit will be held in Astana for the first time.", "summit", ["Astana"], []),
    ("ASTANA — The ministers met in Almaty on Saturday.", "meeting", ["Almaty"], []),
    (
        "BEIJING, June 18 (Xinhua) -- The summit was held in Astana on June 17.",
        "date",
        ["June 17"],
        [],
    ),
    ("Xi attended the summit, Foreign Minister Wang Yi said.", "represented", ["Xi"], []),
    ("Xi attended the summit, said Foreign Minister Wang Yi.", "represented", ["Xi"], []),
    ("According to Wang Yi, Xi attended the summit.", "represented", ["Xi"], []),
    ("Wang Yi, a member of the Politburo, said the summit went well.", "represented", [], []),
    ("Wang Yi met his counterparts in Almaty.", "represented", ["Wang Yi"], []),
    ("The ministers met in Almaty, the Astana Times reported.", "meeting", ["Almaty"], []),
    ("The summit signed the Astana Declaration in the capital.", "summit", [], []),
    ("A plant will be built in the Almaty Region after the summit.", "summit", [], []),
    ("The summit in Astana on Tuesday was brief.", "summit", ["Astana"], []),
    ("Xi will attend the summit from June 17 to 18.", "date", [], []),
    ("Xi will attend the summit on June 17-18.", "date", [], []),
    ("The summit was the first summit of its kind in Astana.", "summit", ["Astana"], []),
    # One sentence, two answers to a one-of claim: a relative clause answers another question.
    ("The talks were chaired by Lavrov, which was opened by Tokayev.", "chair", ["Lavrov"], []),
    ("The talks were chaired by Lavrov, who welcomed Tokayev.", "chair", ["Lavrov"], []),
    ("Tokayev spoke first, while the talks were chaired by Lavrov.", "chair", ["Lavrov"], []),
    # Lists, appositives, shared roles and separate clauses with their own cue keep every value.
    ("The talks were chaired by Lavrov and Tokayev.", "chair", ["Lavrov", "Tokayev"], []),
    (
        "The talks were chaired by Lavrov, Tokayev and Mirziyoyev in turn.",
        "chair",
        ["Lavrov", "Mirziyoyev", "Tokayev"],
        [],
    ),
    ("Lavrov chaired the talks; Tokayev chaired the dinner.", "chair", ["Lavrov", "Tokayev"], []),
    ("Tokayev attended, but also Lavrov, who attended late.", "guests", ["Lavrov", "Tokayev"], []),
    # Measures of another dimension, bearings, superseded and past figures.
    ("The quake struck at a depth of 6.6 miles.", "magnitude", [], []),
    ("The quake, measuring 6.4, was felt 6.6 km away.", "magnitude", ["6.4"], []),
    ("The tremor was 10 miles down.", "depth", ["10"], []),
    ("The quake measured 6.6 on the scale.", "magnitude", ["6.6"], []),
    (
        "The quake had a magnitude of 6.4, down from an initial estimate of 6.6.",
        "magnitude",
        ["6.4"],
        ["6.6"],
    ),
    ("The quake, initially reported as a magnitude 6.6, was shallow.", "magnitude", [], ["6.6"]),
    ("It was the strongest quake since a 7.1 quake struck.", "magnitude", [], ["7.1"]),
    ("The ministers met 40 km north-east of Almaty.", "meeting", [], []),
    ("His lead grew from 3,330 on Nov. 17 to 3,377 on Wednesday.", "lead", ["3,377"], ["3,330"]),
    ("His lead is 3,330 votes, up from 3,377.", "lead", ["3,330"], ["3,377"]),
    ("Of the 28 workers rescued, 21 were in critical condition.", "rescued", ["28"], []),
    ("Crews rescued 28, 21 and 9 workers on three days.", "rescued", ["21", "28"], []),
    ("The number of missing was revised from 38 to 44.", "missing", ["44"], ["38"]),
    ("The quake was revised down from 6.6 to 6.4.", "magnitude", ["6.4"], ["6.6"]),
    # A provisional count gives way to the article's firm one, and only to it.
    (
        "Mills won 10,467 votes in the final tally. A partial tally on Nov. 17 showed 10,326 votes.",
        "tally",
        ["10,467"],
        ["10,326"],
    ),
    ("A partial, unofficial tally on Nov. 17 showed 10,326 votes.", "tally", ["10,326"], []),
    ("The ministers met in Almaty, well south of Astana.", "meeting", ["Almaty"], []),
    ("The ministers met in Almaty, the initial host.", "meeting", ["Almaty"], []),
    (
        "The talks were attended by Tokayev, which pleased Lavrov.",
        "guests",
        ["Lavrov", "Tokayev"],
        [],
    ),
]


@pytest.mark.parametrize(("text", "claim", "asserted", "other"), ROLE_CASES)
def test_mention_roles(text: str, claim: str, asserted: list[str], other: list[str]) -> None:
    assert answers(text, claim) == (asserted, other)


def test_a_claim_that_asks_for_the_source_keeps_the_speaker() -> None:
    claims = """
    claims:
      - id: account
        question: Which body gave the official account?
        values: {ministry: [Ministry of Foreign Affairs], council: [State Council]}
    """
    report = check_texts(
        claims, {"a": "The meeting went well, the Ministry of Foreign Affairs said."}
    )
    assert report.claims[0].cells[0].asserted == ("ministry",)


def test_a_headline_in_title_case_keeps_a_name_part() -> None:
    report = check_texts(MEETING_AND_SUMMIT, {"a": "Leaders Meet At Astana Summit\n\nIt ended."})
    [summit] = [c for c in report.claims if c.id == "summit"]
    assert [v for c in summit.cells for v in c.asserted] == ["Astana"]


def test_may_before_a_day_is_a_month_not_a_hedge() -> None:
    report = check_texts(MEETING_AND_SUMMIT, {"a": "The first summit was held in Xi'an on May 19."})
    [summit] = [c for c in report.claims if c.id == "summit"]
    assert [e.hedged for c in summit.cells for e in c.evidence] == [False]
    report = check_texts(MEETING_AND_SUMMIT, {"a": "The summit may be held in Astana."})
    [summit] = [c for c in report.claims if c.id == "summit"]
    assert [e.hedged for c in summit.cells for e in c.evidence] == [True]


def test_another_occasion_never_makes_a_conflict_or_a_contradiction() -> None:
    claims = MEETING_AND_SUMMIT.replace(
        "about: [summit]\n", "about: [summit]\n    expected: Astana\n", 1
    )
    assert_findings(
        claims,
        {
            "a": "The summit was held in Astana. The first summit was held in Xi'an in 2023.",
            "b": "Leaders gathered in Astana for the summit.",
        },
        conflict=[],
        contradiction=[],
        mixed=[],
    )


def test_a_year_other_than_the_articles_marks_another_occasion() -> None:
    text = (
        "Title\ndate 2025-06-18\nThe 2019 summit was held in Almaty. The summit was held in Astana."
    )
    assert answers(text, "summit") == (["Astana"], ["Almaty"])


YEAR_CASES = [
    # (metadata, text, the article's year)
    ({"date": "2025-06-13"}, "Since 2013, ties have grown.", "2025"),
    ({"dateline_date": "June 16, 2025"}, "The 2023 summit was in Xi'an.", "2025"),
    ({"date": "2024"}, "In 2023 and again in 2025 they met.", "2024"),  # a meta line's year
    # Undated copy: never guessed from the years it names (they may be history).
    ({}, "The summit of 2025 opened. In 2023 the first was held. The 2025 agenda is long.", None),
    ({}, "Since the first summit was held in Xi'an in May 2023, ties have grown.", None),
    ({}, "Since 2013, trade has doubled. In 2013 they first met.", None),
    ({}, "In 2025 they met; ties have grown since 2013.", None),
    ({}, "Ties have grown since then.", None),
]


@pytest.mark.parametrize(("metadata", "text", "year"), YEAR_CASES)
def test_the_articles_year(metadata: dict[str, str], text: str, year: str | None) -> None:
    assert article_year(metadata, text) == year


def test_an_undated_article_looking_back_since_a_year_keeps_that_event_apart() -> None:
    # Real copy pasted without its date: the only year is the one the article looks back on.
    text = (
        "Since the summit was held in Xi'an in May 2023, relations have entered a new era. "
        "The leaders gathered in Astana for the summit on Tuesday."
    )
    assert answers(text, "summit") == (["Astana"], ["Xi'an"])


def test_the_claims_own_occasion_words_mark_another_occasion() -> None:
    claims = MEETING_AND_SUMMIT.replace(
        "about: [met, meeting]", "about: [met, meeting]\n    other_occasions: [fifth]"
    )
    report = check_texts(claims, {"a": "The fifth meeting was held in Astana; they met in Almaty."})
    [meeting] = [c for c in report.claims if c.id == "meeting"]
    assert [v for c in meeting.cells for v in c.asserted] == ["Almaty"]


STRAY_CASES = [
    # (article, the sentence's expected kind)
    ("They met in Almaty.\nSeparately, a football club in Zanzibar signed a new coach.", "stray"),
    ("They met in Almaty.\n- Pursue closer cooperation", "unsupported"),
    (
        "They met in Almaty for talks.\nNoting the talks, Mukhtar Aliyev praised the meeting format.",
        "unsupported",
    ),
    (
        "They met in Almaty for talks on trade.\nThe talks on trade impressed Mukhtar Aliyev.",
        "unsupported",
    ),
    # The speaker of a quote is a source, not a new subject; what the quote names still counts.
    ('They met in Almaty.\n"I will not discuss any proposals," Bruce added.', "unsupported"),
    ('They met in Almaty.\n"We will say nothing more," said Minister Tamsin Hale.', "unsupported"),
    ('They met in Almaty.\n"A football club in Zanzibar signed a striker," Bruce added.', "stray"),
]


@pytest.mark.parametrize(("text", "kind"), STRAY_CASES)
def test_stray_means_off_topic(text: str, kind: str) -> None:
    report = check_texts(MEETING_AND_SUMMIT, {"a": text})
    kinds = [f.kind.value for f in report.findings if f.line == 2]
    assert kinds == [kind]


def test_a_subheading_is_never_reported_as_unsupported() -> None:
    report = check_texts(
        MEETING_AND_SUMMIT, {"a": "They met in Almaty.\nRegional Consensus Emerges\nIt ended."}
    )
    assert [f.line for f in report.findings] == [3]


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        # A year looked back on, or one that dates another noun, leaves the event in place.
        ("They met in Astana, the largest meeting since 1997.", ["Astana"]),
        ("They met in Astana after the 2019 crisis in the region.", ["Astana"]),
        # A year that places the event, or one in the cue's own clause, moves it.
        ("They met in Astana in 2019.", []),
        ("On May 18, 2019, they met in Astana.", []),
    ],
)
def test_only_years_that_place_the_event_make_it_another_occasion(
    sentence: str, counted: list[str]
) -> None:
    text = f"Title\ndate 2025-06-18\n{sentence}"
    assert answers(text, "meeting")[0] == counted
