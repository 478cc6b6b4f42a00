"""Help editors keep the ledger right: claim self-tests and lint checks against the corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import Article, LineKind, Sentence, parse_article
from checker.base.claims import (
    DENIES_PREFIX,
    SILENT_EXAMPLE,
    AnyOfClaim,
    Ledger,
    LocatedClaim,
    Severity,
)
from checker.base.quantities import ValueType, dates, parse_target
from checker.findings.results import ClaimReport, Finding, VerdictStatus, make_finding
from checker.findings.rules import FindingKind, severity
from checker.judgement.analysis import analyse_article
from checker.judgement.index import build_index
from checker.judgement.matcher import Match

# Words too common to be an alias on their own.
STOP_WORDS = frozenset(
    "a an the of in on at to and or but is are was were be it its he she they we i you this that "
    "these those for with by as from not no said says".split()
)
# A user's boilerplate glob that drops this share of the corpus's lines, and at least this
# many, is likely to hide prose: a warning rather than a count.
BROAD_BOILERPLATE_SHARE = 0.2
BROAD_BOILERPLATE_LINES = 10
GENERIC_SHARE = 0.5  # an alias in at least this share of sentences is too generic
GENERIC_MIN_SENTENCES = 10


def example_verdict(located: LocatedClaim, sentence: str) -> tuple[set[str], set[str]]:
    """Return what one example sentence asserts and denies, through the real matcher."""
    unscoped = located.model_copy(update={"claim": located.claim.model_copy(update={"scope": []})})
    index = build_index(Ledger(claims=(unscoped,), content_hash=""))
    article = parse_article(sentence, "example", "example", Boilerplate())
    analysis = analyse_article(article, index)
    found = analysis.evidence_of(located.claim.id)
    return {e.value for e in found if not e.negated}, {e.value for e in found if e.negated}


def example_holds(located: LocatedClaim, label: str, asserted: set[str], denied: set[str]) -> bool:
    """Tell whether an example's verdict is the one its label promises."""
    if label == SILENT_EXAMPLE:
        return not asserted and not denied
    if label.startswith(DENIES_PREFIX):
        return label.removeprefix(DENIES_PREFIX) in denied
    if isinstance(located.claim, AnyOfClaim):
        return label in asserted
    return asserted == {label}


def _describe(asserted: set[str], denied: set[str]) -> str:
    parts = [f"asserts {', '.join(sorted(asserted))}"] if asserted else []
    parts += [f"denies {', '.join(sorted(denied))}"] if denied else []
    return "; ".join(parts) or "is silent"


def _lint(
    kind: FindingKind,
    located: LocatedClaim,
    where: tuple[int, int],
    fields: dict[str, str],
    overrides: Mapping[FindingKind, Severity],
) -> Finding:
    return make_finding(
        kind,
        {"claim": located.claim.id, **fields},
        severity=severity(kind, overrides),
        claim=located.claim.id,
        path=located.path,
        line=where[0],
        column=where[1],
    )


def self_tests(
    ledger: Ledger, overrides: Mapping[FindingKind, Severity] | None = None
) -> list[Finding]:
    """Run every claim's example sentences through the matcher; report those that disagree."""
    failures = []
    for located in ledger.claims:
        for label, sentences in located.claim.examples.items():
            for i, sentence in enumerate(sentences):
                asserted, denied = example_verdict(located, sentence)
                if not example_holds(located, label, asserted, denied):
                    fields = {
                        "label": repr(label),
                        "verdict": _describe(asserted, denied),
                        "sentence": repr(sentence),
                    }
                    where = located.where("examples", label, i)
                    failures.append(
                        _lint(FindingKind.FAILING_EXAMPLE, located, where, fields, overrides or {})
                    )
    return failures


@dataclass
class _Tally:
    """What the corpus scan saw of every phrase."""

    sentences: int = 0
    hits: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    unshadowed: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    sentence_hits: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    cue_with_value: Counter[tuple[str, str]] = field(default_factory=Counter)
    spans: dict[tuple[str, int, int, int], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )


def _key(match: Match) -> tuple[str, str | None, str]:
    return match.phrase.claim, match.phrase.value, match.phrase.alias


def _shadowed(match: Match, others: list[Match]) -> bool:
    return any(
        o.phrase.claim == match.phrase.claim
        and o.phrase.value not in (None, match.phrase.value)
        and o.start <= match.start
        and match.end <= o.end
        and (o.end - o.start) > (match.end - match.start)
        for o in others
    )


