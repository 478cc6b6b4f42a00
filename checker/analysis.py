"""The per-article stage (the map): match every claim against one article, compactly."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from checker.boilerplate import Boilerplate
from checker.corpus import DROPPED_KINDS, Article, LineKind, RawArticle, Sentence
from checker.cues import SentenceCues, may_qualify, sentence_words
from checker.index import LedgerIndex, scope_covers
from checker.matcher import Match, cue_claims, find_all, leftmost_longest
from checker.novelty import Candidate, candidates, lowercase_words, vocabulary
from checker.results import BoilerplateLine, Evidence
from checker.text import INVISIBLE_RE, hidden_characters

# Sees every sentence's raw matches (cues and overlapped aliases included) of the claims in scope.
MatchObserver = Callable[[Article, Sentence, list[Match]], None]


# NamedTuples, not slotted dataclasses: a warm cache loads them several times faster.
class SentenceRecord(NamedTuple):
    """What the report needs of a sentence; `candidates` only where no claim speaks."""

    index: int
    line: int
    column: int
    text: str
    is_title: bool
    candidates: tuple[Candidate, ...]


class Hit(NamedTuple):
    """A counted mention of a claim value: the claim and its evidence."""

    claim: str
    evidence: Evidence


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything the claim-level reduction needs from one article; small and picklable."""

    id: str
    path: str
    title: str
    metadata: dict[str, str]
    sentences: tuple[SentenceRecord, ...]
    boilerplate: tuple[BoilerplateLine, ...]
    hits: tuple[Hit, ...]
    vocabulary: frozenset[str]
    lowercase: frozenset[str]
    hidden: tuple[tuple[int, int, str], ...] = ()  # (line, column, the word as written)

    def evidence_of(self, claim: str) -> list[Evidence]:
        """Return the evidence for one claim."""
        return [hit.evidence for hit in self.hits if hit.claim == claim]


def _evidence(match: Match, sentence: Sentence, negated: bool, hedged: bool) -> Evidence:
    line = sentence.line
    column, end_column = line.column(match.start), line.end_column(match.end)
    return Evidence(
        value=match.phrase.value or "",
        alias=match.phrase.alias,
        text=line.text[column - 1 : end_column - 1],
        sentence=sentence.text,
        sentence_index=sentence.index,
        line=line.number,
        column=column,
        end_column=end_column,
        negated=negated,
        hedged=hedged,
    )


def _sentence_hits(sentence: Sentence, matches: list[Match], index: LedgerIndex) -> list[Hit]:
    cued = cue_claims(matches)
    cues: SentenceCues | None = None
    qualifiable: bool | None = None
    hits = []
    for match in leftmost_longest(matches):
        claim = index.claims[match.phrase.claim].claim
        if claim.about and claim.id not in cued:
            continue
        if qualifiable is None:
            qualifiable = may_qualify(sentence.normalised)
        negated = hedged = False
        if qualifiable:  # most sentences have no negator or hedge: skip the clause analysis
            if cues is None:
                cues = SentenceCues(sentence_words(sentence.normalised))
            start, end = match.start - sentence.start, match.end - sentence.start
            negated, hedged = cues.classify(start, end)
        hits.append(Hit(claim.id, _evidence(match, sentence, negated, hedged)))
    return hits


