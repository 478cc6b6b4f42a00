"""The ledger compiled for matching: one phrase index, the ledger's words, and claim scopes."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Protocol

from checker import __version__
from checker.claims import Ledger, LocatedClaim
from checker.matcher import PhraseIndex
from checker.novelty import vocabulary
from checker.rules import fingerprint


@dataclass(frozen=True)
class LedgerIndex:
    """The ledger prepared for matching."""

    claims: dict[str, LocatedClaim]
    phrases: PhraseIndex
    vocabulary: frozenset[str]
    content_hash: str
    scoped: dict[str, tuple[str, ...]]  # only the claims that restrict their scope


def build_index(ledger: Ledger) -> LedgerIndex:
    """Compile every alias and cue of the ledger into one phrase index."""
    phrases = PhraseIndex()
    words: set[str] = set()
    for located in ledger.claims:
        claim = located.claim
        for value, alias in claim.alias_pairs():
            phrases.add(claim.id, value, alias)
        for cue in claim.about:
            phrases.add(claim.id, None, cue)
        texts = [claim.question, claim.note or "", located.topic or "", *claim.values, *claim.about]
        texts += [alias for _, alias in claim.alias_pairs()]
        for text in texts:
            words |= vocabulary(text)
    claims = {c.claim.id: c for c in ledger.claims}
    scoped = {c.claim.id: tuple(c.claim.scope) for c in ledger.claims if c.claim.scope}
    return LedgerIndex(claims, phrases, frozenset(words), ledger.content_hash, scoped)


def matching_hash(ledger: Ledger) -> str:
    """Hash what per-article analysis depends on: ids, aliases, cues and scopes, nothing else."""
    parts = [
        repr((c.claim.id, sorted(c.claim.alias_pairs()), sorted(c.claim.about), c.claim.scope))
        for c in sorted(ledger.claims, key=lambda c: c.claim.id)
    ]
    return fingerprint(__version__, *parts)


class HasLocation(Protocol):
    """Anything with an article id and path."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...


def scope_covers(globs: tuple[str, ...], article: HasLocation) -> bool:
    """Tell whether scope globs cover an article, by path or by id (no globs cover every one)."""
    if not globs:
        return True
    return any(
        fnmatch.fnmatchcase(article.path, glob) or fnmatch.fnmatchcase(article.id, glob)
        for glob in globs
    )
