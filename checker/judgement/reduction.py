"""The reduction: per-article analyses in, claim judgements, article reports and findings out."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from checker.articles.anatomy import STATEMENT_ROLES, Role
from checker.articles.corpus import Article
from checker.base.claims import Ledger, LocatedClaim, Severity
from checker.base.files import printable
from checker.base.text import INVISIBLE_RE, fold_key
from checker.findings.results import (
    ArticlePair,
    ArticleReport,
    Cell,
    Evidence,
    Finding,
    Judgement,
    SentenceReport,
    SentenceStatus,
    VerdictStatus,
    choose_detail,
    make_finding,
)
from checker.findings.rules import RULES, FindingKind, severity
from checker.judgement.analysis import (
    ArticleAnalysis,
    ArticleDigest,
    Hit,
    Unspoken,
    analyse_article,
    digest_analysis,
    discounted_counts,
    off_topic_words,
    topic_of,
)
from checker.judgement.index import LedgerIndex, build_index, scope_covers
from checker.judgement.judge import ClaimJudgement, Speaker, judge_claim
from checker.judgement.salience import word_key, zipf
from checker.judgement.typed import article_date

PAIR_BUDGET = 1_000_000
# Past this many claim × article cells, scope lists are left out: no reader could use them.
SCOPE_LIST_CELLS = 20_000


# Only prose and list items can be stray: a headline or a caption restates or labels the story
# in its own words, and credits and related-headline blocks are not part of the text at all.
STRAY_ROLES = frozenset({Role.PROSE, Role.LIST_ITEM})


# Of another article's words, only a rare one (a name English does not list, a term of art)
# ties a sentence to the story: a sentence adverb ("Meanwhile") a sibling also uses says nothing.
SIBLING_ZIPF = 4.4


def _telling(word: str) -> bool:
    return zipf(word) < SIBLING_ZIPF


def rare_keys(vocabulary: Iterable[str]) -> tuple[str, ...]:
    """Return the keys of an article's rare words: the only ones that tie it to a sibling."""
    return tuple(sorted({word_key(word) for word in vocabulary if _telling(word)}))


class Outline(NamedTuple):
    """What the reduction reads of a cached article before it knows it needs the digest.

    A warm run takes every unchanged article as its outline: which claims it touches (the keys
    of their memoised judgements), its rare words (the siblings index) and the words its
    off-topic sentences look up there (the key of its memoised sentence findings). The digest
    is read only for a claim or an article whose memo misses.
    """

    key: str  # the article's cache key
    id: str
    path: str
    date: str  # YYYY-MM-DD or ""
    sentence_count: int
    speaks: tuple[str, ...]  # the claims its mentions speak to
    touches: tuple[str, ...]  # those and the claims of its discounted mentions
    rare: tuple[str, ...]  # `rare_keys` of its vocabulary
    asks: tuple[str, ...]  # the telling words of its off-topic sentences


def outline_of(digest: ArticleDigest) -> Outline:
    """Cut an article's outline from its digest."""
    speaks = {hit.claim for hit in digest.hits}
    day = article_date(digest.metadata)
    return Outline(
        key=digest.key,
        id=digest.id,
        path=digest.path,
        date="" if day is None else day.isoformat(),
        sentence_count=digest.sentence_count,
        speaks=tuple(sorted(speaks)),
        touches=tuple(sorted(speaks | {claim for claim, _, _ in digest.discounted})),
        rare=rare_keys(digest.vocabulary) if speaks else (),
        asks=_asks(digest.unspoken),
    )


def _asks(unspoken: Iterable[Unspoken]) -> tuple[str, ...]:
    """Return the words the stray test looks up among siblings, for an article's sentences."""
    words = {
        word
        for sentence in unspoken
        if sentence.words and sentence.role in STRAY_ROLES
        for word in sentence.words
        if _telling(word)
    }
    return tuple(sorted(words))


# What `_Sentences.counted` makes of one article: its report, its findings, what it left out.
ArticleSentences = tuple[ArticleReport, list[Finding], Counter[FindingKind]]


