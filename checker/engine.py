"""The pure checking engine: claims and parsed articles in, a report of findings out."""

from __future__ import annotations

import fnmatch
import hashlib
import heapq
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from checker import __version__
from checker.claims import AnyOfClaim, Claim, Ledger, LocatedClaim, Severity
from checker.corpus import Article, LineKind, Sentence
from checker.cues import classify, may_qualify, sentence_words
from checker.matcher import Match, PhraseIndex, cue_claims, find_all, leftmost_longest
from checker.novelty import (
    Candidate,
    candidates,
    common_words,
    lowercase_words,
    novel_terms,
    vocabulary,
)
from checker.results import (
    ArticlePair,
    ArticleReport,
    BoilerplateLine,
    ClaimReport,
    ClaimStatus,
    Conflict,
    Contradiction,
    Evidence,
    Finding,
    FindingKind,
    Location,
    Report,
    SentenceReport,
    SentenceStatus,
    Summary,
    UnsupportedSentence,
    Verdict,
    VerdictStatus,
)
from checker.text import fold_key

PAIR_BUDGET = 1_000_000
MAX_NAMED = 5  # article ids a conflict message names
MAX_RELATED = 20  # places a conflict finding points to
# Severities the engine stamps on findings whose severity the claim does not set.
FIXED_SEVERITY = {
    FindingKind.MIXED: Severity.WARNING,
    FindingKind.DIVERGENT: Severity.INFO,
    FindingKind.STRAY: Severity.WARNING,
    FindingKind.UNSUPPORTED: Severity.INFO,
}


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


def in_scope(claim: Claim, article: HasLocation) -> bool:
    """Tell whether a claim's scope globs cover an article (by path or by id)."""
    return scope_covers(tuple(claim.scope), article)


def scope_covers(globs: tuple[str, ...], article: HasLocation) -> bool:
    """Tell whether scope globs cover an article (no globs cover every article)."""
    if not globs:
        return True
    return any(
        fnmatch.fnmatchcase(article.path, glob) or fnmatch.fnmatchcase(article.id, glob)
        for glob in globs
    )


# NamedTuples, not slotted dataclasses: a warm cache unpickles them several times faster.
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


def _sentence_hits(
    sentence: Sentence, matches: list[Match], index: LedgerIndex, outside: frozenset[str]
) -> list[Hit]:
    cued = cue_claims(matches)
    words = None
    qualifiable: bool | None = None
    hits = []
    for match in leftmost_longest(matches):
        claim = index.claims[match.phrase.claim].claim
        if claim.id in outside or (claim.about and claim.id not in cued):
            continue
        if qualifiable is None:
            qualifiable = may_qualify(sentence.normalised)
        negated = hedged = False
        if qualifiable:  # most sentences have no negator or hedge: skip the clause analysis
            words = words if words is not None else sentence_words(sentence.normalised)
            start, end = match.start - sentence.start, match.end - sentence.start
            negated, hedged = classify(words, start, end)
        hits.append(Hit(claim.id, _evidence(match, sentence, negated, hedged)))
    return hits


def analyse_article(article: Article, index: LedgerIndex) -> ArticleAnalysis:
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
            if first < last:
                inside = [
                    Match(m.start - base, m.end - base, m.phrase) for m in matches[first:last]
                ]
                hits += _sentence_hits(sentence, inside, index, outside)
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
            if line.kind in (LineKind.BOILERPLATE, LineKind.REPEATED_TITLE)
        ),
        hits=tuple(hits),
        vocabulary=frozenset(vocabulary(text)),
        lowercase=frozenset(lowercase_words(text)),
    )


def _record(sentence: Sentence, spoken: bool) -> SentenceRecord:
    return SentenceRecord(
        index=sentence.index,
        line=sentence.line.number,
        column=sentence.column,
        text=sentence.text,
        is_title=sentence.is_title,
        candidates=() if spoken else tuple(candidates(sentence.normalised)),
    )


