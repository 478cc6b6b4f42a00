"""The sentence view: one sentence's words, clauses, speech, names, years and numbers, read once.

Every mention rule reads a sentence through its view. A part is computed when a rule first asks
for it and kept for the rest of the sentence's mentions, so a sentence pays only for what its
rules read. The clause marks, the calendar words and the year pattern are defined here (and in
`base.lexicon`) once; `mentions`, `cues` and `novelty` build their tests from them.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import NamedTuple

from checker.base.lexicon import (
    CLAUSE_PUNCTUATION,
    CONTRAST_WORDS,
    RELATIVE_WORDS,
    WORD_RE,
    YEAR_PATTERN,
    YEAR_RE,
)
from checker.judgement.cues import SentenceCues, may_qualify, sentence_words

# Clause marks, from the weakest to the strongest (the words are in `base.lexicon`). A *break*
# ends the stretch of words that an occasion word or a cue reaches; an *opener* starts a clause
# of its own (a comma alone may only join a list or an appositive); the negation scope
# (`cues.CLAUSE_WORDS`) adds the subordinators.
CLAUSE_BREAK = re.compile(
    "[" + re.escape(CLAUSE_PUNCTUATION) + r"]|\s[-–—]\s|\b(?:" + "|".join(CONTRAST_WORDS) + r")\b"
)
CLAUSE_OPENER = re.compile(
    r";|,\s+(?:" + "|".join(RELATIVE_WORDS) + r")\b"
    r"|\b(?:" + "|".join(w for w in CONTRAST_WORDS if w != "but") + r")\b|\bbut\b(?!\s+also\b)"
)
QUOTE_MARKS = frozenset('"“”«»')
CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
# Words that put the event a cue names on another occasion than the article's own.
OCCASION_WORDS = frozenset(
    "first inaugural previous prior former earlier past upcoming forthcoming future next "
    "preceding founding".split()
)
SPEECH_VERBS = frozenset(
    "said says say told tells stated states noted notes added adds announced announces "
    "revealed reveals stressed stresses remarked remarks explained explains wrote writes "
    "reported reports confirmed confirms declared declares argued argues insisted insists "
    "emphasised emphasized underscored briefed".split()
)
_OCCASION_HINT = re.compile(
    r"\b(?:" + "|".join(sorted(OCCASION_WORDS)) + rf"|last|{YEAR_PATTERN})\b", re.IGNORECASE
)
_SPEECH_HINT = re.compile(
    r"\b(?:" + "|".join(sorted(SPEECH_VERBS)) + r"|according|citing|as reported|as told)\b",
    re.IGNORECASE,
)


def may_mark_occasion(text: str) -> bool:
    """Tell cheaply whether a sentence has any built-in sign of another occasion at all."""
    return _OCCASION_HINT.search(text) is not None


def may_attribute(text: str) -> bool:
    """Tell cheaply whether a sentence has any word of reported speech at all."""
    return _SPEECH_HINT.search(text) is not None


# A figure as written: "20", "1,500", "6.4" (typed values, units and money build on this).
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


class Span(NamedTuple):
    """A part of the sentence: its offsets and its text."""

    start: int
    end: int
    text: str


class SentenceView:
    """One sentence as the mention rules read it; parts are computed on first use."""

    def __init__(self, text: str, *, headline: bool = False) -> None:
        self.text = text
        self.headline = headline  # a title or subheading: capitals carry no signal there

    @cached_property
    def words(self) -> tuple[Span, ...]:
        """Return the sentence's words with their offsets."""
        return tuple(Span(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(self.text))

    @cached_property
    def breaks(self) -> tuple[Span, ...]:
        """Return the clause breaks (punctuation, spaced dashes, contrast words)."""
        return tuple(Span(m.start(), m.end(), m.group()) for m in CLAUSE_BREAK.finditer(self.text))

    @cached_property
    def quoted(self) -> bool:
        """Tell whether the sentence carries quotation marks (direct speech)."""
        return not QUOTE_MARKS.isdisjoint(self.text)

    @cached_property
    def reports_speech(self) -> bool:
        """Tell cheaply whether the sentence has any word of reported speech."""
        return may_attribute(self.text)

    @cached_property
    def marks_occasion(self) -> bool:
        """Tell cheaply whether the sentence has a built-in sign of another occasion."""
        return may_mark_occasion(self.text)

    @cached_property
    def qualifiable(self) -> bool:
        """Tell whether any word could negate or hedge a mention."""
        return may_qualify(self.text)

    @cached_property
    def cues(self) -> SentenceCues:
        """Return the negation and hedge index of the sentence."""
        return SentenceCues(sentence_words(self.text))

    def qualifiers(self, start: int, end: int) -> tuple[bool, bool]:
        """Return (negated, hedged) for the mention at [start, end)."""
        if not self.qualifiable:  # most sentences: skip the clause analysis
            return False, False
        return self.cues.classify(start, end)

    @cached_property
    def years(self) -> frozenset[str]:
        """Return the years the sentence names."""
        return frozenset(YEAR_RE.findall(self.text))

    @cached_property
    def numbers(self) -> tuple[Span, ...]:
        """Return the figures the sentence writes."""
        return tuple(Span(m.start(), m.end(), m.group()) for m in NUMBER.finditer(self.text))

    @cached_property
    def name_runs(self) -> tuple[Span, ...]:
        """Return the runs of capitalised words."""
        return tuple(
            Span(m.start(), m.end(), m.group()) for m in CAPITALISED_RUN.finditer(self.text)
        )
