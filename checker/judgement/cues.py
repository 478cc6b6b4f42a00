"""Decide whether a mention sits in a negated or hedged clause of its sentence."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from checker.base.lexicon import CLAUSE_PUNCTUATION as CLAUSE_MARKS
from checker.base.lexicon import CONTRAST_WORDS, PLAIN_WORD_RE, RELATIVE_WORDS, SUBORDINATORS

NEGATORS = frozenset("not never no neither nor without none nobody nothing nowhere".split())
# Verbs of denial scope over their complement clause: "denied that it met in Astana".
DENIALS = frozenset(
    "deny denies denied denying refute refutes refuted dismissed dispute disputes disputed "
    "rejected rejects".split()
)
# "not only X but also Y" asserts X.
ADDITIVE_AFTER_NOT = frozenset("only just merely exclusively solely simply least".split())
HEDGES = frozenset(
    "may might could reportedly allegedly possibly probably likely perhaps apparently "
    "supposedly purportedly rumoured rumored expected unconfirmed speculated presumably "
    "reported".split()
)
# A negation's scope ends at any clause mark; "whose" ties a noun to its clause, not a new one.
# "appeared not to react as Judge X handed down the term": "as" and "when" open a clause of
# their own, which the negation before them does not reach.
CLAUSE_WORDS = frozenset(
    {
        *CONTRAST_WORDS,
        *SUBORDINATORS,
        *(w for w in RELATIVE_WORDS if w != "whose"),
        "as",
        "when",
        "until",
        "once",
    }
)
AUXILIARIES = frozenset(
    "is was are were be been being am do does did has have had will would shall should can "
    "could may might must".split()
)
CLAUSE_PUNCTUATION = frozenset(CLAUSE_MARKS + '"')
NEGATION_WINDOW = 8  # words a negator may stand before the mention
_WORDS = re.compile(r"\w+|[,;:()\[\]\"]| - |\s-\s")


@dataclass(frozen=True, slots=True)
class Word:
    """A word (or clause mark) of a sentence, lower-cased, with its offsets."""

    text: str
    start: int
    end: int


_MONTH_MAY = re.compile(r"May(?=\s+\d)|May(?<=\d\sMay)")


def sentence_words(text: str) -> list[Word]:
    """Return the words and clause marks of a sentence, contractions expanded to 'not'."""
    words: list[Word] = []
    for match in _WORDS.finditer(text):
        token = match.group().strip().lower()
        if token == "t" and words and text[match.start() - 1 : match.start()] == "'":
            token = "not"  # didn't, wasn't, can't
        elif token == "may" and _MONTH_MAY.match(text, match.start()):
            token = "may (month)"  # "May 19", "19 May", "May 2023" name a month, not a hedge
        words.append(Word(token, match.start(), match.end()))
    return words


_CUE_WORDS = NEGATORS | DENIALS | HEDGES | {"t"}  # "t" of didn't, wasn't
_PLAIN_WORDS = PLAIN_WORD_RE


def may_qualify(text: str) -> bool:
    """Tell whether a sentence has any word that could negate or hedge a mention in it."""
    return not _CUE_WORDS.isdisjoint(_PLAIN_WORDS.findall(text.lower()))


def _is_break(word: str, *, denial_scope: bool) -> bool:
    if word in CLAUSE_PUNCTUATION or word == "-":
        return True
    return word in CLAUSE_WORDS and not (denial_scope and word == "that")


def _negated_before(words: list[Word], first: int) -> bool:
    for distance, i in enumerate(range(first - 1, -1, -1)):
        word = words[i].text
        if word in DENIALS:
            return True
        if _is_break(word, denial_scope=_denial_ahead(words, i)):
            return False
        if distance < NEGATION_WINDOW and word in NEGATORS:
            following = words[i + 1].text if i + 1 < len(words) else ""
            return following not in ADDITIVE_AFTER_NOT
    return False


def _denial_ahead(words: list[Word], at: int) -> bool:
    """Tell whether a denial verb governs the clause that starts at `at`."""
    return any(w.text in DENIALS for w in words[max(0, at - 3) : at])


def _negated_after(words: list[Word], last: int) -> bool:
    """Catch "Astana was not the venue": auxiliaries, then a negator, right after the mention."""
    for i in range(last + 1, min(len(words), last + 4)):
        word = words[i].text
        if word in NEGATORS:
            following = words[i + 1].text if i + 1 < len(words) else ""
            return following not in ADDITIVE_AFTER_NOT
        if word not in AUXILIARIES:
            return False
    return False


class SentenceCues:
    """A sentence's words with their clause breaks, negators and hedges indexed once.

    Classifying a mention then costs a binary search and a bounded look-around, so a sentence
    with thousands of mentions stays linear (a rescan per mention was quadratic).
    """

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.starts = [w.start for w in words]
        self.ends = [w.end for w in words]
        count = len(words)
        # Breaks as the backward negation scan sees them ("denied that" does not end a clause).
        self.scan_break = [
            _is_break(w.text, denial_scope=_denial_ahead(words, i)) for i, w in enumerate(words)
        ]
        plain_break = [_is_break(w.text, denial_scope=False) for w in words]
        self.denials = [0]
        self.hedges = [0]
        for w in words:
            self.denials.append(self.denials[-1] + (w.text in DENIALS))
            self.hedges.append(self.hedges[-1] + (w.text in HEDGES))
        self.last_scan_break = []  # nearest scan break at or before i, or -1
        self.previous_break = []  # nearest plain break before i, or -1
        seen, plain = -1, -1
        for i in range(count):
            self.previous_break.append(plain)
            if self.scan_break[i]:
                seen = i
            if plain_break[i]:
                plain = i
            self.last_scan_break.append(seen)
        self.next_break = [count] * count  # nearest plain break after i, or count
        upcoming = count
        for i in range(count - 1, -1, -1):
            self.next_break[i] = upcoming
            if plain_break[i]:
                upcoming = i

    def _negated_before(self, first: int) -> bool:
        words = self.words
        stop = max(-1, first - 1 - NEGATION_WINDOW)
        for i in range(first - 1, stop, -1):  # the window: a negator counts here
            word = words[i].text
            if word in DENIALS:
                return True
            if self.scan_break[i]:
                return False
            if word in NEGATORS:
                following = words[i + 1].text if i + 1 < len(words) else ""
                return following not in ADDITIVE_AFTER_NOT
        if stop < 0:
            return False
        # Past the window only a denial verb counts, up to the clause's start.
        broken = self.last_scan_break[stop]
        return self.denials[stop + 1] - self.denials[broken + 1] > 0

    def classify(self, start: int, end: int) -> tuple[bool, bool]:
        """Return (negated, hedged) for the mention at [start, end) of the sentence."""
        first = bisect_right(self.ends, start)  # the first word that ends after the start
        last = bisect_left(self.starts, end) - 1  # the last word that starts before the end
        if first > last:
            return False, False
        negated = self._negated_before(first) or _negated_after(self.words, last)
        clause_start = self.previous_break[first] + 1
        clause_end = self.next_break[last]
        hedged = self.hedges[clause_end] - self.hedges[clause_start] > 0
        return negated, hedged


def classify(words: list[Word], start: int, end: int) -> tuple[bool, bool]:
    """Return (negated, hedged) for the mention at [start, end) of the sentence."""
    return SentenceCues(words).classify(start, end)
