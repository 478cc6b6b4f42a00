"""Article anatomy: each line's role, datelines split off, chrome and credits dropped.

Every line here was written for these tests, in the shapes of real web and wire copy.
"""

from __future__ import annotations

import pytest

from checker.articles.anatomy import Role, is_credit, is_meta, read_line
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import LineKind, parse_article

DATELINES = [
    # (line, place, date, agency, the prose after it)
    ("ASTANA — The ministers met in Almaty on Saturday.", "ASTANA", None, None, "The ministers"),
    (
        "BEIJING, June 18 (Xinhua) -- The summit was held.",
        "BEIJING",
        "June 18",
        "Xinhua",
        "The summit",
    ),
    ("NAIROBI, March 3 (Reuters) - Talks resumed.", "NAIROBI", "March 3", "Reuters", "Talks"),
    ("LIMA, Peru (AP) — Rescue teams arrived.", "LIMA", None, "AP", "Rescue"),
    ("Geneva (AFP) - Negotiators met again.", "Geneva", None, "AFP", "Negotiators"),
    ("KAZAN, July 2. /TASS/. The forum opened.", "KAZAN", "July 2", "TASS", "The forum"),
    ("BISHKEK/Kabar – Talks ended.", "BISHKEK", None, "Kabar", "Talks"),
    ("OSLO: Fishing quotas were cut.", "OSLO", None, None, "Fishing"),
    ("**DOHA —** The talks opened.", "DOHA", None, None, "The talks"),
    (
        "KUALA LUMPUR, June 18 (Bernama) -- A report said so.",
        "KUALA LUMPUR",
        "June 18",
        "Bernama",
        "A report",
    ),
    ("Dunmore/Kelso, 04 Nov: The toll rose.", "Dunmore/Kelso", "04 Nov", None, "The toll"),
    ("Varnsby, Mar 30 (V7N) – Rescuers dug.", "Varnsby", "Mar 30", "V7N", "Rescuers"),
    ("Lisbon, Portugal | THE PAPER | The vote was close.", "Lisbon", None, "THE PAPER", "The vote"),
    ("Mexico City, June 3 - Voting ended.", "Mexico City", "June 3", None, "Voting"),
]


@pytest.mark.parametrize(("line", "place", "date", "agency", "prose"), DATELINES)
def test_a_dateline_is_split_off_as_metadata(
    line: str, place: str, date: str | None, agency: str | None, prose: str
) -> None:
    anatomy = read_line(line, title=False)
    assert anatomy.dateline is not None
    assert (anatomy.dateline.place, anatomy.dateline.date, anatomy.dateline.agency) == (
        place,
        date,
        agency,
    )
    assert line[anatomy.start :].startswith(prose)


NOT_DATELINES = [
    "The ministers met in Almaty on Saturday.",
    "Kazakhstan's minister spoke first - and longest.",
    "Wang Yi urged partners to:",
    "FT: Norland 1-0 Soria after extra time.",
    "BREAKING: The minister resigned.",
    "Paris, the capital, was calm on Sunday.",
]


@pytest.mark.parametrize("line", NOT_DATELINES)
def test_prose_has_no_dateline(line: str) -> None:
    assert read_line(line, title=False).dateline is None


ROLES = [
    ("- Pursue closer cooperation", Role.LIST_ITEM, "Pursue closer cooperation"),
    ("1. Trade grew quickly.", Role.LIST_ITEM, "Trade grew quickly."),
    ("• Build lasting friendships", Role.LIST_ITEM, "Build lasting friendships"),
    (
        "Five Pillars of Regional Partnership",
        Role.SUBHEADING,
        "Five Pillars of Regional Partnership",
    ),
    ("Wang Yi urged partners to:", Role.PROSE, "Wang Yi urged partners to:"),
    (
        "A leader speaks at the summit in Astana, June 17. (Newswire/Jane Roe)",
        Role.CAPTION,
        "A leader speaks at the summit in Astana, June 17.",
    ),
    ("The talks ended. Photo credit: Ministry of Trade", Role.CAPTION, "The talks ended."),
    (
        "The ministers adopted a communique.///Agency, 28 April 2025",
        Role.PROSE,
        "The ministers adopted a communique.",
    ),
]


@pytest.mark.parametrize(("line", "role", "prose"), ROLES)
def test_each_content_line_has_a_role(line: str, role: Role, prose: str) -> None:
    anatomy = read_line(line, title=False)
    assert anatomy.role is role
    assert line[anatomy.start : anatomy.end] == prose