class LedgerLinter:
    """Lint the ledger against the corpus: dead, shadowed, generic aliases; idle cues; overlaps.

    It observes the raw matches of the one matching pass (see `analysis.MatchObserver`).
    """

    def __init__(self, boilerplate: Boilerplate | None = None) -> None:
        self.tally = _Tally()
        self.boilerplate = boilerplate or Boilerplate()
        self.lines = 0  # content and chrome lines of the corpus (blank ones left out)
        self.dropped: Counter[str] = Counter()  # lines each user glob made chrome

    def see_article(self, article: Article) -> None:
        """Count an article's lines, and the chrome lines each of the user's globs dropped."""
        if not self.boilerplate.user_globs:
            return
        for line in article.lines:
            if line.kind is LineKind.BLANK or line.kind is LineKind.FRONT_MATTER:
                continue
            self.lines += 1
            if line.kind is LineKind.BOILERPLATE:
                glob = self.boilerplate.user_glob(line.body.text)
                if glob is not None:
                    self.dropped[glob] += 1

    def pattern_findings(
        self,
        where: Mapping[str, tuple[str, int]],
        overrides: Mapping[FindingKind, Severity] | None = None,
    ) -> list[Finding]:
        """Say how many lines each user glob dropped; warn where it drops a large share.

        `where` gives each glob's file and line.
        """
        found = []
        for glob in dict.fromkeys(self.boilerplate.user_globs):
            shown, number = where.get(glob, ("claims/boilerplate.txt", 1))
            count = self.dropped[glob]
            share = count / self.lines if self.lines else 0.0
            broad = share >= BROAD_BOILERPLATE_SHARE and count >= BROAD_BOILERPLATE_LINES
            usual = severity(FindingKind.BOILERPLATE_PATTERN, overrides or {})
            level = Severity.WARNING if broad else usual
            why = f" ({share:.0%}): it likely hides prose" if broad else ""
            fields = {
                "file": shown,
                "pattern": repr(glob),
                "count": str(count),
                "lines": str(self.lines),
                "why": why,
            }
            found.append(
                make_finding(
                    FindingKind.BOILERPLATE_PATTERN,
                    fields,
                    severity=level,
                    path=shown,
                    line=number,
                    column=1,
                    details={"pattern": glob, "dropped": str(count), "lines": str(self.lines)},
                )
            )
        return found

    def __call__(self, article: Article, sentence: Sentence, matches: list[Match]) -> None:
        """Count one sentence's raw matches of the claims in scope."""
        tally = self.tally
        tally.sentences += 1
        for match in matches:
            tally.hits[_key(match)] += 1
            tally.unshadowed[_key(match)] += not _shadowed(match, matches)
            if match.phrase.value is not None:
                where = (article.id, sentence.index, match.start, match.end)
                tally.spans[where].add(match.phrase.claim)
        for key in {_key(m) for m in matches}:
            tally.sentence_hits[key] += 1
        valued = {m.phrase.claim for m in matches if m.phrase.value is not None}
        cues = {(m.phrase.claim, m.phrase.alias) for m in matches if m.phrase.value is None}
        for claim_id, cue in cues:
            if claim_id in valued:
                tally.cue_with_value[(claim_id, cue)] += 1

    def findings(
        self,
        ledger: Ledger,
        unmentioned: set[str],
        overrides: Mapping[FindingKind, Severity] | None = None,
    ) -> list[Finding]:
        """Return the lint findings for what the scan saw."""
        overrides = overrides or {}
        tally = self.tally
        lints: list[Finding] = []
        # The values some alias of matched, looked up per alias: scanning every hit for each
        # alias made a 50,000-claim ledger quadratic.
        matched = {(claim, value) for claim, value, _ in tally.hits if value is not None}
        for located in ledger.claims:
            claim = located.claim
            if claim.id in unmentioned:
                where = (located.line, located.column)
                lints.append(_lint(FindingKind.UNMATCHED_CLAIM, located, where, {}, overrides))
            for value, spec in claim.values.items():
                aliases = spec.aliases
                # A wrong answer listed to be caught is dead while the copy is right; a typed
                # value is read by meaning, so any of its mentions keeps it alive.
                alive = (
                    (claim.id, value) in matched
                    if claim.type != "text"
                    else any(tally.hits[(claim.id, value, alias)] for alias in aliases)
                )
                if not alive and not spec.known_wrong:
                    fields = {
                        "what": f"value {value!r} ({', '.join(repr(a) for a in aliases)})",
                        "value": value,
                        "alias": "",
                    }
                    where = located.where("values", value)
                    lints.append(_lint(FindingKind.DEAD_ALIAS, located, where, fields, overrides))
                for i, alias in enumerate(aliases):
                    lints += _alias_lints(
                        located, value, i, alias, tally, overrides, matched, spec.known_wrong
                    )
            for i, cue in enumerate(claim.about):
                if tally.hits[(claim.id, None, cue)] and not tally.cue_with_value[(claim.id, cue)]:
                    where = located.where("about", i)
                    fields = {"cue": repr(cue)}
                    lints.append(_lint(FindingKind.IDLE_CUE, located, where, fields, overrides))
        return sorted([*lints, *_overlaps(ledger, tally, overrides)], key=Finding.sort_key)


