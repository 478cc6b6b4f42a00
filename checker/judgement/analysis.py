"""The per-article stage (the map): match every claim against one article, compactly."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from checker.articles.anatomy import STATEMENT_ROLES, Role
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import DROPPED_KINDS, Article, LineKind, RawArticle, Sentence
from checker.base.text import (
    INVISIBLE_RE,
    hidden_characters,
    lookalike_words,
    mixed_script_words,
)
from checker.findings.results import BoilerplateLine, Evidence, MentionRole
from checker.judgement.index import HasLocation, LedgerIndex, scope_covers
from checker.judgement.matcher import Match, find_all, leftmost_longest
from checker.judgement.mention_rules import (
    BY_CODE,
    ClauseMention,
    Mention,
    MentionRule,
    NameRuns,
    Phase,
    RuleSet,
    name_runs,
)
from checker.judgement.mentions import (
    article_year,
    is_provisional,
    is_provisional_figure,
    mask_speakers,
)
from checker.judgement.novelty import vocabulary
from checker.judgement.salience import (
    MIN_SALIENT,
    ON_TOPIC_WEIGHT,
    content_words,
    is_credit,
    is_salient,
    keys,
    weight,
    word_key,
    words_of,
)
from checker.judgement.typed import article_date, typed_matches
from checker.judgement.view import SentenceView

# Sees every sentence's raw matches (cues and overlapped aliases included) of the claims in scope.
MatchObserver = Callable[[Article, Sentence, list[Match]], None]


# NamedTuples, not slotted dataclasses: a warm cache loads them several times faster.
class SentenceRecord(NamedTuple):
    """What the report needs of a sentence; `words` and `shared` only where no claim speaks."""

    index: int
    line: int
    column: int
    text: str
    is_title: bool
    role: str = Role.PROSE.value
    # Where no claim speaks (how the stray test tells on-topic from off-topic, `salience`):
    # the sentence's weighted words that no other sentence of the article uses, as written;
    # the weight of those that others do use; whether a salient word it alone uses is a name.
    words: tuple[str, ...] = ()
    shared: float = 0.0
    named: bool = False


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
    hidden: tuple[tuple[int, int, str], ...] = ()  # (line, column, the word as written)
    # Mentions a mention rule discarded (source, dropped): the trace of why they do not count.
    discounted: tuple[Hit, ...] = ()
    # The article's cache key, when the run keeps a cache: what the judgement memo is keyed by.
    key: str = ""

    @property
    def sentence_count(self) -> int:
        """Return how many sentences the article has."""
        return len(self.sentences)

    def evidence_of(self, claim: str) -> list[Evidence]:
        """Return the evidence for one claim."""
        return [hit.evidence for hit in self.hits if hit.claim == claim]


class Unspoken(NamedTuple):
    """A statement sentence no claim speaks to; `words` (its absent salient words) only when
    it is off-topic within its article."""

    index: int
    line: int
    column: int
    text: str
    role: str
    words: tuple[str, ...]


class ArticleDigest(NamedTuple):
    """An article's analysis cut to what the reduction needs once sentences are not listed.

    Of the sentences it keeps only those that may become findings (no claim speaks to them);
    the mentions and the word sets feed the corpus-wide reduction.
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
    hits: tuple[Hit, ...]
    vocabulary: frozenset[str]
    unlisted: int = 0  # sentences dropped from `unspoken` that can only be counted (reduction)
    # Mentions a rule discarded, counted: (claim, rule code, how many), sorted.
    discounted: tuple[tuple[str, str, int], ...] = ()
    key: str = ""  # the article's cache key, as on `ArticleAnalysis` (never stored)


def topic_of(index: LedgerIndex, article: HasLocation) -> frozenset[str]:
    """Return the topic words (word keys) of the claims whose scope covers an article."""
    outside = {cid for cid, globs in index.scoped.items() if not scope_covers(globs, article)}
    return index.topic_words(outside)


def off_topic_words(sentence: SentenceRecord, topic: frozenset[str]) -> tuple[str, ...]:
    """Return the salient words of a sentence no claim supports when it is off its article's
    topic, else (): what it shares with the rest of the article and with the claims covering
    it weighs less than ON_TOPIC_WEIGHT, and it has MIN_SALIENT salient words of its own, one
    of them a name.

    The reduction still asks the articles that speak to the same claims (`Reducer`).
    """
    if not sentence.named:
        return ()
    salient = tuple(word for word in sentence.words if is_salient(word))
    if len(salient) < MIN_SALIENT:
        return ()
    # Of the claims' words only the salient count: "shares" is not a claim's vote "share".
    shared = sentence.shared + sum(weight(word) for word in salient if word_key(word) in topic)
    return () if shared >= ON_TOPIC_WEIGHT else salient


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
        unspoken.append(
            Unspoken(
                sentence.index,
                sentence.line,
                sentence.column,
                sentence.text,
                sentence.role,
                off_topic_words(sentence, topic),
            )
        )
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
        hits=analysis.hits,
        vocabulary=analysis.vocabulary,
        discounted=discounted_counts(analysis.discounted),
        key=analysis.key,
    )


