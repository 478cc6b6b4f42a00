"""Find alias and cue mentions in normalised text: one Aho–Corasick pass, boundary-checked."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import ahocorasick_rs

from checker.base.text import fold_text, is_acronym, match_key

_POSITION = itemgetter(0, 1)
_ASCII_SPACES = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)
_NON_WORD = re.compile(r"\W")  # exactly what _is_word_char is not: \w is isalnum() or "_"


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase to find: a value's alias, or (with value None) an `about` cue."""

    claim: str
    value: str | None
    alias: str
    folded: str
    acronym: bool
    floor: bool = False  # a typed figure worded as a floor ("at least 38"): provisional


class Match(NamedTuple):
    """A phrase found at [start, end) of the normalised text; a tuple, cheap by the million."""

    start: int
    end: int
    phrase: Phrase


@dataclass(slots=True)
class PhraseIndex:
    """Every phrase of the ledger, grouped by its case-folded key, compiled on first search."""

    by_key: dict[str, list[Phrase]] = field(default_factory=dict)
    size: int = 0
    _search: Callable[[str, str], list[Match]] | None = None

    def add(self, claim: str, value: str | None, alias: str) -> None:
        """Add a phrase."""
        folded = fold_text(alias).strip()
        phrase = Phrase(claim, value, alias, folded, is_acronym(folded))
        self.by_key.setdefault(match_key(folded), []).append(phrase)
        self.size += 1
        self._search = None

    def searcher(self) -> Callable[[str, str], list[Match]]:
        """Return the compiled search function: (text, its match_key) -> matches."""
        if self._search is None:
            self._search = _automaton_search(self.by_key) if self.by_key else _no_search
        return self._search


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _clear_before(text: str, start: int) -> bool:
    """Tell whether a match may begin at `start`: no word, and no word' glued before it."""
    if start == 0:
        return True
    before = text[start - 1]
    if _is_word_char(before):
        return False
    return not (before == "'" and start >= 2 and _is_word_char(text[start - 2]))


def _clear_after(text: str, end: int) -> bool:
    """Tell whether a match may end at `end`; a possessive 's still ends it (Xi's, not Xi'an)."""
    if end >= len(text):
        return True
    after = text[end]
    if _is_word_char(after):
        return False
    if after != "'" or end + 1 >= len(text) or not _is_word_char(text[end + 1]):
        return True
    return text[end + 1] in "sS" and not (end + 2 < len(text) and _is_word_char(text[end + 2]))


def _inside_number(text: str, start: int, end: int) -> bool:
    """Tell whether a match that starts or ends with a digit is part of a longer number.

    "1,000" in "1,000,000", "6" in "6.4", "$5" in "$5.50" or "$5,000", "5%" in "5.5%": a
    separator between digits joins them into one figure, so the alias is not what is written.
    """
    if (
        text[start].isdigit()
        and start >= 2
        and text[start - 1] in ".,"
        and text[start - 2].isdigit()
    ):
        return True
    last = text[end - 1]
    return last.isdigit() and end + 1 < len(text) and text[end] in ".," and text[end + 1].isdigit()


def _accept(phrases: list[Phrase], text: str, start: int, end: int) -> list[Match]:
    if _inside_number(text, start, end):
        return []
    return [Match(start, end, p) for p in phrases if not p.acronym or text[start:end] == p.folded]


def _spaced(text: str) -> str:
    """Return text with every non-word character turned into a space (offsets unchanged)."""
    return text.translate(_ASCII_SPACES) if text.isascii() else _NON_WORD.sub(" ", text)


def _automaton_search(by_key: dict[str, list[Phrase]]) -> Callable[[str, str], list[Match]]:
    """Search for ' alias ' in ' text ' with non-word characters spaced out.

    A pattern found there already has no word character on either side, so nearly every raw
    match is a real one; only a neighbouring apostrophe needs the full check, and the key itself
    is compared because spacing out maps different punctuation to the same pattern.
    """
    grouped: dict[str, list[tuple[str, list[Phrase]]]] = {}
    for key, phrases in by_key.items():
        grouped.setdefault(f" {_spaced(key)} ", []).append((key, phrases))
    patterns = list(grouped)
    groups = [grouped[p] for p in patterns]
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)

    def search(text: str, key: str) -> list[Match]:
        found: list[Match] = []
        size = len(text)
        spaced = f" {_spaced(key)} "
        for pattern, start, padded_end in automaton.find_matches_as_indexes(
            spaced, overlapping=True
        ):
            end = padded_end - 2  # the padding space and the pattern's own two spaces
            if (start and text[start - 1] == "'" and not _clear_before(text, start)) or (
                end < size and text[end] == "'" and not _clear_after(text, end)
            ):
                continue
            for alias_key, phrases in groups[pattern]:
                if key[start:end] == alias_key:
                    found += _accept(phrases, text, start, end)
        found.sort(key=_POSITION)
        return found

    return search


def _no_search(text: str, key: str) -> list[Match]:
    return []


def find_all(index: PhraseIndex, text: str) -> list[Match]:
    """Return every occurrence of every phrase in normalised text, overlaps included, by start."""
    return index.searcher()(text, match_key(text))


def leftmost_longest(matches: list[Match]) -> list[Match]:
    """Keep, per claim, the longest match at each position and drop the matches inside it."""
    by_claim: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        if match.phrase.value is not None:
            by_claim[match.phrase.claim].append(match)
    kept: list[Match] = []
    for claim_matches in by_claim.values():
        claim_matches.sort(key=lambda m: (m.start, -(m.end - m.start), m.phrase.alias))
        reached = -1
        for match in claim_matches:
            if match.start >= reached:
                kept.append(match)
                reached = match.end
    kept.sort(key=lambda m: (m.start, m.end, m.phrase.claim, m.phrase.alias))
    return kept


def cue_claims(matches: list[Match]) -> set[str]:
    """Return the claims whose `about` cues occur among the matches."""
    return {m.phrase.claim for m in matches if m.phrase.value is None}