def verdict_status(claim: Claim, asserted: set[str], denied: set[str]) -> VerdictStatus:
    """Classify what an article asserts and denies about a claim."""
    if not asserted and not denied:
        return VerdictStatus.SILENT
    one_of = not isinstance(claim, AnyOfClaim)
    if (one_of and len(asserted) > 1) or asserted & denied:
        return VerdictStatus.MIXED
    expected = claim.expected_values
    if expected:
        if asserted - expected or denied & expected:
            return VerdictStatus.CONTRADICTS
        return VerdictStatus.SUPPORTS
    return VerdictStatus.ASSERTS if asserted else VerdictStatus.DENIES


def _verdict(claim: Claim, article: ArticleAnalysis, found: list[Evidence]) -> Verdict:
    evidence = sorted(found, key=lambda e: (e.line, e.column, e.value))
    asserted = {e.value for e in evidence if not e.negated}
    denied = {e.value for e in evidence if e.negated}
    return Verdict(
        article=article.id,
        path=article.path,
        status=verdict_status(claim, asserted, denied),
        asserted=sorted(asserted),
        denied=sorted(denied),
        evidence=evidence,
    )


def _first_evidence(
    verdict: Verdict, values: Iterable[str], negated: bool | None = None
) -> Evidence:
    wanted = set(values)
    return next(
        e
        for e in verdict.evidence
        if e.value in wanted and (negated is None or e.negated == negated)
    )


@dataclass
class _ClaimOutcome:
    report: ClaimReport
    conflict: Conflict | None
    contradictions: list[Contradiction]
    findings: list[Finding]


def _conflict(
    located: LocatedClaim, verdicts: list[Verdict]
) -> tuple[Conflict | None, list[Finding]]:
    claim = located.claim
    asserting: dict[str, list[str]] = defaultdict(list)
    denying: dict[str, list[str]] = defaultdict(list)
    for verdict in verdicts:
        for value in verdict.asserted:
            asserting[value].append(verdict.article)
        for value in verdict.denied:
            denying[value].append(verdict.article)
    cross = any(
        set(asserting.get(v, [])) - set(articles) and set(articles) - set(asserting.get(v, []))
        for v, articles in denying.items()
    )
    # A conflict needs two different articles; one article asserting two values is "mixed".
    rival_values = any(
        len(set(asserting[v]) | set(asserting[w])) >= 2
        for v in asserting
        for w in asserting
        if v < w
    )
    if not cross and (isinstance(claim, AnyOfClaim) or not rival_values):
        return None, []
    conflict = Conflict(
        claim=claim.id,
        severity=claim.severity,
        values=dict(sorted(asserting.items())),
        denied=dict(sorted(denying.items())),
    )
    places = _first_places(
        (v.path, e.line, e.column)
        for v in verdicts
        for e in v.evidence
        if e.value in asserting or e.value in denying
    )
    parts = [f"{value!r} in {_some(articles)}" for value, articles in conflict.values.items()]
    parts += [f"not {value!r} in {_some(articles)}" for value, articles in conflict.denied.items()]
    message = f"{claim.id}: articles disagree on {claim.question!r}: {'; '.join(parts)}"
    definition = Location(path=located.path, line=located.line, column=located.column)
    finding = Finding(
        kind=FindingKind.CONFLICT,
        claim=claim.id,
        path=places[0].path,
        line=places[0].line,
        column=places[0].column,
        message=message,
        # Every place is in the claim's verdicts; a finding points at the first few.
        related=(*places[1:MAX_RELATED], definition),
        fingerprint=fingerprint(
            "conflict", claim.id, ",".join(conflict.values), ",".join(conflict.denied)
        ),
    )
    return conflict, [finding]


def _first_places(places: Iterable[tuple[str, int, int]]) -> list[Location]:
    """Return the first MAX_RELATED places in location order (built as models only then)."""
    first = heapq.nsmallest(MAX_RELATED, places)
    return [Location(path=path, line=line, column=column) for path, line, column in first]


def _some(items: list[str], separator: str = ", ", rest: str = " and {} more") -> str:
    """Name a few items and count the rest, so a message stays readable in an archive."""
    more = len(items) - MAX_NAMED
    shown = separator.join(items[:MAX_NAMED])
    return shown + rest.format(more) if more > 0 else shown


