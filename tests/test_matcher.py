"""Matching rules, each a table of should-match and should-not-match rows."""

from __future__ import annotations

import pytest

from checker.base.text import fold_text
from checker.judgement.matcher import PhraseIndex, cue_claims, find_all, leftmost_longest


def matched(aliases: list[tuple[str, str, str]], text: str) -> list[tuple[str, str]]:
    """Return (alias, matched text) for each counted match of the aliases in the text."""
    index = PhraseIndex()
    for claim, value, alias in aliases:
        index.add(claim, value, alias)
    normalised = fold_text(text)
    found = leftmost_longest(find_all(index, normalised))
    return [(m.phrase.alias, normalised[m.start : m.end]) for m in found]


WHOLE_WORDS = [
    ("Xi", "Xi met Tokayev.", True),
    ("Xi", "Xi's visit", True),
    ("Xi", "Xi’s visit", True),
    ("Xi", "It was XI.", True),  # matching ignores case
    ("Xi", "in Xinjiang", False),
    ("Xi", "in Xi’an", False),
    ("Xi", "Xi'an", False),
    ("Neill", "O'Neill spoke", False),
    ("Astana", "(Astana)", True),
    ("Astana", "Astana-based", True),
    ("Central Asia", "Central Asian states", False),
    ("Central Asia", "Central  Asia", True),  # whitespace runs collapse
    ("Central Asia", "Central\u00a0Asia", True),
    ("Israel-Iran", "Israel–Iran conflict", True),  # dashes fold
    ("Communist Party's", "Communist Party’s Politburo", True),  # apostrophes fold
    ("U.S.", "the U.S. tariffs", True),
    ("U.S.", "the U.S.A. tariffs", False),
    ("ASEAN", "ＡＳＥＡＮ", True),  # NFKC
    ("café", "Cafe\u0301 owners", True),
]


@pytest.mark.parametrize(("alias", "text", "should_match"), WHOLE_WORDS)
def test_whole_words_only(alias: str, text: str, should_match: bool) -> None:
    assert bool(matched([("c", "v", alias)], text)) is should_match


ACRONYMS = [
    ("US", "the US tariffs", True),
    ("US", "join us today", False),
    ("US", "Us and them", False),
    ("UN", "the UN charter", True),
    ("UN", "un-American", False),
    ("ASEAN", "Asean members", False),
    ("Us", "join US today", True),  # an alias not in capitals matches any case
]


@pytest.mark.parametrize(("alias", "text", "should_match"), ACRONYMS)
def test_acronyms_match_only_in_capitals(alias: str, text: str, should_match: bool) -> None:
    assert bool(matched([("c", "v", alias)], text)) is should_match


TRUMP = [
    ("o", "former", "former President Donald Trump"),
    ("o", "sitting", "President Donald Trump"),
]
OVERLAPS = [
    (TRUMP, "after former President Donald Trump began", [("former President Donald Trump",) * 2]),
    (TRUMP, "tariffs President Donald Trump imposed", [("President Donald Trump",) * 2]),
    (
        [("c", "a", "Russia-Ukraine war"), ("c", "b", "Ukraine war")],
        "the Russia-Ukraine war and the Ukraine war",
        [("Russia-Ukraine war",) * 2, ("Ukraine war",) * 2],
    ),
    (
        # Different claims evaluate independently: both count their own alias.
        [("one", "a", "Foreign Minister Wang Yi"), ("two", "b", "Foreign Minister")],
        "Foreign Minister Wang Yi",
        [("Foreign Minister",) * 2, ("Foreign Minister Wang Yi",) * 2],
    ),
]


@pytest.mark.parametrize(("aliases", "text", "expected"), OVERLAPS)
def test_longest_match_wins_and_its_parts_do_not_count(
    aliases: list[tuple[str, str, str]],
    text: str,
    expected: list[tuple[str, str]],
) -> None:
    assert matched(aliases, text) == expected


def test_cues_are_found_but_never_counted_as_values() -> None:
    index = PhraseIndex()
    index.add("loc", None, "met")
    index.add("loc", "Almaty", "Almaty")
    index.add("other", None, "summit")
    matches = find_all(index, "They met in Almaty.")
    assert cue_claims(matches) == {"loc"}
    assert [m.phrase.alias for m in leftmost_longest(matches)] == ["Almaty"]
