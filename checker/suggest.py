"""Propose a home for every unsupported sentence: an existing claim (BM25) or a draft claim."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import yaml

from checker.authoring import STOP_WORDS, example_verdict
from checker.claims import (
    DENIES_PREFIX,
    SILENT_EXAMPLE,
    AnyOfClaim,
    Ledger,
    LocatedClaim,
    OneOfClaim,
)
from checker.matcher import PhraseIndex, find_all
from checker.novelty import candidates, common_words
from checker.results import Finding, Report
from checker.rules import FindingKind
from checker.text import fold_text

BM25_K1 = 1.5
BM25_B = 0.75
MIN_SCORE = 4.0  # below this, the closest claim is too far away to suggest
FULL_LEDGER = 10  # BM25 scores shrink in tiny ledgers (every term is rare), so is the threshold
MIN_SHARED_TERMS = 2
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NUMBER = re.compile(r"\b\d[\d,.]*(?:\s?(?:%|percent|per cent|million|billion))?")
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?: \d{1,2})?(?:,? \d{4})?\b|\b(?:19|20)\d{2}\b"
)


def _terms(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold_text(text).lower()) if w not in STOP_WORDS]


def _query(text: str) -> list[str]:
    """Return the sentence's words, less a common word that only opens it ("First, ...")."""
    terms = _terms(text)
    opening = _WORD.match(fold_text(text).lower())
    if terms and opening and terms[0] == opening.group() and terms[0] in common_words():
        return terms[1:]
    return terms


@dataclass(frozen=True)
class Suggestion:
    """What to do with one unsupported sentence."""

    sentence: Finding  # a stray or unsupported finding
    claim: LocatedClaim | None
    score: float
    value: str | None
    alias: str | None
    draft: dict[str, object] | None
    uncued: str | None = None  # an alias the sentence has, left uncounted for want of a cue


class _Bm25:
    """Okapi BM25 over one document per claim."""

    def __init__(self, documents: list[list[str]]) -> None:
        self.documents = [Counter(d) for d in documents]
        self.lengths = [len(d) for d in documents]
        self.average = sum(self.lengths) / len(documents) if documents else 0.0
        frequency = Counter(term for d in self.documents for term in d)
        total = len(documents)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}

    def scores(self, query: list[str]) -> list[float]:
        result = []
        for document, length in zip(self.documents, self.lengths, strict=True):
            score = 0.0
            for term in set(query):
                hits = document.get(term, 0)
                if hits:
                    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / (self.average or 1))
                    score += self.idf[term] * hits * (BM25_K1 + 1) / (hits + norm)
            result.append(score)
        return result


def _claim_document(located: LocatedClaim, report: Report) -> list[str]:
    claim = located.claim
    parts = [claim.question, *claim.values, *claim.about]
    parts += [alias for _, alias in claim.alias_pairs()]
    for verdict in next((c.cells for c in report.claims if c.id == claim.id), []):
        parts += [e.sentence for e in verdict.evidence]
    return _terms(" ".join(parts))


def candidate_values(sentence: str) -> list[str]:
    """Return the sentence's proper-noun phrases, numbers and dates, in order, deduplicated."""
    common = common_words()
    found: list[str] = []
    for phrase in candidates(fold_text(sentence)):
        words = [
            w
            for w, opening in zip(phrase.words, phrase.opening, strict=True)
            if not (opening and w.lower() in common)
        ]
        if words:
            found.append(" ".join(words))
    found += [m.group().strip() for m in _DATE.finditer(sentence)]
    found += [m.group().strip() for m in _NUMBER.finditer(sentence)]
    unique: list[str] = []
    for value in found:
        if value and value not in unique and not any(value in u for u in unique):
            unique.append(value)
    if not unique:
        content = [
            w for w in _WORD.findall(sentence.lower()) if w not in STOP_WORDS and w not in common
        ]
        unique = content[:2] or _WORD.findall(sentence.lower())[:1] or ["value"]
    return unique


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_text(text).lower()).strip("-")[:40] or "claim"


def _example_label(draft: dict[str, object], sentence: str) -> str:
    """Label the source sentence with the verdict the matcher really gives it."""
    model = AnyOfClaim if draft.get("kind") == "any-of" else OneOfClaim
    located = LocatedClaim(claim=model.model_validate(draft), path="draft", line=1, column=1)
    asserted, denied = example_verdict(located, sentence)
    if asserted:
        return sorted(asserted)[0]
    return f"{DENIES_PREFIX}{sorted(denied)[0]}" if denied else SILENT_EXAMPLE


def _sentence(finding: Finding) -> str:
    text = finding.details["sentence"]
    assert isinstance(text, str)  # stray and unsupported findings always carry it
    return text


