"""Decide whether a mention sits in a negated or hedged clause of its sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
CLAUSE_WORDS = frozenset(
    "but while whereas although though however that which who whom where because since "
    "after before when unless yet".split()
)
AUXILIARIES = frozenset(
    "is was are were be been being am do does did has have had will would shall should can "
    "could may might must".split()
)
CLAUSE_PUNCTUATION = frozenset(',;:()[]"')
NEGATION_WINDOW = 8  # words a negator may stand before the mention
_WORDS = re.compile(r"\w+|[,;:()\[\]\"]| - |\s-\s")


@dataclass(frozen=True, slots=True)
class Word:
    """A word (or clause mark) of a sentence, lower-cased, with its offsets."""

    text: str
    start: int
    end: int


def sentence_words(text: str) -> list[Word]:
    """Return the words and clause marks of a sentence, contractions expanded to 'not'."""
    words: list[Word] = []
    for match in _WORDS.finditer(text):
        token = match.group().strip().lower()
        if token == "t" and words and text[match.start() - 1 : match.start()] == "'":
            token = "not"  # didn't, wasn't, can't
        words.append(Word(token, match.start(), match.end()))
    return words


_CUE_WORDS = NEGATORS | DENIALS | HEDGES | {"t"}  # "t" of didn't, wasn't
_PLAIN_WORDS = re.compile(r"\w+")


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


def _clause(words: list[Word], first: int, last: int) -> list[Word]:
    start = first
    while start > 0 and not _is_break(words[start - 1].text, denial_scope=False):
        start -= 1
    end = last
    while end + 1 < len(words) and not _is_break(words[end + 1].text, denial_scope=False):
        end += 1
    return words[start : end + 1]


def classify(words: list[Word], start: int, end: int) -> tuple[bool, bool]:
    """Return (negated, hedged) for the mention at [start, end) of the sentence."""
    inside = [i for i, w in enumerate(words) if w.start < end and w.end > start]
    if not inside:
        return False, False
    first, last = inside[0], inside[-1]
    negated = _negated_before(words, first) or _negated_after(words, last)
    hedged = any(w.text in HEDGES for w in _clause(words, first, last))
    return negated, hedged
