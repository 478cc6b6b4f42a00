"""Propose claims for unsupported sentences that give an editor something to check."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

import yaml

from checker.base.claims import (
    DENIES_PREFIX,
    SILENT_EXAMPLE,
    AnyOfClaim,
    Ledger,
    LocatedClaim,
    OneOfClaim,
)
from checker.base.errors import UsageError
from checker.base.lexicon import MONTH_NAME_PATTERN, TERM_RE, YEAR_PATTERN, YEAR_RE
from checker.base.text import fold_text
from checker.findings.results import Finding, Report
from checker.findings.rules import FindingKind
from checker.judgement.mentions import article_year
from checker.judgement.novelty import CONNECTORS, candidates, common_words, inner_names
from checker.review.authoring import STOP_WORDS, example_verdict

BM25_K1 = 1.5
BM25_B = 0.75
_WORD = TERM_RE
# A figure, not a clock time: "10:33 a.m." offers no value to draft.
_NUMBER = re.compile(
    r"(?<![\d:])\b\d(?:[\d,.]*\d)?(?!\d|:\d)(?:\s?(?:%|percent|per cent|million|billion))?"
)
_DATE = re.compile(rf"\b{MONTH_NAME_PATTERN}(?: \d{{1,2}})?(?:,? \d{{4}})?\b|\b{YEAR_PATTERN}\b")


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
    how: str = "draft"  # alias, value, draft or cut


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


def candidate_values(sentence: str, known_names: Container[str] = frozenset()) -> list[str]:
    """Return the sentence's names, dates and numbers, in order, each once."""
    dates = [m.group().strip(" ,.") for m in _DATE.finditer(sentence)]
    numbers = [m.group().strip(" ,.") for m in _NUMBER.finditer(sentence)]
    unique: list[str] = []
    for value in [*names(sentence, known_names), *sorted(dates, key=len, reverse=True), *numbers]:
        if value and not any(value == u or value in u.split() or value in u for u in unique):
            unique.append(value)
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


def _draft(
    entry: Finding,
    taken: set[str],
    known_names: Container[str],
    everywhere: frozenset[str],
    known: frozenset[str],
) -> dict[str, object] | None:
    generic = {p for name in everywhere for t in _terms(name) for p in t.split("-")} | known
    # (the draft's values must say something the ledger and the corpus's subject do not)
    values = [
        v
        for v in candidate_values(_sentence(entry), known_names)
        if not {part for t in _terms(v) for part in t.split("-")} <= generic
        # (the ledger or the whole corpus has every word of it already)
    ]
    if len(values) < MIN_DRAFT_VALUES:
        return None  # too little to check: a draft needs names, numbers or dates to compare
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


_ANSWER_TYPES = (
    (
        re.compile(r"^\s*(?:on\s+)?(?:what|which)\s+(?:day|date|month|year)\b|^\s*when\b", re.I),
        "date",
    ),
    (re.compile(r"^\s*how\s+(?:many|much)\b", re.I), "number"),
    (re.compile(r"^\s*where\b", re.I), "place"),
)
_AT_PLACE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


def _answer_type(question: str) -> str | None:
    """Return what kind of phrase answers a question, where the question says so plainly."""
    return next((kind for pattern, kind in _ANSWER_TYPES if pattern.search(question)), None)


def _typed_phrases(sentence: str, kind: str | None) -> list[str]:
    """Return the sentence's phrases of a kind: dates, numbers, or names."""
    if kind == "date":
        return [m.group().strip() for m in _DATE.finditer(sentence) if not m.group().isdigit()]
    if kind == "number":
        return [m.group().strip() for m in _NUMBER.finditer(sentence)]
    if kind == "place":  # a name right after "in" or "at"
        return [
            name
            for name in names(sentence)
            if (at := sentence.find(name)) > 0 and _AT_PLACE.search(sentence[:at])
        ]
    return names(sentence)


# Titles and offices stand before names: "Ambassador …", "Deputy Prime Minister …".
TITLES = frozenset(
    "ambassador deputy minister ministers president vice secretary spokesperson spokesman "
    "chairman chair director general envoy premier prime foreign chief head".split()
)