def _draft(entry: Finding, taken: set[str]) -> dict[str, object]:
    values = candidate_values(_sentence(entry))
    base = f"draft-{_slug(entry.article)}-{_slug(values[0])}"
    claim_id, n = base, 2
    while claim_id in taken:
        claim_id, n = f"{base}-{n}", n + 1
    taken.add(claim_id)
    draft: dict[str, object] = {
        "id": claim_id,
        "question": f"TODO: what does the article say about {', '.join(values)}?",
    }
    if len(values) > 1:
        draft["kind"] = "any-of"
    draft["values"] = {value: [value] for value in values}
    draft["examples"] = {_example_label(draft, _sentence(entry)): [_sentence(entry)]}
    draft["note"] = f"Drafted by crossfact suggest from {entry.path}:{entry.line}:{entry.column}."
    return draft


def _uncued_alias(located: LocatedClaim, sentence: str) -> str | None:
    """Return an alias of the claim that the sentence contains, if the claim's cues are missing."""
    index = PhraseIndex()
    for value, alias in located.claim.alias_pairs():
        index.add(located.claim.id, value, alias)
    matches = find_all(index, fold_text(sentence))
    return matches[0].phrase.alias if matches and located.claim.about else None


def _alias_for(located: LocatedClaim, sentence: str, known: frozenset[str]) -> tuple[str, str]:
    """Pick the value the sentence most resembles and a phrase of it to add as an alias."""
    terms = set(_terms(sentence))

    def overlap(value: str) -> int:
        words = set(_terms(" ".join([value, *located.claim.values[value]])))
        return len(words & terms)

    value = max(
        located.claim.values, key=lambda v: (overlap(v), -list(located.claim.values).index(v))
    )
    # Offer what the ledger does not know yet; a word every claim uses would match everywhere.
    phrases = [p for p in candidate_values(sentence) if not set(_terms(p)) <= known]
    fresh = [t for t in _query(sentence) if t not in known]
    if phrases:
        return value, phrases[0]
    return value, max(fresh, key=len) if fresh else sentence


def _close_enough(score: float, index: _Bm25, best: int, query: list[str], claims: int) -> bool:
    shared = sum(1 for term in set(query) if term in index.documents[best])
    return shared >= MIN_SHARED_TERMS and score >= MIN_SCORE * min(1.0, claims / FULL_LEDGER)


def suggest(report: Report, ledger: Ledger, article: str | None = None) -> list[Suggestion]:
    """Suggest, for each unsupported or stray sentence, a claim to extend or a draft claim."""
    claims = list(ledger.claims)
    index = _Bm25([_claim_document(c, report) for c in claims])
    known = frozenset(
        t
        for c in claims
        for t in _terms(
            " ".join([c.claim.question, *c.claim.values, *(a for _, a in c.claim.alias_pairs())])
        )
    )
    taken = {c.claim.id for c in claims}
    suggestions = []
    kinds = (FindingKind.STRAY, FindingKind.UNSUPPORTED)
    for entry in (f for f in report.findings if f.kind in kinds):
        if article and article not in (entry.article, entry.path):
            continue
        sentence = _sentence(entry)
        query = _query(sentence)
        scores = index.scores(query) if claims else []
        best = max(range(len(scores)), key=lambda i: scores[i], default=None)
        if best is not None and _close_enough(scores[best], index, best, query, len(claims)):
            value, alias = _alias_for(claims[best], sentence, known)
            uncued = _uncued_alias(claims[best], sentence)
            suggestions.append(
                Suggestion(entry, claims[best], scores[best], value, alias, None, uncued)
            )
        else:
            score = scores[best] if best is not None else 0.0
            suggestions.append(Suggestion(entry, None, score, None, None, _draft(entry, taken)))
    return suggestions


def render_suggestions(suggestions: list[Suggestion]) -> str:
    """Render suggestions as one claim file: drafts as claims, extensions as comments."""
    lines = [f"# crossfact suggest: {len(suggestions)} unsupported or stray sentence(s)"]
    drafts = []
    for s in suggestions:
        entry = s.sentence
        lines.append(
            f"# {entry.path}:{entry.line}:{entry.column} {entry.kind.value}: {_sentence(entry)}"
        )
        if s.claim is not None and s.uncued is not None:
            cues = ", ".join(repr(c) for c in s.claim.claim.about)
            lines.append(
                f"#   belongs to claim {s.claim.claim.id!r} ({s.claim.path}:{s.claim.line}, "
                f"BM25 {s.score:.1f}): it says {s.uncued!r} but none of the about cues ({cues}); "
                "add a cue this sentence uses"
            )
        elif s.claim is not None:
            lines.append(
                f"#   belongs to claim {s.claim.claim.id!r} ({s.claim.path}:{s.claim.line}, "
                f"BM25 {s.score:.1f}): add alias {s.alias!r} to value {s.value!r}"
            )
        else:
            lines.append(
                f"#   no claim is close (best BM25 {s.score:.1f}): draft {s.draft['id']!r} below"
            )
            drafts.append(s.draft)
    body = yaml.safe_dump({"claims": drafts}, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body