def _article_findings(
    located: LocatedClaim, verdict: Verdict
) -> tuple[list[Contradiction], list[Finding]]:
    claim = located.claim
    expected = claim.expected_values
    found = sorted(set(verdict.asserted) - expected) if expected else []
    denied = sorted(set(verdict.denied) & expected)
    definition = Location(path=located.path, line=located.line, column=located.column)
    contradictions: list[Contradiction] = []
    findings: list[Finding] = []
    if found or denied:
        contradictions.append(
            Contradiction(
                claim=claim.id,
                article=verdict.article,
                severity=claim.severity,
                expected=sorted(expected),
                found=found,
                denied=denied,
            )
        )
        evidence = (
            _first_evidence(verdict, found) if found else _first_evidence(verdict, denied, True)
        )
        said = ", ".join(repr(v) for v in found) or "not " + ", ".join(repr(v) for v in denied)
        message = (
            f"{claim.id}: {verdict.article} says {said} but the verified answer is "
            f"{', '.join(repr(v) for v in sorted(expected))}"
        )
        content = f"{','.join(found)}|{','.join(denied)}|{fold_key(evidence.sentence)}"
        findings.append(
            _finding_at(
                FindingKind.CONTRADICTION, located, verdict, evidence, message, definition
            ).model_copy(
                update={
                    "fingerprint": fingerprint("contradiction", claim.id, verdict.article, content)
                }
            )
        )
    if verdict.status is VerdictStatus.MIXED:
        evidence = verdict.evidence[0]
        values = ", ".join(repr(v) for v in verdict.asserted)
        message = f"{claim.id}: {verdict.article} is internally inconsistent ({values}"
        message += (
            f"; denies {', '.join(repr(v) for v in verdict.denied)})" if verdict.denied else ")"
        )
        content = f"{','.join(verdict.asserted)}|{','.join(verdict.denied)}"
        findings.append(
            _finding_at(
                FindingKind.MIXED, located, verdict, evidence, message, definition
            ).model_copy(
                update={"fingerprint": fingerprint("mixed", claim.id, verdict.article, content)}
            )
        )
    return contradictions, findings


def _finding_at(
    kind: FindingKind,
    located: LocatedClaim,
    verdict: Verdict,
    evidence: Evidence,
    message: str,
    definition: Location,
) -> Finding:
    return Finding(
        kind=kind,
        claim=located.claim.id,
        article=verdict.article,
        path=verdict.path,
        line=evidence.line,
        column=evidence.column,
        message=message,
        related=(definition,),
    )


def _divergence(located: LocatedClaim, verdicts: list[Verdict]) -> list[Finding]:
    claim = located.claim
    naming = [v for v in verdicts if v.asserted]
    if not isinstance(claim, AnyOfClaim) or len({tuple(v.asserted) for v in naming}) < 2:
        return []
    places = _first_places((v.path, e.line, e.column) for v in naming for e in v.evidence)
    named = [f"{v.article}: {', '.join(v.asserted)}" for v in naming]
    sets = _some(named, "; ", "; and {} more articles")
    return [
        Finding(
            kind=FindingKind.DIVERGENT,
            claim=claim.id,
            path=places[0].path,
            line=places[0].line,
            column=places[0].column,
            message=f"{claim.id}: articles name different sets ({sets})",
            related=tuple(places[1:MAX_RELATED]),
            fingerprint=fingerprint("divergent", claim.id, "; ".join(named)),
        )
    ]


def _claim_outcome(
    located: LocatedClaim,
    speaking: list[tuple[ArticleAnalysis, list[Evidence]]],
    analyses: Sequence[ArticleAnalysis],
) -> _ClaimOutcome:
    claim = located.claim
    verdicts = [_verdict(claim, article, found) for article, found in speaking]
    covered = sum(in_scope(claim, a) for a in analyses) if claim.scope else len(analyses)
    conflict, findings = _conflict(located, verdicts)
    contradictions: list[Contradiction] = []
    for verdict in verdicts:
        more_contradictions, more_findings = _article_findings(located, verdict)
        contradictions += more_contradictions
        findings += more_findings
    divergent = _divergence(located, verdicts)
    findings += divergent
    if conflict:
        status = ClaimStatus.CONFLICT
    elif contradictions:
        status = ClaimStatus.CONTRADICTED
    elif divergent:
        status = ClaimStatus.DIVERGENT
    elif verdicts:
        status = ClaimStatus.CONSISTENT
    else:
        status = ClaimStatus.UNMENTIONED
    report = ClaimReport(
        id=claim.id,
        question=claim.question,
        kind=claim.kind,
        status=status,
        severity=claim.severity,
        expected=sorted(claim.expected_values),
        values={value: sorted(aliases) for value, aliases in sorted(claim.values.items())},
        path=located.path,
        line=located.line,
        column=located.column,
        topic=located.topic,
        note=claim.note,
        sources=list(claim.sources),
        scope=list(claim.scope),
        in_scope=covered,
        silent=covered - len(verdicts),
        verdicts=verdicts,
    )
    return _ClaimOutcome(report, conflict, contradictions, findings)


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