def _plain_edge(word: str, common: Container[str]) -> bool:
    """Tell whether a word at a phrase's edge is a title, a common word or a dash fragment."""
    lower = word.lower()
    fragment = "-" in lower and any(part in common for part in lower.split("-") if part)
    return lower in common or lower in TITLES or fragment


def names(sentence: str, known_names: Container[str] = frozenset()) -> list[str]:
    """Return the proper-noun phrases of a sentence.

    An opening word the corpus never writes as a name ("Participants", "Pursue") is dropped,
    and so are titles and connectors at a phrase's ends ("Foreign Minister Murat Nurtleu").
    """
    common = common_words()
    found: list[str] = []
    for phrase in candidates(fold_text(sentence)):
        words = [
            word
            for word, opening in zip(phrase.words, phrase.opening, strict=True)
            if not (opening and (word.lower() in common or word.lower() not in known_names))
        ]
        while words and (words[0] in CONNECTORS or _plain_edge(words[0], common)):
            words.pop(0)
        while words and (words[-1] in CONNECTORS or _plain_edge(words[-1], common)):
            words.pop()
        text = " ".join(words)
        if words and text not in found:
            found.append(text)
    return found


def _extension(
    located: LocatedClaim,
    sentence: str,
    known: frozenset[str],
    generic: frozenset[str],
    year: str | None = None,
) -> tuple[str, str, str] | None:
    """Return (how, value, phrase) to extend a claim with, when the sentence shows one plainly.

    A phrase of the answer's type that the ledger does not know yet: a date, a number or a place
    for a "when", "how many" or "where" question (a new value), or a name sharing a word with
    one of a value's aliases ("President Tokayev" for "Kassym-Jomart Tokayev": an alias).
    The sentence must be about the claim: it has one of its cues, or two words of its question.
    """
    claim = located.claim
    folded = fold_text(sentence).lower()
    question = set(_terms(claim.question)) - {t for v in claim.values for t in _terms(v)}
    cued = any(fold_text(cue).lower() in folded for cue in claim.about)
    if not cued and len(question & set(_terms(sentence))) < 2:
        return None
    kind = _answer_type(claim.question)
    anchors = [fold_text(cue).lower() for cue in claim.about] or sorted(question)
    for phrase in _typed_phrases(sentence, kind):
        if phrase not in sentence or set(_terms(phrase)) <= known | generic:
            continue
        years = set(YEAR_RE.findall(phrase))
        if year is not None and years and year not in years:
            continue  # a date of another year is another occasion
        if kind is not None:
            # A new answer follows the claim's cue closely: "met in Shymkent", "met again on May 3".
            before = fold_text(sentence[: sentence.find(phrase)]).lower()
            if any(re.search(_cue_tail(anchor), before) for anchor in anchors):
                return "value", phrase, phrase
            continue
        words = set(_terms(phrase)) - generic  # a word every article uses links nothing
        for value, spec in claim.values.items():
            if any(words & set(_terms(alias)) for alias in [value, *spec.aliases]):
                return "alias", value, phrase
    return None


def _cue_tail(anchor: str) -> str:
    """Return a pattern for the words before a new answer: the cue, at most two words, a link."""
    return rf"\b{re.escape(anchor)}(?:\s+\w+){{0,2}}?(?:\s+(?:in|at|on|by))?(?:\s+the)?\s*$"


def _everywhere(texts: dict[str, str]) -> frozenset[str]:
    """Return the names most articles use: the corpus's subject, no fact to check."""
    if len(texts) < EVERYWHERE_MIN_ARTICLES:
        return frozenset()
    seen: Counter[str] = Counter()
    for text in texts.values():
        seen.update(set(names(text)))
    return frozenset(name for name, n in seen.items() if n * 2 >= len(texts))


EVERYWHERE_MIN_ARTICLES = 4
MIN_DRAFT_VALUES = 2
CLAIMS_TRIED = 3  # the closest claims a sentence may extend, best first


# Roles whose sentences are worth a claim: captions, titles and subheadings restate or label.
_SUGGESTIBLE_ROLES = frozenset({"prose", "list-item"})