class JudgementMemo(Protocol):
    """Where a run keeps judgements for the next: claims and articles by their inputs' hash.

    A hit must be exactly what judging again would make: keys hash every input (`Reducer`),
    and the store authenticates what it hands back.
    """

    @property
    def keeping(self) -> bool:
        """Tell whether the memo is used this run (a run that reused no analysis keeps none)."""

    def digest(self, key: str) -> ArticleDigest | None:
        """Return the digest of the article with this cache key (an outline's)."""

    def put_outline(self, outline: Outline) -> None:
        """Store the outline of an article taken in whole, for the next run."""

    def claim(self, key: str) -> ClaimJudgement | None:
        """Return the judgement stored under a claim's key."""

    def put_claim(self, key: str, judgement: ClaimJudgement) -> None:
        """Store a claim's judgement."""

    def sentences(self, key: str) -> ArticleSentences | None:
        """Return the sentence findings stored under an article's key."""

    def put_sentences(self, key: str, sentences: ArticleSentences) -> None:
        """Store an article's sentence findings."""


class MemoGap(Exception):
    """An outline's digest was gone when its claims needed it (another run pruned it)."""


MEMO_FORMAT = 1  # bump when what a memo key hashes, or what its judgement holds, changes


def _hashed(*parts: object) -> str:
    return hashlib.sha256(
        repr((MEMO_FORMAT, *parts)).encode("utf-8", "surrogateescape")
    ).hexdigest()


class _Siblings:
    """Which articles use each salient word, and which claims each article speaks to.

    An off-topic sentence's salient word that an article speaking to one of the same claims
    uses is the story's, not a digression ("Wajima" in a quake report that does not name the
    town, when the other reports of the quake do). Words map to article numbers, not to claims:
    an archive's articles each speak to many claims, and only the few words of off-topic
    sentences are ever looked up.
    """

    def __init__(self) -> None:
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.numbers: dict[str, int] = {}
        self.claims: list[frozenset[str]] = []

    def add(self, article: str, vocabulary: Iterable[str], claims: frozenset[str]) -> None:
        """Index one article's rare words, if it speaks to a claim."""
        self.add_keys(article, rare_keys(vocabulary) if claims else (), claims)

    def add_keys(self, article: str, keys: Iterable[str], claims: frozenset[str]) -> None:
        """Index one article's rare word keys (`rare_keys`), if it speaks to a claim."""
        number = self.numbers[article] = len(self.claims)
        self.claims.append(claims)
        if not claims:
            return
        for key in keys:
            self.by_word[key].append(number)

    def used(self, article: str, word: str) -> bool:
        """Tell whether another article speaking to one of this article's claims uses a word."""
        number = self.numbers.get(article)
        if number is None or not self.claims[number]:
            return False
        own = self.claims[number]
        return any(
            other != number and not own.isdisjoint(self.claims[other])
            for other in self.by_word.get(word_key(word), ())
        )


class _Place(NamedTuple):
    """Where an article is: all that claim scopes need of it."""

    id: str
    path: str


