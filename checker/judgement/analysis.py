"""The per-article stage (the map): match every claim against one article, compactly."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from checker.articles.anatomy import STATEMENT_ROLES, Role
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import DROPPED_KINDS, Article, LineKind, RawArticle, Sentence
from checker.base.claims import Claim
from checker.base.text import INVISIBLE_RE, hidden_characters
from checker.findings.results import BoilerplateLine, Evidence
from checker.judgement.cues import SentenceCues, may_qualify, sentence_words
from checker.judgement.index import HasLocation, LedgerIndex, scope_covers
from checker.judgement.matcher import Match, find_all, leftmost_longest
from checker.judgement.mentions import (
    MentionRole,
    article_year,
    asks_for_source,
    clause_bound,
    is_attributed,
    is_earlier_figure,
    is_idiom_part,
    is_name_part,
    is_provisional,
    is_quantity_part,
    is_range_part,
    is_reference_point,
    mask_speakers,
    may_attribute,
    may_mark_occasion,
    nearest,
    other_occasion,
)
from checker.judgement.novelty import (
    Candidate,
    candidates,
    content_words,
    inner_names,
    lowercase_words,
    vocabulary,
)

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
    role: str = Role.PROSE.value
    # Where no claim speaks: the sentence's content words, and how many of them other
    # sentences of the article use too (how the stray test tells on-topic from off-topic).
    words: tuple[str, ...] = ()
    shared: int = 0


class Hit(NamedTuple):
    """A mention of a claim value: the claim and its evidence."""

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
    names: frozenset[str] = frozenset()  # words written capitalised inside a sentence

    @property
    def sentence_count(self) -> int:
        """Return how many sentences the article has."""
        return len(self.sentences)

    def evidence_of(self, claim: str) -> list[Evidence]:
        """Return the evidence for one claim."""
        return [hit.evidence for hit in self.hits if hit.claim == claim]


class Unspoken(NamedTuple):
    """A statement sentence no claim speaks to; `candidates` only when it is off-topic."""

    index: int
    line: int
    column: int
    text: str
    role: str
    candidates: tuple[Candidate, ...]


class ArticleDigest(NamedTuple):
    """An article's analysis cut to what the reduction needs once sentences are not listed.

    Of the sentences it keeps only those that may become findings (no claim speaks to them),
    and of the article's words, for them, only those they could be novel for (`own`); the
    mentions and the word sets feed the corpus-wide reduction.
    """

    id: str
    path: str
    title: str
    metadata: dict[str, str]
    sentence_count: int
    supported: int
    other_unspoken: int  # unspoken sentences that are not statements (titles, subheadings)
    unspoken: tuple[Unspoken, ...]
    hidden: tuple[tuple[int, int, str], ...]
    own: frozenset[str]
    hits: tuple[Hit, ...]
    vocabulary: frozenset[str]
    lowercase: frozenset[str]
    names: frozenset[str]
    unlisted: int = 0  # sentences dropped from `unspoken` that can only be counted (reduction)


def topic_of(index: LedgerIndex, article: HasLocation) -> frozenset[str]:
    """Return the topic words of the claims whose scope covers an article."""
    outside = {cid for cid, globs in index.scoped.items() if not scope_covers(globs, article)}
    return index.topic_words(outside)


# A sentence shares its article's topic when it uses a word of the claims that cover the
# article, or at least this many content words that other sentences of the article use too.
ON_TOPIC_SHARED_WORDS = 2


def on_topic(sentence: SentenceRecord, topic: frozenset[str]) -> bool:
    """Tell whether a sentence no claim supports is still about its article's subject."""
    return sentence.shared >= ON_TOPIC_SHARED_WORDS or not topic.isdisjoint(sentence.words)


def digest_analysis(analysis: ArticleAnalysis, index: LedgerIndex) -> ArticleDigest:
    """Keep of an analysis what an unlisted article report and its findings need."""
    topic = topic_of(index, analysis)
    spoken = {hit.evidence.sentence_index for hit in analysis.hits}
    unspoken: list[Unspoken] = []
    other = 0
    for sentence in analysis.sentences:
        if sentence.index in spoken:
            continue
        if sentence.role not in STATEMENT_ROLES:
            other += 1
            continue
        off_topic = not on_topic(sentence, topic)
        unspoken.append(
            Unspoken(
                sentence.index,
                sentence.line,
                sentence.column,
                sentence.text,
                sentence.role,
                sentence.candidates if off_topic else (),
            )
        )
    words = {word.lower() for s in unspoken for c in s.candidates for word in c.words}
    return ArticleDigest(
        id=analysis.id,
        path=analysis.path,
        title=analysis.title,
        metadata=dict(analysis.metadata),
        sentence_count=len(analysis.sentences),
        supported=len(spoken),
        other_unspoken=other,
        unspoken=tuple(unspoken),
        hidden=analysis.hidden,
        own=frozenset(words & analysis.vocabulary),
        hits=analysis.hits,
        vocabulary=analysis.vocabulary,
        lowercase=analysis.lowercase,
        names=analysis.names,
    )