def _article_report(
    analysis: ArticleAnalysis,
    index: LedgerIndex,
    frequency: Counter[str],
    common: frozenset[str],
    contradicting: set[tuple[str, int]],
) -> tuple[ArticleReport, list[UnsupportedSentence], list[Finding]]:
    known = _KnownElsewhere(index.vocabulary, frequency, analysis.vocabulary)
    by_sentence: dict[int, list[Hit]] = defaultdict(list)
    for hit in analysis.hits:
        by_sentence[hit.evidence.sentence_index].append(hit)
    sentences: list[SentenceReport] = []
    unsupported: list[UnsupportedSentence] = []
    findings: list[Finding] = []
    for sentence in analysis.sentences:
        hits = by_sentence.get(sentence.index, [])
        terms = [] if hits else novel_terms(list(sentence.candidates), known, common)
        if hits:
            flagged = (analysis.id, sentence.index) in contradicting
            status = SentenceStatus.CONTRADICTING if flagged else SentenceStatus.SUPPORTED
        else:
            status = SentenceStatus.STRAY if terms else SentenceStatus.UNSUPPORTED
        sentences.append(
            SentenceReport(
                index=sentence.index,
                line=sentence.line,
                column=sentence.column,
                text=sentence.text,
                is_title=sentence.is_title,
                status=status,
                claims=sorted({h.claim for h in hits}),
                novel_terms=terms,
                negated=any(h.evidence.negated for h in hits),
                hedged=any(h.evidence.hedged for h in hits),
            )
        )
        if not hits:
            entry = UnsupportedSentence(
                article=analysis.id,
                path=analysis.path,
                sentence=sentence.text,
                line=sentence.line,
                column=sentence.column,
                severity=status.value,
                novel_terms=terms,
            )
            unsupported.append(entry)
            findings.append(_unsupported_finding(entry, status))
    counts = Counter(s.status for s in sentences)
    report = ArticleReport(
        id=analysis.id,
        path=analysis.path,
        title=analysis.title,
        metadata=dict(analysis.metadata),
        sentence_count=len(sentences),
        supported=counts[SentenceStatus.SUPPORTED] + counts[SentenceStatus.CONTRADICTING],
        stray=counts[SentenceStatus.STRAY],
        unsupported=counts[SentenceStatus.UNSUPPORTED],
        sentences=sentences,
        boilerplate=list(analysis.boilerplate),
    )
    return report, unsupported, findings


def _unsupported_finding(entry: UnsupportedSentence, status: SentenceStatus) -> Finding:
    if status is SentenceStatus.STRAY:
        message = f"no claim supports this sentence; novel terms: {', '.join(entry.novel_terms)}"
        kind = FindingKind.STRAY
    else:
        message = "no claim supports this sentence"
        kind = FindingKind.UNSUPPORTED
    return Finding(
        kind=kind,
        article=entry.article,
        path=entry.path,
        line=entry.line,
        column=entry.column,
        message=f"{message}: {entry.sentence!r}",
        fingerprint=fingerprint(kind.value, "", entry.article, fold_key(entry.sentence)),
    )