class _Sentences:
    """Judge every sentence no claim speaks to: stray when it is off-topic, else unsupported."""

    def __init__(
        self,
        index: LedgerIndex,
        siblings: _Siblings,
        overrides: Mapping[FindingKind, Severity],
    ) -> None:
        self.index = index
        self.siblings = siblings
        self.overrides = overrides
        self.severities = {
            kind: severity(kind, overrides) for kind in (FindingKind.STRAY, FindingKind.UNSUPPORTED)
        }

    def terms(self, article: str, absent: Sequence[str], role: str) -> list[str]:
        """Return an off-topic sentence's salient words, none used by the articles that speak to
        the same claims; [] when the sentence is on-topic or cannot be stray."""
        if not absent or role not in STRAY_ROLES:
            return []
        if any(self.siblings.used(article, word) for word in absent if _telling(word)):
            return []
        return list(absent)

    def finding(
        self, place: _Place, line: int, column: int, text: str, terms: list[str]
    ) -> Finding:
        """Return the stray or unsupported finding of one sentence."""
        kind = FindingKind.STRAY if terms else FindingKind.UNSUPPORTED
        return make_finding(
            kind,
            self._fields(place, text, terms),
            severity=self.severities[kind],
            article=place.id,
            path=place.path,
            line=line,
            column=column,
            details={"sentence": text, "novel_terms": terms},
        )

    @staticmethod
    def _fields(place: _Place, text: str, terms: list[str]) -> dict[str, str]:
        return {
            "claim": "",
            "article": place.id,
            "sentence": repr(text),
            "sentence_key": fold_key(text),
            "terms": ", ".join(terms),
        }

    def hidden(self, place: _Place, hidden: Iterable[tuple[int, int, str]]) -> list[Finding]:
        """Return the hidden-character findings of an article."""
        hidden_severity = severity(FindingKind.HIDDEN_CHARACTER, self.overrides)
        findings = []
        for line, column, word in hidden:
            invisible = [c for c in word if INVISIBLE_RE.match(c)]
            # Else a word written with lookalike letters: every one that is not ASCII is named.
            shown = invisible[:1] or [c for c in dict.fromkeys(word) if not c.isascii()]
            code = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in shown)
            fields = {
                "article": place.id,
                "word": printable(repr(word)),
                "character": code,
                "what": "invisible" if invisible else "lookalike letters",
            }
            findings.append(
                make_finding(
                    FindingKind.HIDDEN_CHARACTER,
                    fields,
                    severity=hidden_severity,
                    article=place.id,
                    path=place.path,
                    line=line,
                    column=column,
                    details={"character": code, "word": word},
                )
            )
        return findings

    def listed(
        self, analysis: ArticleAnalysis, contradicting: set[tuple[str, int]]
    ) -> tuple[ArticleReport, list[Finding]]:
        """Report an article with every sentence listed."""
        place = _Place(analysis.id, analysis.path)
        topic = topic_of(self.index, place)
        by_sentence: dict[int, list[Hit]] = defaultdict(list)
        for hit in analysis.hits:
            by_sentence[hit.evidence.sentence_index].append(hit)
        sentences: list[SentenceReport] = []
        statuses: Counter[SentenceStatus] = Counter()
        findings: list[Finding] = []
        for sentence in analysis.sentences:
            hits = by_sentence.get(sentence.index, [])
            statement = sentence.role in STATEMENT_ROLES
            terms = (
                []
                if hits or not statement
                else self.terms(analysis.id, off_topic_words(sentence, topic), sentence.role)
            )
            if hits:
                flagged = (analysis.id, sentence.index) in contradicting
                status = SentenceStatus.CONTRADICTING if flagged else SentenceStatus.SUPPORTED
            else:
                status = SentenceStatus.STRAY if terms else SentenceStatus.UNSUPPORTED
            if not hits and statement:
                findings.append(
                    self.finding(place, sentence.line, sentence.column, sentence.text, terms)
                )
            statuses[status] += 1
            sentences.append(
                SentenceReport(
                    index=sentence.index,
                    line=sentence.line,
                    column=sentence.column,
                    text=sentence.text,
                    is_title=sentence.is_title,
                    role=sentence.role,
                    status=status,
                    claims=sorted({h.claim for h in hits}),
                    novel_terms=terms,
                    negated=any(h.evidence.negated for h in hits),
                    hedged=any(h.evidence.hedged for h in hits),
                )
            )
        findings += self.hidden(place, analysis.hidden)
        report = ArticleReport(
            id=analysis.id,
            path=analysis.path,
            title=analysis.title,
            metadata=dict(analysis.metadata),
            sentence_count=len(analysis.sentences),
            supported=statuses[SentenceStatus.SUPPORTED] + statuses[SentenceStatus.CONTRADICTING],
            stray=statuses[SentenceStatus.STRAY],
            unsupported=statuses[SentenceStatus.UNSUPPORTED],
            sentences=sentences,
            boilerplate=list(analysis.boilerplate),
        )
        return report, findings

    def counted(
        self, digest: ArticleDigest, cap: int | None, keep: frozenset[str]
    ) -> tuple[ArticleReport, list[Finding], Counter[FindingKind]]:
        """Report an article by its counts; make the findings of its sentences.

        With a `cap`, only the first `cap` info-level sentence findings are made, and those
        past it are counted (the report would not list them), except the waived (`keep`).
        """
        place = _Place(digest.id, digest.path)
        findings = []
        left_out: Counter[FindingKind] = Counter()
        if digest.unlisted:  # dropped by Reducer._slim: past the cap and never stray
            left_out[FindingKind.UNSUPPORTED] = digest.unlisted
        stray = shown = 0
        for sentence in digest.unspoken:
            terms = self.terms(digest.id, sentence.words, sentence.role)
            kind = FindingKind.STRAY if terms else FindingKind.UNSUPPORTED
            stray += kind is FindingKind.STRAY
            if cap is not None and self.severities[kind] is Severity.INFO:
                if shown >= cap and not (
                    keep and self._base_fingerprint(kind, place, sentence, terms) in keep
                ):
                    left_out[kind] += 1
                    continue
                shown += 1
            findings.append(
                self.finding(place, sentence.line, sentence.column, sentence.text, terms)
            )
        findings += self.hidden(place, digest.hidden)
        report = ArticleReport(
            id=digest.id,
            path=digest.path,
            title=digest.title,
            metadata=digest.metadata,
            sentence_count=digest.sentence_count,
            supported=digest.supported,
            stray=stray,
            unsupported=digest.other_unspoken + len(digest.unspoken) + digest.unlisted - stray,
            sentences=[],
            boilerplate=[],
            sentences_left_out=digest.sentence_count,
        )
        return report, findings, left_out

    def _base_fingerprint(
        self, kind: FindingKind, place: _Place, sentence: Unspoken, terms: list[str]
    ) -> str:
        return RULES[kind].fingerprint_of(self._fields(place, sentence.text, terms))