def analyse_article(
    article: Article, index: LedgerIndex, observe: MatchObserver | None = None
) -> ArticleAnalysis:
    """Match every claim against one article."""
    outside = frozenset(
        cid for cid, globs in index.scoped.items() if not scope_covers(globs, article)
    )
    by_line: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in article.sentences:
        by_line[sentence.line.number].append(sentence)
    groups = list(by_line.values())
    bases, at = [], 0
    for sentences in groups:
        bases.append(at)
        at += len(sentences[0].line.body.text) + 1
    # One automaton call per article; no alias holds a newline, so none matches across lines.
    matches = find_all(index.phrases, "\n".join(s[0].line.body.text for s in groups))
    starts = [m.start for m in matches]  # find_all yields matches in start order
    hits: list[Hit] = []
    for base, sentences in zip(bases, groups, strict=True):
        for sentence in sentences:
            first = bisect_left(starts, base + sentence.start)
            last = bisect_left(starts, base + sentence.end, first)
            inside = [
                Match(m.start - base, m.end - base, m.phrase)
                for m in matches[first:last]
                if m.phrase.claim not in outside
            ]
            if observe is not None:
                observe(article, sentence, inside)
            if inside:
                hits += _sentence_hits(sentence, inside, index)
    spoken = {hit.evidence.sentence_index for hit in hits}
    text = "\n".join(s.normalised for s in article.sentences)
    return ArticleAnalysis(
        id=article.id,
        path=article.path,
        title=article.title,
        metadata=dict(article.metadata),
        sentences=tuple(_record(s, s.index in spoken) for s in article.sentences),
        boilerplate=tuple(
            BoilerplateLine(line=line.number, text=line.text, reason=line.kind.value)
            for line in article.lines
            if line.kind in DROPPED_KINDS
        ),
        hits=tuple(hits),
        vocabulary=frozenset(vocabulary(text)),
        lowercase=frozenset(lowercase_words(text)),
        hidden=tuple(
            (line.number, at + 1, _word_around(line.text, at))
            for line in article.lines
            if line.kind is LineKind.CONTENT
            for at in hidden_characters(line.text)
        ),
    )


def _word_around(text: str, at: int) -> str:
    start, end = at, at
    while start > 0 and (text[start - 1].isalnum() or INVISIBLE_RE.match(text, start - 1)):
        start -= 1
    while end < len(text) and (text[end].isalnum() or INVISIBLE_RE.match(text, end)):
        end += 1
    return text[start:end]


def analyse_raw(
    raw: RawArticle,
    index: LedgerIndex,
    boilerplate: Boilerplate,
    observe: MatchObserver | None = None,
) -> ArticleAnalysis:
    """Parse and analyse one article."""
    return analyse_article(raw.parse(boilerplate), index, observe)


def _record(sentence: Sentence, spoken: bool) -> SentenceRecord:
    return SentenceRecord(
        index=sentence.index,
        line=sentence.line.number,
        column=sentence.column,
        text=sentence.text,
        is_title=sentence.is_title,
        candidates=() if spoken else tuple(candidates(sentence.normalised)),
    )


ANALYSIS_FORMAT = 2  # bump when the record layout changes


def analysis_to_json(analysis: ArticleAnalysis) -> bytes:
    """Serialise an analysis as plain JSON data (no code can ride along, unlike a pickle)."""
    record = [
        ANALYSIS_FORMAT,
        analysis.id,
        analysis.path,
        analysis.title,
        analysis.metadata,
        [
            [
                s.index,
                s.line,
                s.column,
                s.text,
                s.is_title,
                [[c.words, c.opening] for c in s.candidates],
            ]
            for s in analysis.sentences
        ],
        [[b.line, b.text, b.reason] for b in analysis.boilerplate],
        [[h.claim, h.evidence.model_dump()] for h in analysis.hits],
        sorted(analysis.vocabulary),
        sorted(analysis.lowercase),
        [list(place) for place in analysis.hidden],
    ]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def analysis_from_json(data: bytes) -> ArticleAnalysis:
    """Rebuild an analysis from `analysis_to_json` output; raise ValueError on anything else."""
    try:
        version, id_, path, title, metadata, sentences, boilerplate, hits, words, lower, hidden = (
            json.loads(data)
        )
        if version != ANALYSIS_FORMAT:
            raise ValueError(f"analysis format {version!r}")
        return ArticleAnalysis(
            id=str(id_),
            path=str(path),
            title=str(title),
            metadata={str(k): str(v) for k, v in dict(metadata).items()},
            sentences=tuple(
                SentenceRecord(
                    int(index),
                    int(line),
                    int(column),
                    str(text),
                    bool(is_title),
                    tuple(Candidate(tuple(map(str, w)), tuple(map(bool, o))) for w, o in found),
                )
                for index, line, column, text, is_title, found in sentences
            ),
            boilerplate=tuple(
                BoilerplateLine(line=line, text=text, reason=reason)
                for line, text, reason in boilerplate
            ),
            hits=tuple(Hit(str(claim), Evidence.model_validate(e)) for claim, e in hits),
            vocabulary=frozenset(map(str, words)),
            lowercase=frozenset(map(str, lower)),
            hidden=tuple((int(line), int(column), str(word)) for line, column, word in hidden),
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:  # pydantic's is a ValueError
        raise ValueError(f"not an analysis record: {exc}") from None
