"""Salient words: the rare words that say what a sentence is about (the stray test's input).

A word is salient when English uses it rarely: its Zipf frequency (log10 of its occurrences
per billion words) in a background list is below SALIENT_ZIPF. The list ships in
`checker/data/word_frequency.txt`, derived from wordfreq (see that file's header); a word it
does not hold (a name, a term of art) is rarer than any listed word, so it is salient. "key",
"central", "Monday" and "relations" are common and say nothing about a topic; "Egypt",
"tsunami", "soybean" and "Kishida" do.

A sentence no claim supports is *off-topic* when the words it shares with the rest of its
article and with the claims that cover the article weigh less than ON_TOPIC_WEIGHT, and it has
at least MIN_SALIENT salient words they lack, one of them a name, that no article speaking to
one of the same claims uses either (the reduction checks that last part).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from checker.judgement.novelty import FUNCTION_WORDS

# Words at least this frequent in English (about 30 per million words: "central", "key",
# "Monday", "relations", "said") are not salient: alone they say nothing about a topic.
SALIENT_ZIPF = 4.6
# A word's weight as evidence of a topic is how much rarer than this it is (Zipf points): the
# commonest content words ("game", "party", "central") weigh nothing, "Monday" 0.5, "seats"
# 0.7, "Egypt" 0.8, an unlisted name 5.3.
WEIGHTLESS_ZIPF = 5.3
# A sentence is on its article's topic when the words it shares with the rest of the article
# and the claims covering it weigh this much: one salient word, or two less common ones
# ("Scottish", "seats"), but not "central" and "key" together.
ON_TOPIC_WEIGHT = 0.6
# An off-topic sentence has at least this many salient words that its context lacks, one of
# them a name: one rare word ("He thanked Nadella.") is too little to tell a digression from a
# new name in the story, and rare verbs and adjectives ("marred by chaos") are the writer's.
MIN_SALIENT = 2
# Letters only (no digits), parts of a hyphenated word taken one by one, an apostrophe inside.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Per-word answers are cached: an archive's vocabulary repeats (names, a beat's words).
CACHED_WORDS = 1 << 16
_OPENERS = " \"'‘“([-—–"


@cache
def zipf_table() -> dict[str, float]:
    """Return the background list: word → Zipf frequency (unlisted words are rarer than 3)."""
    text = resources.files("checker").joinpath("data/word_frequency.txt").read_text("utf-8")
    table: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            zipf, *words = line.split()
            table.update(dict.fromkeys(words, float(zipf)))
    return table


@lru_cache(maxsize=CACHED_WORDS)
def word_key(word: str) -> str:
    """Return the comparison key of a word: lower case, no accents, no possessive, singular."""
    lower = _POSSESSIVE.sub("", word.lower())
    if not lower.isascii():
        decomposed = unicodedata.normalize("NFKD", lower)
        lower = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3] + "y"
    if len(lower) > 4 and lower.endswith("es") and lower[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return lower[:-2]
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    return lower


@lru_cache(maxsize=CACHED_WORDS)
def zipf(word: str) -> float:
    """Return a word's Zipf frequency in English, 0.0 when the list does not hold it."""
    lower = word.lower()
    table = zipf_table()
    plain = _POSSESSIVE.sub("", lower)
    # The word as written, less a possessive ("talks" is rarer than "talk"), then singular.
    return table.get(plain) or table.get(lower) or table.get(word_key(word), 0.0)


@lru_cache(maxsize=CACHED_WORDS)
def weight(word: str) -> float:
    """Return a word's weight as evidence of a topic: 0 for function and common words."""
    if len(word) < 3 or word.lower() in FUNCTION_WORDS:
        return 0.0
    return round(max(0.0, WEIGHTLESS_ZIPF - zipf(word)), 2)


@lru_cache(maxsize=CACHED_WORDS)
def is_salient(word: str) -> bool:
    """Tell whether a word is rare enough in English to say what a sentence is about."""
    return bool(weight(word)) and zipf(word) < SALIENT_ZIPF


def words_of(text: str) -> list[str]:
    """Return the words of a text as written: letters only, hyphenated words in parts."""
    return _WORD.findall(text)


class Word(NamedTuple):
    """A content word of a sentence: as first written, and whether it reads as a name."""

    written: str
    name: bool


def content_words(text: str) -> dict[str, Word]:
    """Return a text's words that have a weight: key → the word as first written.

    A word is a name when it is capitalised inside the sentence, or opens it and is not an
    English word at all ("Broadcom shares rose", not "Heavy rain fell").
    """
    found: dict[str, Word] = {}
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group())
        if not weight(word):
            continue
        opening = not text[: match.start()].strip(_OPENERS)
        name = word[:1].isupper() and (not opening or not zipf(word))
        key = word_key(word)
        if key not in found or (name and not found[key].name):
            found[key] = Word(word, name)
    return found


def keys(words: Iterable[str]) -> set[str]:
    """Return the comparison keys of words."""
    return {word_key(word) for word in words}


# A credit written as a sentence of its own ("Photo: Jane Roe / AFP."), an embedded post's
# attribution ("— Jane Roe (@janeroe) June 1, 2022") and a dateline standing alone ("BAKU,
# Azerbaijan, December 18."): page furniture, never off-topic.
_CREDIT_RE = re.compile(
    r"^\W*(?:photo|image|picture|video|graphic|credit|source)s?\b\s*(?::|by\b|/|\|)"
    r"|\(@\w+\)",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(r"^[A-Z]{3,}(?:[ -][A-Z]{2,})*,[^.!?]{0,40}[.:]?\s*$")


def is_credit(text: str) -> bool:
    """Tell whether a sentence is a credit, an attribution or a bare dateline."""
    return _CREDIT_RE.search(text) is not None or _DATELINE_RE.match(text) is not None