def _evidence(
    match: Match,
    sentence: Sentence,
    spelled: str,
    negated: bool,
    hedged: bool,
    role: MentionRole,
) -> Evidence:
    line = sentence.line
    column, end_column = line.column(match.start), line.end_column(match.end)
    return Evidence(
        value=match.phrase.value or "",
        alias=match.phrase.alias,
        text=line.text[column - 1 : end_column - 1],
        sentence=spelled,  # one string for all of a sentence's mentions
        sentence_index=sentence.index,
        line=line.number,
        column=column,
        end_column=end_column,
        negated=negated,
        hedged=hedged,
        role=role.value,
    )


def _mention_role(
    claim: Claim,
    text: str,
    span: tuple[int, int],
    cues: dict[tuple[int, int], set[str]],
    rivals: set[str],
    year: str | None,
    occasion_words: bool,
) -> MentionRole | None:
    """Return how a value mention relates to its claim; None when it is not the claim's."""
    # A cue inside the mention itself ("ministers" in "foreign ministers") is part of the value.
    cues = {cue: claims for cue, claims in cues.items() if cue[1] <= span[0] or span[1] <= cue[0]}
    anchors = [span]
    occasions = claim.other_occasions or occasion_words
    if claim.about:
        own = {cue for cue, claims in cues.items() if claim.id in claims}
        if not own:
            return None  # the claim's cues are not in the sentence
        if rivals:
            # Claims that match the same words compete: the one whose cue is nearest takes it.
            contested = {cue for cue, claims in cues.items() if claims & (rivals | {claim.id})}
            if not nearest(text, span, contested) & own:
                return None
        anchors = sorted(nearest(text, span, own))
    if occasions and all(
        other_occasion(text, anchor, claim.other_occasions, year) for anchor in anchors
    ):
        return MentionRole.OTHER_EVENT
    return MentionRole.ANSWER


def _sentence_hits(
    sentence: Sentence,
    matches: list[Match],
    index: LedgerIndex,
    outside: frozenset[str],
    year: str | None,
) -> list[Hit]:
    text = sentence.normalised
    offset = sentence.start
    cues: dict[tuple[int, int], set[str]] = defaultdict(set)
    valued: dict[tuple[int, int], set[str]] = defaultdict(set)
    for match in matches:  # every claim's cues and values bind mentions, in scope or not
        found = cues if match.phrase.value is None else valued
        found[(match.start - offset, match.end - offset)].add(match.phrase.claim)
    headline = sentence.role in (Role.TITLE, Role.SUBHEADING)  # capitals carry no signal there
    speech = may_attribute(text)  # most sentences report no speech: skip the attribution test
    occasion_words = may_mark_occasion(text)
    near = _CuesNear(cues)
    cue_analysis: SentenceCues | None = None
    qualifiable: bool | None = None
    spelled = sentence.text
    hits: list[tuple[Hit, tuple[int, int]]] = []
    for match in leftmost_longest(matches):
        claim = index.claims[match.phrase.claim].claim
        if claim.id in outside:
            continue
        start, end = match.start - offset, match.end - offset
        if (
            (not headline and is_name_part(text, end))
            or (speech and is_attributed(text, start, end) and not asks_for_source(claim))
            or is_range_part(text, start, end)
            or is_idiom_part(text, end)
            or is_quantity_part(text, match.phrase.alias, end, claim)
            or is_reference_point(text, start)
        ):
            continue  # part of a name, a range or a measure, a bearing, or a speech's source
        rivals = valued[(start, end)] - {claim.id}
        local = near.around(start, end)
        role = _mention_role(claim, text, (start, end), local, rivals, year, occasion_words)
        if role is None:
            continue
        if role is MentionRole.ANSWER and is_earlier_figure(text, start, end):
            role = MentionRole.OTHER_EVENT  # a superseded estimate or a past event's figure
        if qualifiable is None:
            qualifiable = may_qualify(text)
        negated = hedged = False
        if qualifiable:  # most sentences have no negator or hedge: skip the clause analysis
            if cue_analysis is None:
                cue_analysis = SentenceCues(sentence_words(text))
            negated, hedged = cue_analysis.classify(start, end)
        hits.append(
            (
                Hit(claim.id, _evidence(match, sentence, spelled, negated, hedged, role)),
                (start, end),
            )
        )
    return _bound_answers(text, hits, near, index)


# How far from a mention a cue can bind it, in characters (about a hundred words). Past it a cue
# is not about the mention, and a run-on "sentence" costs each mention only its neighbourhood.
CUE_REACH = 600


