"""The ledger compiled for matching: one phrase index, the ledger's words, and claim scopes."""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from checker import __version__
from checker.base.claims import Ledger, LocatedClaim
from checker.findings.rules import fingerprint
from checker.judgement.matcher import PhraseIndex
from checker.judgement.mention_rules import RuleSet
from checker.judgement.novelty import vocabulary
from checker.judgement.salience import keys, words_of
from checker.judgement.typed import TypedClaim, typed_claims

TOPIC_SETS_KEPT = 32


@dataclass(frozen=True)
class LedgerIndex:
    """The ledger prepared for matching."""

    claims: dict[str, LocatedClaim]
    phrases: PhraseIndex
    vocabulary: frozenset[str]
    content_hash: str
    scoped: dict[str, tuple[str, ...]]  # only the claims that restrict their scope
    rules: RuleSet = field(default_factory=RuleSet)  # the mention rules switched on
    # Topic words of the claims (the word keys of questions, values, aliases, cues, notes):
    # those of the unscoped claims together, and each scoped claim's own.
    unscoped_topic: frozenset[str] = frozenset()
    scoped_topic: dict[str, frozenset[str]] = field(default_factory=dict)
    # A hash of the topic words: what an article's digest depends on beyond its analysis.
    topic_hash: str = ""
    typed: tuple[TypedClaim, ...] = ()  # the claims whose values are read by meaning
    # Whose value each claim asks, by claim: its own `subject`, else the values of other claims
    # of its file that its question names ("Who coached the winning side, Argentina?").
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Topic word sets already built, by the scoped claims that cover an article: most articles
    # share one, and building it copies every claim's words.
    _topics: dict[tuple[str, ...], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def topic_words(self, outside: Container[str]) -> frozenset[str]:
        """Return the topic words of the claims whose scope covers an article."""
        covering = tuple(cid for cid in self.scoped_topic if cid not in outside)
        found = self._topics.get(covering)
        if found is None:
            if len(self._topics) >= TOPIC_SETS_KEPT:
                self._topics.clear()  # scopes that single out articles: keep memory bounded
            words = (self.scoped_topic[cid] for cid in covering)
            found = self._topics[covering] = self.unscoped_topic.union(*words)
        return found


def build_index(ledger: Ledger, rules: RuleSet | None = None) -> LedgerIndex:
    """Compile every alias and cue of the ledger into one phrase index."""
    phrases = PhraseIndex()
    words: set[str] = set()
    unscoped_topic: set[str] = set()
    scoped_topic: dict[str, frozenset[str]] = {}
    for located in ledger.claims:
        claim = located.claim
        for value, alias in claim.alias_pairs():
            phrases.add(claim.id, value, alias)
        for cue in claim.about:
            phrases.add(claim.id, None, cue)
        texts = [claim.question, claim.note or "", located.topic or "", *claim.values, *claim.about]
        texts += [alias for _, alias in claim.alias_pairs()]
        topic: set[str] = set()
        for text in texts:
            words |= vocabulary(text)
            topic |= keys(words_of(text))
        if claim.scope:
            scoped_topic[claim.id] = frozenset(topic)
        else:
            unscoped_topic |= topic
    claims = {c.claim.id: c for c in ledger.claims}
    scoped = {c.claim.id: tuple(c.claim.scope) for c in ledger.claims if c.claim.scope}
    return LedgerIndex(
        claims,
        phrases,
        frozenset(words),
        ledger.content_hash,
        scoped,
        rules or RuleSet(),
        frozenset(unscoped_topic),
        scoped_topic,
        fingerprint(
            *sorted(unscoped_topic),
            *(f"{cid}={' '.join(sorted(words))}" for cid, words in sorted(scoped_topic.items())),
        ),
        typed_claims(ledger.claims),
        claim_subjects(ledger.claims),
    )


def claim_subjects(located: Sequence[LocatedClaim]) -> dict[str, tuple[str, ...]]:
    """Return whose value each claim asks: its `subject`, else the values its question names.

    A question that names another claim's value of the same file ("Who coached the winning
    side, Argentina?", "What share did the winner, Claudia Sheinbaum, receive?") asks about that
    value's party: its aliases become the claim's subject.
    """
    # Per file, each capitalised name of a value, to the claims and aliases it stands for:
    # a question's word runs are looked up, so the cost is linear in the ledger.
    names: dict[str, dict[str, list[tuple[str, str, tuple[str, ...]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for one in located:
        for value, spec in one.claim.values.items():
            aliases = tuple(n for n in (value, *spec.aliases) if n[:1].isupper())
            for name in aliases:
                if len(name) >= 4:
                    names[one.path][name].append((one.claim.id, value, aliases))
    subjects: dict[str, tuple[str, ...]] = {}
    for one in located:
        claim = one.claim
        if claim.subject:
            subjects[claim.id] = tuple(claim.subject)
            continue
        in_file = names.get(one.path, {})
        named: list[str] = []
        for run in _word_runs(claim.question):
            for owner, value, aliases in in_file.get(run, ()):
                if owner != claim.id and value not in claim.values:
                    named += aliases
        if named:
            subjects[claim.id] = tuple(dict.fromkeys(named))
    return subjects


_QUESTION_WORD = re.compile(r"[^\s,;:?!()\"“”]+")
_LONGEST_NAME_WORDS = 6


def _word_runs(question: str) -> list[str]:
    """Return the runs of up to six words of a question, as written ("Claudia Sheinbaum")."""
    words = [w.removesuffix("'s").removesuffix("’s") for w in _QUESTION_WORD.findall(question)]
    return [
        " ".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + _LONGEST_NAME_WORDS) + 1)
    ]


def matching_hash(ledger: Ledger, rules: RuleSet | None = None) -> str:
    """Hash what per-article analysis depends on: the enabled rules and the fields they read.

    The fields are derived from the rules' declarations (`mention_rules`), never listed by
    hand: a rule that reads a field puts that field into the key.
    """
    rules = rules or RuleSet()
    fields = sorted(rules.reads)
    parts = [
        repr([(name, _canonical(getattr(c.claim, name, None))) for name in fields])
        for c in sorted(ledger.claims, key=lambda c: c.claim.id)
    ]
    enabled = ",".join(rule.code for rule in rules.enabled)
    return fingerprint(__version__, f"rules={enabled}", f"fields={','.join(fields)}", *parts)


def _canonical(value: object) -> object:
    """Return a field's value in an order-free, repr-stable form (mappings sorted by key)."""
    if isinstance(value, dict):
        return sorted((key, _canonical(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


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