def discounted_counts(hits: Sequence[Hit]) -> tuple[tuple[str, str, int], ...]:
    """Count discarded mentions by claim and rule."""
    counts = Counter((hit.claim, hit.evidence.rule) for hit in hits)
    return tuple((claim, rule, n) for (claim, rule), n in sorted(counts.items()))


def _evidence(
    match: Match,
    sentence: Sentence,
    spelled: str,
    negated: bool,
    hedged: bool,
    role: MentionRole,
    rule: str,
    provisional_sentence: bool = False,
) -> Evidence:
    line = sentence.line
    column, end_column = line.column(match.start), line.end_column(match.end)
    provisional = match.phrase.floor or provisional_sentence
    written = line.text[column - 1 : end_column - 1]
    # Only non-ASCII copy can hold a lookalike letter: the check costs ASCII text nothing.
    confusable = not written.isascii() and bool(lookalike_words(written))
    return Evidence(
        value=match.phrase.value or "",
        alias=match.phrase.alias,
        text=written,
        sentence=spelled,  # one string for all of a sentence's mentions
        sentence_index=sentence.index,
        line=line.number,
        column=column,
        end_column=end_column,
        negated=negated,
        hedged=hedged,
        role=role.value,
        rule=rule,
        provisional=provisional,
        confusable=confusable,
    )


class _SentenceRules(NamedTuple):
    """The enabled mention-level rules whose pre-check passes on one sentence."""

    discarding: tuple[MentionRule, ...]  # drop, then bind: the first to decide discounts
    demote: tuple[MentionRule, ...]


def _sentence_rules(rules: RuleSet, view: SentenceView) -> _SentenceRules:
    return _SentenceRules(
        rules.passing(Phase.DROP, view) + rules.passing(Phase.BIND, view),
        rules.passing(Phase.DEMOTE, view),
    )