class _CuesNear:
    """The cues of one sentence, sorted, to fetch those within reach of a mention."""

    def __init__(self, cues: dict[tuple[int, int], set[str]]) -> None:
        self.cues = cues
        self.spans = sorted(cues)
        self.starts = [span[0] for span in self.spans]

    def around(self, start: int, end: int) -> dict[tuple[int, int], set[str]]:
        """Return the cues that start within CUE_REACH characters of a mention."""
        low = bisect_left(self.starts, start - CUE_REACH)
        high = bisect_right(self.starts, end + CUE_REACH)
        return {span: self.cues[span] for span in self.spans[low:high]}


def _bound_answers(
    text: str,
    hits: list[tuple[Hit, tuple[int, int]]],
    near: _CuesNear,
    index: LedgerIndex,
) -> list[Hit]:
    """Drop the values a sentence names for another clause's question; keep every denial."""
    values: dict[str, set[str]] = defaultdict(set)
    for hit, _ in hits:
        values[hit.claim].add(hit.evidence.value)
    crowded = {claim for claim, named in values.items() if len(named) > 1}
    if not crowded:  # nearly every sentence: one value per claim
        return [hit for hit, _ in hits]
    dropped: set[tuple[str, str]] = set()
    for claim_id in crowded:
        claim = index.claims[claim_id].claim
        if not claim.about or claim.kind != "one-of":  # an any-of claim names several at once
            continue
        mentions = [
            (
                hit.evidence.value,
                span,
                [cue for cue, claims in near.around(*span).items() if claim_id in claims],
            )
            for hit, span in hits
            if hit.claim == claim_id and not hit.evidence.negated
        ]
        dropped |= {(claim_id, value) for value in clause_bound(text, mentions)}
    return [
        hit
        for hit, _ in hits
        if hit.evidence.negated or (hit.claim, hit.evidence.value) not in dropped
    ]


def _superseded_counts(
    hits: list[Hit], sentences: Sequence[Sentence], spoken: set[int]
) -> list[Hit]:
    """Demote a provisional count's answers when the article also gives a firm one.

    "The final tally is 10,467 … A partial, unofficial tally showed 10,326": the article's
    answer is the final figure. An article that gives only a provisional count keeps it.
    """
    provisional = {s.index for s in sentences if s.index in spoken and is_provisional(s.normalised)}
    if not provisional:  # nearly every article
        return hits
    firm: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        if hit.evidence.counts and hit.evidence.sentence_index not in provisional:
            firm[hit.claim].add(hit.evidence.value)
    return [
        Hit(hit.claim, hit.evidence._replace(role=MentionRole.OTHER_EVENT.value))
        if hit.evidence.counts
        and hit.evidence.sentence_index in provisional
        and firm[hit.claim]
        and hit.evidence.value not in firm[hit.claim]
        else hit
        for hit in hits
    ]


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
    year = article_year(article.metadata, "\n".join(s.normalised for s in article.sentences))
    for base, sentences in zip(bases, groups, strict=True):
        for sentence in sentences:
            first = bisect_left(starts, base + sentence.start)
            last = bisect_left(starts, base + sentence.end, first)
            inside = [Match(m.start - base, m.end - base, m.phrase) for m in matches[first:last]]
            if observe is not None:
                observe(article, sentence, [m for m in inside if m.phrase.claim not in outside])
            if inside:
                hits += _sentence_hits(sentence, inside, index, outside, year)
    spoken = {hit.evidence.sentence_index for hit in hits}
    hits = _superseded_counts(hits, article.sentences, spoken)  # roles change, not sentences
    text = "\n".join(s.normalised for s in article.sentences)
    words = [content_words(s.normalised) for s in article.sentences]
    usage = Counter(word for found in words for word in found)
    return ArticleAnalysis(
        id=article.id,
        path=article.path,
        title=article.title,
        metadata=dict(article.metadata),
        sentences=tuple(
            _record(s, s.index in spoken, found, usage)
            for s, found in zip(article.sentences, words, strict=True)
        ),
        boilerplate=tuple(
            BoilerplateLine(line=line.number, text=line.text, reason=line.kind.value)
            for line in article.lines
            if line.kind in DROPPED_KINDS
        ),
        hits=tuple(hits),
        vocabulary=frozenset(vocabulary(text)),
        lowercase=frozenset(lowercase_words(text)),
        names=frozenset(
            name
            for s in article.sentences
            if s.role not in (Role.TITLE, Role.SUBHEADING)
            for name in inner_names(s.normalised)
        ),
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


def _record(
    sentence: Sentence, spoken: bool, words: frozenset[str], usage: Counter[str]
) -> SentenceRecord:
    return SentenceRecord(
        index=sentence.index,
        line=sentence.line.number,
        column=sentence.column,
        text=sentence.text,
        is_title=sentence.is_title,
        candidates=() if spoken else tuple(candidates(mask_speakers(sentence.normalised))),
        role=sentence.role.value,
        words=() if spoken else tuple(sorted(words)),
        shared=0 if spoken else sum(usage[word] > 1 for word in words),
    )