DROPPED = [
    ("date 2025-06-13", "meta"),
    ("Views: 0 Author: Site Editor Publish Time: 2025-06-18", "meta"),
    ("Agency) 08:09, June 19, 2025", "meta"),
    ("Updated 3 hours ago", "boilerplate"),
    ("(Newswire/Jane Roe)", "credit"),
    ("wechat sharing button", "boilerplate"),
    ("Home / World / Asia", "boilerplate"),
    ("Inquire", "boilerplate"),
    ("• KZT/USD = 0.00194 -0%", "meta"),
    ("(Reporting by Jane Roe; Editing by John Doe)", "credit"),
    # Unbracketed wire photo credits, written for these tests.
    ("JANE ROEWSKI/AP PHOTO", "credit"),
    ("- AFP/John Doe via Getty Images", "credit"),
    ("Reuters/Jane Roe", "credit"),
    ("Getty Images/John Doe", "credit"),
    # Reaction widgets, agency notes and related-headline labels, written for these tests.
    ("What's your reaction?", "boilerplate"),
    ("(With agency inputs)", "boilerplate"),
    ("Also read: Floods cut roads in the north", "boilerplate"),
    ("Read next", "boilerplate"),
]


@pytest.mark.parametrize(("line", "kind"), DROPPED)
def test_non_prose_lines_are_dropped_with_their_kind(line: str, kind: str) -> None:
    article = parse_article(
        f"A headline here\n{line}\nThey met in Almaty.\n", "a", "a.txt", Boilerplate()
    )
    assert [line.kind.value for line in article.lines[1:2]] == [kind]
    assert [s.text for s in article.sentences] == ["A headline here", "They met in Almaty."]


def test_the_links_under_a_reference_heading_are_dropped_until_a_blank_line() -> None:
    text = "Title line\nThey met.\nReference(s):\nA headline of another site\nsite.example\n\nMore prose.\n"
    article = parse_article(text, "a", "a.txt", Boilerplate())
    assert [line.kind for line in article.lines[2:5]] == [
        LineKind.BOILERPLATE,
        LineKind.REFERENCE,
        LineKind.REFERENCE,
    ]
    assert [s.text for s in article.sentences][-1] == "More prose."


def test_prose_is_not_mistaken_for_meta_or_credit() -> None:
    assert not is_meta("On April 26, 2025 the ministers met in Almaty and agreed on a plan.")
    assert not is_credit("(The talks were cordial.)")
    for line in ("Israel/Gaza", "US/China trade talks resume", "Read more at AP/Reuters"):
        assert not is_credit(line), line


def test_the_line_above_a_photo_credit_is_a_caption() -> None:
    text = (
        "A headline here\n\nPolice inspect a damaged building in Kyiv on Thursday.\n\n"
        "JANE ROEWSKI/AP PHOTO\n\nThey met in Almaty.\n"
    )
    article = parse_article(text, "a", "a.txt", Boilerplate())
    roles = {s.text: s.role for s in article.sentences}
    assert roles["Police inspect a damaged building in Kyiv on Thursday."] is Role.CAPTION
    assert roles["They met in Almaty."] is Role.PROSE


def test_the_headline_under_a_breadcrumb_is_the_title() -> None:
    text = "Home / World / Asia\nLeaders gather in the capital\nThey met in Astana.\n"
    assert parse_article(text, "a", "a.txt", Boilerplate()).title == "Leaders gather in the capital"


def test_a_dateline_becomes_article_metadata_and_never_evidence() -> None:
    text = "Title\nBEIJING, June 18 (Xinhua) -- The summit was held on June 17.\n"
    article = parse_article(text, "a", "a.txt", Boilerplate())
    assert article.metadata["dateline_date"] == "June 18"
    assert article.sentences[-1].text == "The summit was held on June 17."


@pytest.mark.parametrize(
    "line",
    [
        "See you next year, the captain told the crowd.",
        "Watch the highlights tonight, fans were urged.",
        "Read the statement, the minister said, and judge for yourself.",
        "Love won the day in the final, the coach said.",
    ],
)
def test_prose_that_opens_like_a_widget_stays_prose(line: str) -> None:
    article = parse_article(f"A headline here\n{line}\n", "a", "a.txt", Boilerplate())
    assert [line.kind.value for line in article.lines[1:2]] == ["content"]