def _sentence_hits(
    sentence: Sentence,
    matches: list[Match],
    index: LedgerIndex,
    outside: frozenset[str],
    year: str | None,
    runs: NameRuns,
) -> tuple[list[Hit], list[Hit]]:
    """Return a sentence's mentions that speak for it, and those a rule discounted."""
    view = SentenceView(
        sentence.normalised, headline=sentence.role in (Role.TITLE, Role.SUBHEADING)
    )
    offset = sentence.start
    cues: dict[tuple[int, int], set[str]] = defaultdict(set)
    valued: dict[tuple[int, int], set[str]] = defaultdict(set)
    for match in matches:  # every claim's cues and values bind mentions, in scope or not
        found = cues if match.phrase.value is None else valued
        found[(match.start - offset, match.end - offset)].add(match.phrase.claim)
    near = _CuesNear(cues)
    rules = _sentence_rules(index.rules, view)
    provisional = is_provisional_figure(sentence.normalised)  # once: a sentence may be long
    spelled = sentence.text
    hits: list[tuple[Hit, tuple[int, int]]] = []
    discounted: list[Hit] = []
    for match in leftmost_longest(matches):
        claim = index.claims[match.phrase.claim].claim
        if claim.id in outside:
            continue
        start, end = match.start - offset, match.end - offset
        # A cue inside the mention itself ("ministers" in "foreign ministers") is its value's.
        local = {
            cue: ids
            for cue, ids in near.around(start, end).items()
            if cue[1] <= start or end <= cue[0]
        }
        mention = Mention(
            view,
            start,
            end,
            match.phrase.alias,
            claim,
            local,
            frozenset(valued[(start, end)] - {claim.id}),
            year,
            runs,
            index.subjects.get(claim.id, ()),
        )
        decided = None
        for rule in rules.discarding:  # inline, not a call per phase: this runs per mention
            if rule.test(mention):  # type: ignore[arg-type, misc]
                decided = rule
                break
        if decided is not None:
            evidence = _evidence(
                match, sentence, spelled, False, False, decided.outcome, decided.code
            )
            discounted.append(Hit(claim.id, evidence))
            continue
        demoted = None
        for rule in rules.demote:
            if rule.test(mention):  # type: ignore[arg-type, misc]
                demoted = rule
                break
        role = MentionRole.ANSWER if demoted is None else demoted.outcome
        negated, hedged = view.qualifiers(start, end)
        evidence = _evidence(
            match,
            sentence,
            spelled,
            negated,
            hedged,
            role,
            "" if demoted is None else demoted.code,
            provisional,
        )
        hits.append((Hit(claim.id, evidence), (start, end)))
    kept, bound = _bound_answers(view, hits, near, index)
    return kept, discounted + bound


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
    view: SentenceView,
    hits: list[tuple[Hit, tuple[int, int]]],
    near: _CuesNear,
    index: LedgerIndex,
) -> tuple[list[Hit], list[Hit]]:
    """Split off the values a sentence names for another clause's question; keep every denial."""
    values: dict[str, set[str]] = defaultdict(set)
    for hit, _ in hits:
        if hit.evidence.counts:  # a demoted mention (another occasion) competes with none
            values[hit.claim].add(hit.evidence.value)
    crowded = {claim for claim, named in values.items() if len(named) > 1}
    clause_rules = index.rules.phase(Phase.CLAUSE)
    if not crowded or not clause_rules:  # nearly every sentence: one value per claim
        return [hit for hit, _ in hits], []
    dropped: dict[tuple[str, str], MentionRule] = {}
    for claim_id in sorted(crowded):
        claim = index.claims[claim_id].claim
        mentions = [
            ClauseMention(
                hit.evidence.value,
                span,
                [cue for cue, claims in near.around(*span).items() if claim_id in claims],
            )
            for hit, span in hits
            if hit.claim == claim_id and hit.evidence.counts and not hit.evidence.negated
        ]
        for rule in index.rules.passing(Phase.CLAUSE, view):
            # Each rule reads what the rules before it left: ambiguity is what remains.
            gone = rule.test(view, claim, mentions)  # type: ignore[call-arg, arg-type, misc]
            for value in gone:  # type: ignore[union-attr]
                dropped.setdefault((claim_id, value), rule)
            if gone:
                mentions = [m for m in mentions if m.value not in gone]  # type: ignore[operator]
    kept: list[Hit] = []
    bound: list[Hit] = []
    for hit, _ in hits:
        rule = (
            None
            if hit.evidence.negated or not hit.evidence.counts
            else dropped.get((hit.claim, hit.evidence.value))
        )
        if rule is None:
            kept.append(hit)
        else:
            evidence = hit.evidence._replace(
                role=rule.outcome.value, rule=rule.code, negated=False, hedged=False
            )
            # An ambiguous mention still speaks for its sentence; a dropped one does not.
            (kept if rule.outcome is MentionRole.AMBIGUOUS else bound).append(
                Hit(hit.claim, evidence)
            )
    return kept, bound


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
    rule = BY_CODE["MR012"]
    return [
        Hit(hit.claim, hit.evidence._replace(role=rule.outcome.value, rule=rule.code))
        if hit.evidence.counts
        and hit.evidence.sentence_index in provisional
        and firm[hit.claim]
        and hit.evidence.value not in firm[hit.claim]
        else hit
        for hit in hits
    ]


def _article_runs(article: Article) -> NameRuns:
    headline = (Role.TITLE, Role.SUBHEADING)
    return name_runs(
        (s.normalised for s in article.sentences if s.role not in headline),
        (s.normalised for s in article.sentences if s.role in headline),
    )


def analyse_article(
    article: Article, index: LedgerIndex, observe: MatchObserver | None = None
) -> ArticleAnalysis:
    """Match every claim against one article; every position is in the file's own lines."""
    return relocate(_analyse(article, index, observe), article)


def _analyse(
    article: Article, index: LedgerIndex, observe: MatchObserver | None
) -> ArticleAnalysis:
    whole = getattr(observe, "see_article", None)
    if whole is not None:  # an observer that also reads whole articles (their chrome lines)
        whole(article)
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
    joined = "\n".join(s[0].line.body.text for s in groups)
    matches = find_all(index.phrases, joined)
    if index.typed:  # figures and dates read by meaning join the alias matches
        typed = typed_matches(joined, index.typed, article_date(article.metadata))
        if typed:
            matches = sorted([*matches, *typed], key=lambda m: m.start)
    starts = [m.start for m in matches]  # find_all yields matches in start order
    hits: list[Hit] = []
    discounted: list[Hit] = []
    year = article_year(article.metadata)
    runs: NameRuns | None = None
    for base, sentences in zip(bases, groups, strict=True):
        for sentence in sentences:
            first = bisect_left(starts, base + sentence.start)
            last = bisect_left(starts, base + sentence.end, first)
            inside = [Match(m.start - base, m.end - base, m.phrase) for m in matches[first:last]]
            if observe is not None:
                observe(article, sentence, [m for m in inside if m.phrase.claim not in outside])
            if inside:
                if runs is None:  # only an article with mentions needs its name runs
                    runs = _article_runs(article)
                kept, lost = _sentence_hits(sentence, inside, index, outside, year, runs)
                hits += kept
                discounted += lost
    spoken = {hit.evidence.sentence_index for hit in hits}
    if index.rules.on("MR012"):  # roles change, not sentences
        hits = _superseded_counts(hits, article.sentences, spoken)
    text = "\n".join(s.normalised for s in article.sentences)
    words = [keys(words_of(s.normalised)) for s in article.sentences]
    usage = Counter(word for found in words for word in found)
    repeat = 1 if len(article.sentences) <= SHORT_ARTICLE else 2
    return ArticleAnalysis(
        id=article.id,
        path=article.path,
        title=article.title,
        metadata=dict(article.metadata),
        sentences=tuple(
            _record(s, s.index in spoken, found, usage, repeat)
            for s, found in zip(article.sentences, words, strict=True)
        ),
        boilerplate=tuple(
            BoilerplateLine(line=line.number, text=line.text, reason=line.kind.value)
            for line in article.lines
            if line.kind in DROPPED_KINDS
        ),
        hits=tuple(hits),
        discounted=tuple(discounted),
        vocabulary=frozenset(vocabulary(text)),
        hidden=tuple(
            (line.number, at + 1, _word_around(line.text, at))
            for line in article.lines
            if line.kind is LineKind.CONTENT
            for at in sorted({*hidden_characters(line.text), *mixed_script_words(line.text)})
        ),
    )


