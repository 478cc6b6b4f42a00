"""The reduction: per-article analyses in, claim judgements, article reports and findings out."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence

from checker.analysis import ArticleAnalysis, Hit, SentenceRecord, analyse_article
from checker.anatomy import STATEMENT_ROLES, Role
from checker.claims import Ledger, Severity
from checker.corpus import Article
from checker.files import printable
from checker.index import LedgerIndex, build_index, scope_covers
from checker.judge import ClaimJudgement, Speaker, judge_claim
from checker.novelty import common_words, novel_terms
from checker.results import (
    ArticlePair,
    ArticleReport,
    Cell,
    ClaimReport,
    Finding,
    Judgement,
    SentenceReport,
    SentenceStatus,
    VerdictStatus,
    make_finding,
)
from checker.rules import FindingKind, severity
from checker.text import INVISIBLE_RE, fold_key

PAIR_BUDGET = 1_000_000
# Past this many claim × article cells, scope lists are left out: no reader could use them.
SCOPE_LIST_CELLS = 20_000


class _KnownElsewhere(Container[str]):
    """Words the ledger uses or another article contains."""

    def __init__(
        self, ledger_words: frozenset[str], document_frequency: Counter[str], own: frozenset[str]
    ) -> None:
        self.ledger_words = ledger_words
        self.document_frequency = document_frequency
        self.own = own

    def __contains__(self, word: object) -> bool:
        if word in self.ledger_words:
            return True
        return self.document_frequency[word] - (word in self.own) > 0  # type: ignore[operator]


class _Sentences:
    """Judge every sentence no claim speaks to: stray when it has novel terms, else unsupported."""

    def __init__(
        self,
        index: LedgerIndex,
        analyses: Sequence[ArticleAnalysis],
        overrides: Mapping[FindingKind, Severity],
    ) -> None:
        self.index = index
        self.frequency: Counter[str] = Counter()
        lowercase: set[str] = set()
        names: set[str] = set()
        for analysis in analyses:
            self.frequency.update(analysis.vocabulary)
            lowercase |= analysis.lowercase
            names |= analysis.names
        self.common = common_words() | frozenset(lowercase)
        self.names = frozenset(names)
        self.overrides = overrides
        self.severities = {
            kind: severity(kind, overrides) for kind in (FindingKind.STRAY, FindingKind.UNSUPPORTED)
        }

    def report(
        self,
        analysis: ArticleAnalysis,
        contradicting: set[tuple[str, int]],
        *,
        listed: bool = True,
    ) -> tuple[ArticleReport, list[Finding]]:
        known = _KnownElsewhere(self.index.vocabulary, self.frequency, analysis.vocabulary)
        outside = {
            cid for cid, globs in self.index.scoped.items() if not scope_covers(globs, analysis)
        }
        topic = self.index.topic_words(outside)
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
                if hits or not statement or _on_topic(sentence, topic)
                else novel_terms(
                    list(sentence.candidates),
                    known,
                    self.common,
                    self.names,
                    list_item=sentence.role == Role.LIST_ITEM,
                )
            )
            if hits:
                flagged = (analysis.id, sentence.index) in contradicting
                status = SentenceStatus.CONTRADICTING if flagged else SentenceStatus.SUPPORTED
            else:
                status = SentenceStatus.STRAY if terms else SentenceStatus.UNSUPPORTED
            if not hits and statement:
                kind = FindingKind.STRAY if terms else FindingKind.UNSUPPORTED
                fields = {
                    "claim": "",
                    "article": analysis.id,
                    "sentence": repr(sentence.text),
                    "sentence_key": fold_key(sentence.text),
                    "terms": ", ".join(terms),
                }
                findings.append(
                    make_finding(
                        kind,
                        fields,
                        severity=self.severities[kind],
                        article=analysis.id,
                        path=analysis.path,
                        line=sentence.line,
                        column=sentence.column,
                        details={"sentence": sentence.text, "novel_terms": terms},
                    )
                )
            statuses[status] += 1
            if not listed:
                continue  # an archive's report lists findings, not every sentence
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
        hidden_severity = severity(FindingKind.HIDDEN_CHARACTER, self.overrides)
        for line, column, word in analysis.hidden:
            character = next(c for c in word if INVISIBLE_RE.match(c))
            code = f"U+{ord(character):04X} ({unicodedata.name(character, 'unnamed')})"
            fields = {"article": analysis.id, "word": printable(repr(word)), "character": code}
            findings.append(
                make_finding(
                    FindingKind.HIDDEN_CHARACTER,
                    fields,
                    severity=hidden_severity,
                    article=analysis.id,
                    path=analysis.path,
                    line=line,
                    column=column,
                    details={"character": code, "word": word},
                )
            )
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
            boilerplate=list(analysis.boilerplate) if listed else [],
            sentences_left_out=0 if listed else len(analysis.sentences),
        )
        return report, findings


# A sentence shares its article's topic when it uses a word of the claims that cover the
# article, or at least this many content words that other sentences of the article use too.
ON_TOPIC_SHARED_WORDS = 2


def _on_topic(sentence: SentenceRecord, topic: frozenset[str]) -> bool:
    """Tell whether a sentence no claim supports is still about its article's subject."""
    return sentence.shared >= ON_TOPIC_SHARED_WORDS or not topic.isdisjoint(sentence.words)


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