def _alias_lints(
    located: LocatedClaim,
    value: str,
    i: int,
    alias: str,
    tally: _Tally,
    overrides: Mapping[FindingKind, Severity],
    matched: set[tuple[str, str]],
    known_wrong: bool = False,
) -> list[Finding]:
    claim_id = located.claim.id
    key = (claim_id, value, alias)
    where = located.where("values", value, i)
    found: list[Finding] = []

    def lint(kind: FindingKind, **fields: str) -> None:
        fields = {"value": value, "alias": alias, **fields}
        found.append(_lint(kind, located, where, fields, overrides))

    value_matched = (claim_id, value) in matched
    if not tally.hits[key] and value_matched and not known_wrong:
        lint(FindingKind.DEAD_ALIAS, what=f"alias {alias!r} of {value!r}")
    elif tally.hits[key] and not tally.unshadowed[key]:
        found.append(
            _lint(
                FindingKind.SHADOWED_ALIAS,
                located,
                where,
                {"value": repr(value), "alias": repr(alias)},
                overrides,
            )
        )
    share = tally.sentence_hits[key] / tally.sentences if tally.sentences else 0.0
    if alias.strip().lower() in STOP_WORDS:
        lint(FindingKind.GENERIC_ALIAS, alias=repr(alias), why="is a stop word")
    elif tally.sentences >= GENERIC_MIN_SENTENCES and share >= GENERIC_SHARE:
        why = f"occurs in {share:.0%} of sentences: too generic"
        lint(FindingKind.GENERIC_ALIAS, alias=repr(alias), why=why)
    return found


def _overlaps(
    ledger: Ledger, tally: _Tally, overrides: Mapping[FindingKind, Severity]
) -> list[Finding]:
    shared: Counter[tuple[str, str]] = Counter()
    for claims in tally.spans.values():
        ordered = sorted(claims)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                shared[(first, second)] += 1
    by_id = {c.claim.id: c for c in ledger.claims}
    lints = []
    for (first, second), count in sorted(shared.items()):
        located = by_id[second]
        fields = {"count": str(count), "other": repr(first)}
        where = (located.line, located.column)
        lints.append(_lint(FindingKind.OVERLAPPING_CLAIMS, located, where, fields, overrides))
    return lints


def mixed_evidence(
    ledger: Ledger,
    claims: list[ClaimReport],
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> list[Finding]:
    """Point at claims whose evidence is mixed inside articles: a sign of another occasion."""
    located = {c.claim.id: c for c in ledger.claims}
    lints = []
    for claim in claims:
        mixed = [cell.article for cell in claim.cells if cell.verdict is VerdictStatus.MIXED]
        if mixed:
            fields = {"count": str(len(mixed)), "articles": ", ".join(mixed[:5])}
            where = (located[claim.id].line, located[claim.id].column)
            lints.append(
                _lint(FindingKind.MIXED_EVIDENCE, located[claim.id], where, fields, overrides or {})
            )
    return lints


# What a text claim's values read as, in the order tried: the first type all values read as.
_HINT_TYPES = (
    (ValueType.DATE, "dates", "written as YYYY-MM-DD, YYYY-MM or YYYY"),
    (ValueType.PERCENT, "percentages", ""),
    (ValueType.MONEY, "amounts of money", ""),
    (ValueType.ORDINAL, "ordinals", ""),
    (ValueType.COUNT, "counts", ""),
)


def _reads_as(value_type: ValueType, value: str) -> bool:
    """Tell whether a value's name is one figure or date of a type, and nothing else."""
    if value_type is ValueType.DATE:
        found = dates(value)
        return len(found) == 1 and (found[0].start, found[0].end) == (0, len(value.strip()))
    try:
        parse_target(value_type, value)
    except ValueError:
        return False
    return True


def type_hints(
    ledger: Ledger,
    claims: list[ClaimReport],
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> list[Finding]:
    """Suggest `type` for text claims of figures, and `when` for claims only another year has."""
    reports = {claim.id: claim for claim in claims}
    lints = []
    for located in ledger.claims:
        claim = located.claim
        hints = []
        if claim.type is ValueType.TEXT and len(claim.values) >= 2:
            for value_type, plural, how in _HINT_TYPES:
                if all(_reads_as(value_type, value) for value in claim.values):
                    declared = f"type: {value_type.value}"
                    if value_type is ValueType.COUNT:
                        units = {parse_target(value_type, v).unit for v in claim.values} - {""}
                        if units:
                            plural, declared = "measures", f"type: number, unit: {min(units)}"
                    hints.append(
                        f"the values all read as {plural}: declare {declared}"
                        + (f" ({how})" if how else "")
                    )
                    break
        report = reports.get(claim.id)
        # Articles spoke of the claim, but every mention was another occasion's (or an
        # earlier figure): shown, never counted.
        if claim.when is None and report is not None and set(report.verdict_counts) == {"silent"}:
            hints.append(
                f"no mention in {report.verdict_counts['silent']} article(s) counts, each was "
                "another occasion's or an earlier figure; if the claim is about a past "
                "occasion, name it with when: YYYY"
            )
        where = (located.line, located.column)
        for hint in hints:
            lints.append(
                _lint(FindingKind.TYPE_HINT, located, where, {"hint": hint}, overrides or {})
            )
    return lints