def relocate(analysis: ArticleAnalysis, article: Article) -> ArticleAnalysis:
    """Move every position from the parser's paragraphs to the file's own lines and columns.

    The analysis counts columns along each paragraph (`Line.text`); a wrapped paragraph spans
    several file lines and an HTML paragraph sits between tags, so each position goes back
    through its line's source map. A mention that crosses a line break keeps its length: its
    end column lies past its first line's end, and `end_column - column` stays the width of
    the text it covers.
    """
    if not article.mapped:
        return analysis  # every line is the file's own: nothing to move
    lines = {line.number: line for line in article.lines if line.source is not None}
    if not lines:
        return analysis

    def place(line: int, column: int) -> tuple[int, int]:
        found = lines.get(line)
        return (line, column) if found is None else found.position(column)

    def moved(evidence: Evidence) -> Evidence:
        found = lines.get(evidence.line)
        if found is None:
            return evidence
        line, column = found.position(evidence.column)
        end_line, end_column = found.end_position(evidence.end_column)
        if end_line != line:
            end_column = column + len(evidence.text)
        return evidence._replace(line=line, column=column, end_column=end_column)

    def hits(found: tuple[Hit, ...]) -> tuple[Hit, ...]:
        return tuple(hit._replace(evidence=moved(hit.evidence)) for hit in found)

    sentences = []
    for sentence in analysis.sentences:
        line, column = place(sentence.line, sentence.column)
        sentences.append(sentence._replace(line=line, column=column))
    return replace(
        analysis,
        sentences=tuple(sentences),
        hits=hits(analysis.hits),
        discounted=hits(analysis.discounted),
        hidden=tuple((*place(line, column), word) for line, column, word in analysis.hidden),
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


# In an article of at most this many sentences a word used once elsewhere is a full tie.
SHORT_ARTICLE = 3


def _record(
    sentence: Sentence, spoken: bool, words: set[str], usage: Counter[str], repeat: int
) -> SentenceRecord:
    absent: tuple[str, ...] = ()
    shared = 0.0
    named = False
    if not spoken and sentence.role in STATEMENT_ROLES and not is_credit(sentence.normalised):
        found = content_words(sentence.normalised)
        # The speaker of reported speech ("…, Bruce added.") ties a quote to the article when
        # the article names him elsewhere, but is no sign of another topic when it does not.
        masked = mask_speakers(sentence.normalised)
        spoken_words = found if masked is sentence.normalised else content_words(masked)
        found_masks = {key for key in spoken_words if key not in found}  # the speaker's mask
        elsewhere = {key: usage[key] - (key in words) for key in found}
        elsewhere = {key: uses for key, uses in elsewhere.items() if uses > 0}
        # A word the rest of the article uses once is half the evidence of one it repeats,
        # but in an article of a few sentences, where nothing has had room to recur.
        shared = round(
            sum(
                weight(found[key].written) * min(uses, repeat) / repeat
                for key, uses in elsewhere.items()
            ),
            3,
        )
        own = [
            word
            for key, word in spoken_words.items()
            if key not in elsewhere and key not in found_masks
        ]
        absent = tuple(word.written for word in own)
        named = any(word.name and is_salient(word.written) for word in own)
    return SentenceRecord(
        index=sentence.index,
        line=sentence.line.number,
        column=sentence.column,
        text=sentence.text,
        is_title=sentence.is_title,
        role=sentence.role.value,
        words=absent,
        shared=shared,
        named=named,
    )