def _judge_claims(
    index: LedgerIndex,
    analyses: Sequence[ArticleAnalysis],
    overrides: Mapping[FindingKind, Severity],
) -> list[ClaimJudgement]:
    speaking: dict[str, dict[str, Speaker]] = defaultdict(dict)
    for analysis in analyses:
        for hit in analysis.hits:
            speakers = speaking[hit.claim]
            if analysis.id not in speakers:
                speakers[analysis.id] = Speaker(analysis.id, analysis.path, [])
            speakers[analysis.id].evidence.append(hit.evidence)
    list_scope = len(index.claims) * len(analyses) <= SCOPE_LIST_CELLS
    judgements = []
    for claim_id in sorted(index.claims):
        located = index.claims[claim_id]
        globs = tuple(located.claim.scope)
        outside = [a.id for a in analyses if not scope_covers(globs, a)] if globs else []
        judgements.append(
            judge_claim(
                located,
                list(speaking[claim_id].values()),
                len(analyses) - len(outside),
                outside if list_scope else None,
                overrides,
            )
        )
    return judgements


def reduce(
    index: LedgerIndex,
    analyses: Sequence[ArticleAnalysis],
    overrides: Mapping[FindingKind, Severity] | None = None,
    *,
    listed: bool = True,
) -> Judgement:
    """Combine per-article analyses into claim judgements, article reports and findings.

    With `listed` off, articles carry their sentence counts but no sentence list: an archive's
    report then grows with its findings, not with its sentences.
    """
    overrides = overrides or {}
    analyses = sorted(analyses, key=lambda a: a.id)
    judgements = _judge_claims(index, analyses, overrides)
    contradicting = {place for j in judgements for place in j.contradicting}
    findings = [f for j in judgements for f in j.findings]
    sentences = _Sentences(index, analyses, overrides)
    articles = []
    for analysis in analyses:
        report, more = sentences.report(analysis, contradicting, listed=listed)
        articles.append(report)
        findings += more
    claims = [j.report for j in judgements]
    return Judgement(
        articles=articles,
        claims=claims,
        pairs=article_pairs(claims),
        findings=_unique_fingerprints(sorted(findings, key=Finding.sort_key)),
    )


def _agrees(first: Cell, second: Cell) -> bool:
    if set(first.asserted) & set(second.denied) or set(second.asserted) & set(first.denied):
        return False
    if VerdictStatus.MIXED in (first.verdict, second.verdict):
        return False
    return first.asserted == second.asserted or not (first.asserted and second.asserted)


def pair_comparisons(claims: list[ClaimReport]) -> int:
    """Count the article-pair comparisons the pair table would take."""
    return sum(len(c.cells) * (len(c.cells) - 1) // 2 for c in claims)


def article_pairs(claims: list[ClaimReport]) -> list[ArticlePair] | None:
    """Count, for every pair of articles sharing a claim, the claims they agree and disagree on.

    Return None past PAIR_BUDGET comparisons: the table grows with the square of the articles
    speaking to a claim, and in an archive no reader could use it.
    """
    if pair_comparisons(claims) > PAIR_BUDGET:
        return None
    shared: Counter[tuple[str, str]] = Counter()
    disagreeing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for claim in claims:
        cells = [c for c in claim.cells if c.verdict is not VerdictStatus.SILENT]
        for i, first in enumerate(cells):
            for second in cells[i + 1 :]:
                pair = (first.article, second.article)
                shared[pair] += 1
                if not _agrees(first, second):
                    disagreeing[pair].append(claim.id)
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