def _unique_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Number repeated fingerprints (the same sentence twice in an article) in location order."""
    seen: Counter[str] = Counter()
    unique = []
    for finding in findings:
        seen[finding.fingerprint] += 1
        if seen[finding.fingerprint] > 1:
            numbered = f"{finding.fingerprint}-{seen[finding.fingerprint]}"
            finding = finding.model_copy(update={"fingerprint": numbered})
        unique.append(finding)
    return unique


class Reducer:
    """Reduce analyses as they stream in, holding mentions and per-claim aggregates.

    Each analysis is taken apart as it arrives: its mentions go to the claims they speak to,
    its salient words to the per-claim counts the stray test needs, and its sentences are dropped,
    but for those no claim speaks to (the candidates for findings). Whole analyses are held
    only while the report may still list every sentence (a small corpus, or detail
    "sentences"), so memory grows with mentions and findings, not with sentences.
    """

    def __init__(
        self,
        index: LedgerIndex,
        overrides: Mapping[FindingKind, Severity] | None = None,
        *,
        detail: str | None = None,
        info_cap: int | None = None,
        keep: Iterable[str] = (),
        memo: JudgementMemo | None = None,
    ) -> None:
        self.index = index
        self.overrides = overrides or {}
        self.detail = detail
        # Unlisted articles make at most this many info-level sentence findings each (None:
        # all); the fingerprints in `keep` (waived findings) are always made.
        self.info_cap = info_cap
        self.keep = frozenset(fingerprint.rsplit("-", 1)[0] for fingerprint in keep)
        self.unsupported_is_info = (
            severity(FindingKind.UNSUPPORTED, self.overrides) is Severity.INFO
        )
        # Each claim's speakers, in arrival order: an article's hits all come in one `add`, so
        # a claim's last speaker is the only one the article can already have.
        self.speaking: dict[str, list[Speaker]] = defaultdict(list)
        self.siblings = _Siblings()
        self.places: list[_Place] = []
        self.held: list[ArticleAnalysis] = []
        self.digests: list[ArticleDigest] = []
        self.sentences = 0
        # Mentions a rule discarded: counted by claim and rule, and, while the report will list
        # sentences, kept (article, path, evidence) to show as the trace of silent articles.
        self.discounted: dict[str, Counter[str]] = defaultdict(Counter)
        self.traced: dict[str, list[tuple[str, str, Evidence]]] = defaultdict(list)
        # With a memo, an unlisted report reuses the judgements of claims and articles whose
        # inputs are unchanged: each claim's touching articles (id, cache key) make its key.
        self.memo = memo
        self.outlines: list[Outline] = []
        self.touching: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def _date(self, record: ArticleAnalysis | ArticleDigest) -> str:
        day = article_date(record.metadata)
        return "" if day is None else day.isoformat()

    @property
    def listing(self) -> bool:
        """Tell whether the report will list every sentence, as far as is known yet."""
        return self.detail == "sentences" or (
            self.detail is None and choose_detail(self.sentences) == "sentences"
        )

    def add(self, record: ArticleAnalysis | ArticleDigest | Outline) -> None:
        """Take one article in: its whole analysis, its digest once sentences are unlisted, or
        its outline when a memo may hold its judgements."""
        if isinstance(record, Outline):
            self._add_outline(record)
            return
        date: str | None = None
        for hit in record.hits:
            speakers = self.speaking[hit.claim]
            if speakers and speakers[-1].article == record.id:
                speaker = speakers[-1]
            else:
                date = self._date(record) if date is None else date
                speaker = Speaker(record.id, record.path, [], date)
                speakers.append(speaker)
            speaker.evidence.append(hit.evidence)
        if self.memo is not None:
            discounted = (
                {hit.claim for hit in record.discounted}
                if isinstance(record, ArticleAnalysis)
                else {claim for claim, _, _ in record.discounted}
            )
            for claim in sorted({hit.claim for hit in record.hits} | discounted):
                self.touching[claim].append((record.id, record.key))
        if isinstance(record, ArticleAnalysis):
            for claim, rule, count in discounted_counts(record.discounted):
                self.discounted[claim][rule] += count
            if self.listing:  # listed only with sentences: an archive counts them
                for hit in record.discounted:
                    self.traced[hit.claim].append((record.id, record.path, hit.evidence))
        else:
            for claim, rule, count in record.discounted:
                self.discounted[claim][rule] += count
        speaks = frozenset(h.claim for h in record.hits)
        if (
            self.memo is not None
            and record.key
            and isinstance(record, ArticleDigest)
            and self.memo.keeping
        ):
            # A keyed digest is stored beside its analysis: its outline may stand for it next
            # time (a held analysis digested here has no stored digest, so it gets none).
            outline = outline_of(record)  # its rare words serve the siblings index here too
            self.memo.put_outline(outline)
            self.siblings.add_keys(record.id, outline.rare, speaks)
        else:
            self.siblings.add(record.id, record.vocabulary, speaks)
        self.places.append(_Place(record.id, record.path))
        self.sentences += record.sentence_count
        if isinstance(record, ArticleAnalysis) and self.listing:
            self.held.append(record)
            return
        self._release_held()
        if isinstance(record, ArticleAnalysis):
            record = digest_analysis(record, self.index)
        # Its mentions and words are counted above: keep only what the second pass reads.
        self.digests.append(self._slim(record))

    def _release_held(self) -> None:
        """Digest the whole analyses held so far: the corpus has outgrown listing sentences."""
        if self.held:
            self.traced.clear()
            self.digests += (self._slim(digest_analysis(held, self.index)) for held in self.held)
            self.held = []

    def _add_outline(self, outline: Outline) -> None:
        for claim in outline.touches:
            self.touching[claim].append((outline.id, outline.key))
        self.siblings.add_keys(outline.id, outline.rare, frozenset(outline.speaks))
        self.places.append(_Place(outline.id, outline.path))
        self.sentences += outline.sentence_count
        self.outlines.append(outline._replace(rare=()))  # its words are in the siblings index
        self._release_held()

    def finish(self) -> Judgement:
        """Judge every claim and sentence; return the judgement (once: it uses up the reducer).

        Each claim's mentions move into its cells and each digest is released once judged, so
        the peak is the reducer's holdings or the report, not both.
        """
        listing = self.listing
        # An outline is read only from a cache the run reuses: then the memo is kept.
        if self.memo is not None and not listing and self.memo.keeping:
            return self._finish_with_memo(self.memo)
        judgements = self._judge_claims(listing)
        contradicting = {place for j in judgements for place in j.contradicting}
        findings = [f for j in judgements for f in j.findings]
        sentences = _Sentences(self.index, self.siblings, self.overrides)
        reports: list[ArticleReport] = []
        for analysis in sorted(self.held, key=lambda a: a.id):
            report, more = sentences.listed(analysis, contradicting)
            reports.append(report)
            findings += more
        left_out: Counter[FindingKind] = Counter()
        self.digests.sort(key=lambda d: d.id, reverse=True)
        while self.digests:  # popped, so each digest's sentences go once they are judged
            digest = self.digests.pop()
            report, more, unmade = sentences.counted(digest, self.info_cap, self.keep)
            reports.append(report)
            findings += more
            left_out += unmade
        reports.sort(key=lambda r: r.id)
        return _assembled(judgements, reports, findings, left_out)

    def _finish_with_memo(self, memo: JudgementMemo) -> Judgement:
        """Judge as `finish` does, reusing what the memo holds for unchanged inputs.

        A claim's key hashes its definition, the severities and the cache keys of the articles
        that touch it (their keys hash their bytes, and the cache row the ledger's matching);
        the article counts of its scope are patched in after, so adding or removing an
        unrelated article re-judges nothing. An article's key hashes its cache key, the
        settings of the sentence pass and what the siblings index answers to its lookups.
        """
        places = sorted(self.places)
        list_scope = len(self.index.claims) * len(places) <= SCOPE_LIST_CELLS
        by_claim: dict[str, tuple[str | None, ClaimJudgement | None]] = {}
        for claim_id in sorted(self.index.claims):
            key = self._claim_key(claim_id)
            by_claim[claim_id] = (key, memo.claim(key) if key is not None else None)
        pending = {claim for claim, (_, found) in by_claim.items() if found is None}
        self._speakers_from_outlines(memo, pending)
        judgements = []
        for claim_id, (key, found) in by_claim.items():
            located = self.index.claims[claim_id]
            outside = _outside(located, places)
            in_scope = len(places) - len(outside)
            if found is None:
                speakers = self.speaking.pop(claim_id, [])
                found = judge_claim(
                    located,
                    sorted(speakers, key=lambda speaker: speaker.article),
                    in_scope,
                    None,
                    self.overrides,
                    list_cells=False,
                    discounted=self.discounted.pop(claim_id, {}),
                )
                if key is not None:
                    memo.put_claim(key, found)
            judgements.append(_in_scope(found, in_scope, outside if list_scope else None))
        findings = [f for j in judgements for f in j.findings]
        reports, more, left_out = self._sentences_with_memo(memo)
        return _assembled(judgements, reports, findings + more, left_out)

    def _claim_key(self, claim_id: str) -> str | None:
        """Return the memo key of a claim's judgement; None when an article touching it has no
        cache key (nothing could tell its next version apart)."""
        touching = sorted(self.touching.get(claim_id, ()))
        if any(not key for _, key in touching):
            return None
        located = self.index.claims[claim_id]
        return "claim:" + _hashed(located.model_dump_json(), self._overrides_key(), touching)

    def _overrides_key(self) -> list[tuple[str, str]]:
        return sorted((kind.value, level.value) for kind, level in self.overrides.items())

    def _speakers_from_outlines(self, memo: JudgementMemo, claims: set[str]) -> None:
        """Read the digests of outlined articles touching claims to judge; add their mentions."""
        for outline in self.outlines:
            if claims.isdisjoint(outline.touches):
                continue
            digest = memo.digest(outline.key)
            if digest is None:
                raise MemoGap(outline.path)
            for hit in digest.hits:
                if hit.claim not in claims:
                    continue
                speakers = self.speaking[hit.claim]
                if not speakers or speakers[-1].article != digest.id:
                    speakers.append(Speaker(digest.id, digest.path, [], outline.date))
                speakers[-1].evidence.append(hit.evidence)
            for claim, rule, count in digest.discounted:
                if claim in claims:
                    self.discounted[claim][rule] += count

    def _sentences_with_memo(
        self, memo: JudgementMemo
    ) -> tuple[list[ArticleReport], list[Finding], Counter[FindingKind]]:
        """Report every article's sentences, from the memo where its inputs are unchanged."""
        sentences = _Sentences(self.index, self.siblings, self.overrides)
        settings = (
            self.index.topic_hash,
            self._overrides_key(),
            self.info_cap,
            sorted(self.keep),
        )
        reports: list[ArticleReport] = []
        findings: list[Finding] = []
        left_out: Counter[FindingKind] = Counter()

        def take(made: ArticleSentences) -> None:
            reports.append(made[0])
            findings.extend(made[1])
            left_out.update(made[2])

        while self.digests:  # popped, so each digest's sentences go once they are judged
            digest = self.digests.pop()
            made = sentences.counted(digest, self.info_cap, self.keep)
            if digest.key:
                answers = self._answers(digest.id, _asks(digest.unspoken))
                memo.put_sentences(self._sentence_key(digest.key, settings, answers), made)
            take(made)
        for outline in self.outlines:
            key = self._sentence_key(outline.key, settings, self._answers(outline.id, outline.asks))
            stored = memo.sentences(key)
            if stored is None:
                digest = memo.digest(outline.key)
                if digest is None:
                    raise MemoGap(outline.path)
                stored = sentences.counted(self._slim(digest), self.info_cap, self.keep)
                memo.put_sentences(key, stored)
            take(stored)
        reports.sort(key=lambda r: r.id)
        return reports, findings, left_out

    def _answers(self, article: str, asks: Iterable[str]) -> str:
        return "".join("1" if self.siblings.used(article, word) else "0" for word in asks)

    @staticmethod
    def _sentence_key(article_key: str, settings: tuple[object, ...], answers: str) -> str:
        return "sentences:" + _hashed(article_key, settings, answers)

    def _slim(self, digest: ArticleDigest) -> ArticleDigest:
        """Drop what the second pass will not read: mentions, word sets, unlisted sentences.

        With a cap on listed info findings, a sentence that cannot be stray (on its article's
        topic) and comes after `info_cap` others like it will only be counted.
        """
        empty: frozenset[str] = frozenset()
        digest = digest._replace(hits=(), vocabulary=empty, discounted=())
        if self.info_cap is None or self.keep or not self.unsupported_is_info:
            return digest
        kept: list[Unspoken] = []
        plain = 0
        for sentence in digest.unspoken:
            if not sentence.words:
                plain += 1
                if plain > self.info_cap:
                    continue
            kept.append(sentence)
        if len(kept) == len(digest.unspoken):
            return digest
        dropped = len(digest.unspoken) - len(kept)
        return digest._replace(unspoken=tuple(kept), unlisted=digest.unlisted + dropped)

    def _judge_claims(self, listing: bool) -> list[ClaimJudgement]:
        places = sorted(self.places)
        list_scope = len(self.index.claims) * len(places) <= SCOPE_LIST_CELLS
        judgements = []
        for claim_id in sorted(self.index.claims):
            located = self.index.claims[claim_id]
            outside = _outside(located, places)
            # Popped: each claim's mentions move into its cells and leave the reducer.
            speakers = self.speaking.pop(claim_id, [])
            if listing:
                speakers = _with_trace(speakers, self.traced.pop(claim_id, []))
            judgements.append(
                judge_claim(
                    located,
                    sorted(speakers, key=lambda speaker: speaker.article),
                    len(places) - len(outside),
                    outside if list_scope else None,
                    self.overrides,
                    list_cells=listing,
                    discounted=self.discounted.pop(claim_id, {}),
                )
            )
        return judgements


def _outside(located: LocatedClaim, places: Sequence[_Place]) -> list[str]:
    """Return the articles a claim's scope leaves out."""
    globs = tuple(located.claim.scope)
    return [p.id for p in places if not scope_covers(globs, p)] if globs else []


def _assembled(
    judgements: Sequence[ClaimJudgement],
    reports: list[ArticleReport],
    findings: list[Finding],
    left_out: Counter[FindingKind],
) -> Judgement:
    """Return the judgement of the claims and the (sorted) article reports."""
    return Judgement(
        articles=reports,
        claims=[j.report for j in judgements],
        pairs=article_pairs([(j.report.id, j.cells) for j in judgements]),
        findings=_unique_fingerprints(sorted(findings, key=Finding.sort_key)),
        left_out=dict(left_out),
    )


def _in_scope(
    judgement: ClaimJudgement, in_scope: int, out_of_scope: list[str] | None
) -> ClaimJudgement:
    """Return a judgement with its scope's article counts set (the memo keys leave them out)."""
    report = judgement.report
    if report.in_scope == in_scope and report.out_of_scope == out_of_scope:
        return judgement
    answering = report.in_scope - report.silent
    report = report.model_copy(
        update={"in_scope": in_scope, "silent": in_scope - answering, "out_of_scope": out_of_scope}
    )
    return ClaimJudgement(report, judgement.findings, judgement.contradicting, judgement.cells)


def _with_trace(speakers: list[Speaker], traced: list[tuple[str, str, Evidence]]) -> list[Speaker]:
    """Add a claim's discarded mentions to its speakers' evidence (new speakers where silent)."""
    if not traced:
        return speakers
    by_article = {speaker.article: speaker for speaker in speakers}
    for article, path, evidence in traced:
        speaker = by_article.get(article)
        if speaker is None:
            speaker = by_article[article] = Speaker(article, path, [])
        speaker.evidence.append(evidence)
    return list(by_article.values())


def reduce(
    index: LedgerIndex,
    analyses: Iterable[ArticleAnalysis | ArticleDigest],
    overrides: Mapping[FindingKind, Severity] | None = None,
    *,
    detail: str | None = "sentences",
    info_cap: int | None = None,
    keep: Iterable[str] = (),
) -> Judgement:
    """Combine per-article analyses into claim judgements, article reports and findings.

    `detail` "findings" (or None, past DETAIL_SENTENCES_BUDGET sentences) leaves sentence lists
    out: articles carry their counts, and only claims with findings list their cells.
    """
    reducer = Reducer(index, overrides, detail=detail, info_cap=info_cap, keep=keep)
    for record in analyses:
        reducer.add(record)
    return reducer.finish()


def _agrees(first: Cell, second: Cell) -> bool:
    if set(first.asserted) & set(second.denied) or set(second.asserted) & set(first.denied):
        return False
    if VerdictStatus.MIXED in (first.verdict, second.verdict):
        return False
    return first.asserted == second.asserted or not (first.asserted and second.asserted)


def pair_comparisons(claims: Iterable[tuple[str, Sequence[Cell]]]) -> int:
    """Count the article-pair comparisons the pair table would take."""
    return sum(len(cells) * (len(cells) - 1) // 2 for _, cells in claims)


def article_pairs(claims: Sequence[tuple[str, Sequence[Cell]]]) -> list[ArticlePair] | None:
    """Count, for every pair of articles sharing a claim, the claims they agree and disagree on.

    Return None past PAIR_BUDGET comparisons: the table grows with the square of the articles
    speaking to a claim, and in an archive no reader could use it.
    """
    if pair_comparisons(claims) > PAIR_BUDGET:
        return None
    shared: Counter[tuple[str, str]] = Counter()
    disagreeing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for claim, verdicts in claims:
        cells = [c for c in verdicts if c.verdict is not VerdictStatus.SILENT]
        for i, first in enumerate(cells):
            for second in cells[i + 1 :]:
                pair = (first.article, second.article)
                shared[pair] += 1
                if not _agrees(first, second):
                    disagreeing[pair].append(claim)
    return [
        ArticlePair(
            first=pair[0],
            second=pair[1],
            shared=count,
            agree=count - len(disagreeing[pair]),
            disagree=len(disagreeing[pair]),
            disagreeing_claims=disagreeing[pair],
            different_events=len(disagreeing[pair]) * 2 > count,
        )
        for pair, count in sorted(shared.items())
    ]


def check(
    ledger: Ledger,
    articles: Iterable[Article],
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> Judgement:
    """Check every claim of a ledger against parsed articles, in memory."""
    index = build_index(ledger)
    return reduce(index, [analyse_article(article, index) for article in articles], overrides)