def fingerprint(*parts: str) -> str:
    """Return a content-based id: no line numbers, so it survives edits elsewhere."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _stamp(
    finding: Finding, index: LedgerIndex, overrides: Mapping[FindingKind, Severity]
) -> Finding:
    """Give a finding its severity: a configured override, else the claim's or the kind's."""
    severity = overrides.get(finding.kind) or FIXED_SEVERITY.get(finding.kind)
    if severity is None:
        severity = index.claims[finding.claim or ""].claim.severity
    return finding.model_copy(update={"severity": severity})


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


def _contradicting_sentences(claims: list[_ClaimOutcome]) -> set[tuple[str, int]]:
    marked: set[tuple[str, int]] = set()
    for outcome in claims:
        by_article = {v.article: v for v in outcome.report.verdicts}
        for contradiction in outcome.contradictions:
            wrong = set(contradiction.found)
            verdict = by_article[contradiction.article]
            for e in verdict.evidence:
                if (e.value in wrong and not e.negated) or (
                    e.value in contradiction.denied and e.negated
                ):
                    marked.add((contradiction.article, e.sentence_index))
    return marked


def reduce(
    index: LedgerIndex,
    analyses: Sequence[ArticleAnalysis],
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> Report:
    """Combine per-article analyses into claim verdicts, findings and the report."""
    analyses = sorted(analyses, key=lambda a: a.id)
    speaking: dict[str, dict[str, tuple[ArticleAnalysis, list[Evidence]]]] = defaultdict(dict)
    for analysis in analyses:
        for hit in analysis.hits:
            entry = speaking[hit.claim].setdefault(analysis.id, (analysis, []))
            entry[1].append(hit.evidence)
    outcomes = [
        _claim_outcome(index.claims[cid], list(speaking[cid].values()), analyses)
        for cid in sorted(index.claims)
    ]
    frequency: Counter[str] = Counter()
    lowercase: set[str] = set()
    for analysis in analyses:
        frequency.update(analysis.vocabulary)
        lowercase |= analysis.lowercase
    common = common_words() | frozenset(lowercase)
    contradicting = _contradicting_sentences(outcomes)
    articles, unsupported = [], []
    findings = [f for o in outcomes for f in o.findings]
    for analysis in analyses:
        report, more_unsupported, more_findings = _article_report(
            analysis, index, frequency, common, contradicting
        )
        articles.append(report)
        unsupported += more_unsupported
        findings += more_findings
    stamped = [_stamp(f, index, overrides or {}) for f in findings]
    findings = _unique_fingerprints(sorted(stamped, key=Finding.sort_key))
    return Report(
        tool_version=__version__,
        ledger_hash=index.content_hash,
        summary=_summary(articles, outcomes, findings),
        articles=articles,
        claims=[o.report for o in outcomes],
        conflicts=[o.conflict for o in outcomes if o.conflict],
        contradictions=[c for o in outcomes for c in o.contradictions],
        unsupported=unsupported,
        pairs=article_pairs([o.report for o in outcomes]),
        findings=findings,
    )


def _agrees(first: Verdict, second: Verdict) -> bool:
    if set(first.asserted) & set(second.denied) or set(second.asserted) & set(first.denied):
        return False
    if VerdictStatus.MIXED in (first.status, second.status):
        return False
    return first.asserted == second.asserted or not (first.asserted and second.asserted)


def pair_comparisons(claims: list[ClaimReport]) -> int:
    """Count the article-pair comparisons the pair table would take."""
    return sum(len(c.verdicts) * (len(c.verdicts) - 1) // 2 for c in claims)


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
        for i, first in enumerate(claim.verdicts):
            for second in claim.verdicts[i + 1 :]:
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


def _summary(
    articles: list[ArticleReport], outcomes: list[_ClaimOutcome], findings: list[Finding]
) -> Summary:
    kinds = Counter(f.kind for f in findings)
    severities = Counter(f.severity for f in findings)
    return Summary(
        articles=len(articles),
        sentences=sum(a.sentence_count for a in articles),
        claims=len(outcomes),
        conflicts=kinds[FindingKind.CONFLICT],
        contradictions=kinds[FindingKind.CONTRADICTION],
        mixed=kinds[FindingKind.MIXED],
        divergent=kinds[FindingKind.DIVERGENT],
        stray=kinds[FindingKind.STRAY],
        unsupported=kinds[FindingKind.UNSUPPORTED],
        supported_sentences=sum(a.supported for a in articles),
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        infos=severities[Severity.INFO],
    )


def check(
    ledger: Ledger,
    articles: Iterable[Article],
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> Report:
    """Check every claim of the ledger against every article."""
    index = build_index(ledger)
    return reduce(index, [analyse_article(article, index) for article in articles], overrides)