def suggest(report: Report, ledger: Ledger, article: str | None = None) -> list[Suggestion]:
    """Suggest, for each unsupported or stray sentence, a claim to extend or a draft claim.

    Only sentences that give an editor something to check are kept: a phrase that extends a
    claim, or names, numbers and dates for a draft. The rest are left out; the list is ranked.
    """
    articles = {a.id: a for a in report.articles}
    if article is not None and not any(article in (a.id, a.path) for a in articles.values()):
        known_ids = ", ".join(sorted(articles))
        raise UsageError(f"no article {article!r}; known articles: {known_ids}")
    roles = {(a.id, s.line, s.column): s.role for a in articles.values() for s in a.sentences}
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
    texts = {a.id: " ".join(s.text for s in a.sentences) for a in articles.values()}
    known_names = {n for text in texts.values() for n in inner_names(text)}
    everywhere = _everywhere(texts)
    years = {a.id: article_year(a.metadata, texts[a.id]) for a in articles.values()}
    generic = frozenset(p for name in everywhere for t in _terms(name) for p in t.split("-"))
    suggestions = []
    kinds = (FindingKind.STRAY, FindingKind.UNSUPPORTED)
    for entry in (f for f in report.findings if f.kind in kinds):
        if article and article not in (entry.article, entry.path):
            continue
        if roles.get((entry.article or "", entry.line, entry.column)) not in _SUGGESTIBLE_ROLES:
            continue
        if entry.kind is FindingKind.STRAY:
            # Off its article's topic: no claim is drafted from it; the editor is offered the cut.
            terms = entry.details.get("novel_terms") or []
            suggestions.append(Suggestion(entry, None, float(len(terms)), None, None, None, "cut"))
            continue
        sentence = _sentence(entry)
        query = _query(sentence)
        scores = index.scores(query) if claims else []
        # The closest claims by BM25 are tried; an extension needs the answer's type right after
        # the claim's cue, strict enough even for a small ledger whose scores say little.
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:CLAIMS_TRIED]
        found = None
        for best in ranked:
            extension = _extension(claims[best], sentence, known, generic, years.get(entry.article))
            if extension is not None:
                how, value, alias = extension
                found = Suggestion(entry, claims[best], scores[best], value, alias, None, how=how)
                break
        if found is not None:
            suggestions.append(found)
            continue
        draft = _draft(entry, taken, known_names, everywhere, known)
        if draft is not None:
            values = list(draft["values"])  # type: ignore[call-overload]
            weight = sum(2 if any(c.isdigit() for c in v) else 1 for v in values)
            suggestions.append(Suggestion(entry, None, float(weight), None, None, draft))
    return sorted(suggestions, key=lambda s: (-s.score, s.sentence.sort_key()))


def render_suggestions(suggestions: list[Suggestion]) -> str:
    """Render ranked suggestions as one claim file: drafts as claims, extensions as comments."""
    lines = [f"# crossfact suggest: {len(suggestions)} suggestion(s), most useful first"]
    drafts = []
    for rank, s in enumerate(suggestions, 1):
        entry = s.sentence
        lines.append(
            f"# {rank}. {entry.path}:{entry.line}:{entry.column} {entry.kind.value}: "
            f"{_sentence(entry)}"
        )
        where = f"claim {s.claim.claim.id!r} ({s.claim.path}:{s.claim.line})" if s.claim else ""
        if s.claim is not None and s.how == "value":
            lines.append(f"#   {where} (BM25 {s.score:.1f}): add value {s.alias!r}")
        elif s.claim is not None:
            lines.append(
                f"#   {where} (BM25 {s.score:.1f}): add alias {s.alias!r} to value {s.value!r}"
            )
        elif s.how == "cut":
            terms = ", ".join(s.sentence.details.get("novel_terms") or [])  # type: ignore[arg-type]
            lines.append(
                f"#   off-topic (no other sentence or claim uses {terms}): cut it, or add a "
                "claim if it belongs"
            )
        elif s.draft is not None:
            values = ", ".join(repr(v) for v in s.draft["values"])  # type: ignore[attr-defined]
            lines.append(f"#   no claim covers it: draft {s.draft['id']!r} below, values {values}")
            drafts.append(s.draft)
    body = yaml.safe_dump({"claims": drafts}, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body
