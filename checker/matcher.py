"""Find alias and cue mentions in normalised text in one pass over its tokens."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from checker.text import fold_text, is_acronym, tokens_with_offsets

_END = "\x00"  # trie key that holds the entries ending at a node; never a token


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase to find: a value's alias, or (with value None) an `about` cue."""

    claim: str
    value: str | None
    alias: str
    folded: str
    acronym: bool


@dataclass(frozen=True, slots=True, order=True)
class Match:
    """A phrase found at [start, end) of the normalised text."""

    start: int
    end: int
    phrase: Phrase = field(compare=False)


@dataclass(slots=True)
class PhraseIndex:
    """A token trie over every phrase of the ledger."""

    root: dict[str, object] = field(default_factory=dict)
    size: int = 0

    def add(self, claim: str, value: str | None, alias: str) -> None:
        """Add a phrase to the trie."""
        folded = fold_text(alias).strip()
        tokens, _ = tokens_with_offsets(folded)
        node = self.root
        for token in tokens:
            node = node.setdefault(token.lower(), {})  # type: ignore[assignment]
        entries = node.setdefault(_END, [])
        entries.append(Phrase(claim, value, alias, folded, is_acronym(folded)))  # type: ignore[union-attr]
        self.size += 1


def _is_word(token: str) -> bool:
    return token[:1].isalnum() or token[:1] == "_"


def _glued_apostrophe(tokens: list[str], at: int, direction: int) -> bool:
    """Tell whether an apostrophe at `at` joins the match to a word on its far side."""
    if not (0 <= at < len(tokens)) or tokens[at] != "'":
        return False
    beyond = at + direction
    if not (0 <= beyond < len(tokens)) or not _is_word(tokens[beyond]):
        return False
    # A possessive 's still ends the word: Xi's is Xi, Xi'an is not.
    return not (
        direction > 0 and tokens[beyond].lower() == "s" and not _word_at(tokens, beyond + 1)
    )


def _word_at(tokens: list[str], at: int) -> bool:
    return 0 <= at < len(tokens) and _is_word(tokens[at])


def find_all(index: PhraseIndex, text: str) -> list[Match]:
    """Return every occurrence of every phrase in normalised text, overlaps included."""
    tokens, starts = tokens_with_offsets(text)
    keys = [token.lower() for token in tokens]
    root = index.root
    found: list[Match] = []
    count = len(tokens)
    for i, key in enumerate(keys):
        node = root.get(key)
        if node is None or _word_at(tokens, i - 1) or _glued_apostrophe(tokens, i - 1, -1):
            continue
        j = i
        while node is not None:
            entries = node.get(_END)  # type: ignore[union-attr]
            if entries and not _word_at(tokens, j + 1) and not _glued_apostrophe(tokens, j + 1, 1):
                start = starts[i]
                end = starts[j] + len(tokens[j])
                found.extend(
                    Match(start, end, p)
                    for p in entries
                    if not p.acronym or text[start:end] == p.folded
                )
            j += 1
            node = node.get(keys[j]) if j < count else None  # type: ignore[union-attr]
    return found


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
