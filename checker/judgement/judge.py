"""Per-claim judgement: each speaking article's cell; the claim's conflicts and contradictions."""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from checker.base.claims import AnyOfClaim, Claim, LocatedClaim, Severity
from checker.base.quantities import Kind, figures
from checker.base.text import fold_key
from checker.findings.results import (
    AMBIGUOUS,
    Cell,
    ClaimReport,
    ClaimStatus,
    Evidence,
    Finding,
    Location,
    VerdictStatus,
    make_finding,
)
from checker.findings.rules import FindingKind, severity

MAX_NAMED = 5  # article ids a conflict message names
MAX_RELATED = 20  # places a conflict finding points to


class Speaker(NamedTuple):
    """One article that mentions a claim, with its evidence (a plain record: one per cell)."""

    article: str
    path: str
    evidence: list[Evidence]
    date: str = ""  # the article's day, YYYY-MM-DD, or "" when it gives none


# How copy says a figure was updated: "rose to", "has climbed to", "the toll passed 2,000".
UPDATE_WORDING = re.compile(
    r"\b(?:ris(?:es|en|ing)|rose|climb(?:s|ed|ing)?|increas(?:es|ed|ing)|jump(?:s|ed)|"
    r"surg(?:es|ed)|grew|grown|reach(?:es|ed)|pass(?:es|ed)|top(?:s|ped)|exceed(?:s|ed)|"
    r"now stands at|updated?|latest|revised|new (?:toll|figure|count|tally))\b",
    re.IGNORECASE,
)


def valid_on(dated: dict[str, str], day: str) -> str | None:
    """Return the dated value that was right on a day: the latest whose as_of is not after it."""
    best = None
    for value, as_of in dated.items():
        if as_of <= day and (best is None or as_of > dated[best]):
            best = value
    return best


def value_figure(claim: Claim, value: str) -> float | None:
    """Return the number a value names, if it names one (a count, an amount, a share)."""
    targets = claim.targets()
    if targets:
        target = targets[value]
        return None if target.kind is Kind.DATE else target.figure
    found = [q for q in figures(value) if q.kind is not Kind.DATE]
    return found[0].figure if len(found) == 1 else None


@dataclass(frozen=True)
class ClaimJudgement:
    """A claim's report, its findings, every cell, and the sentences that contradict it."""

    report: ClaimReport
    findings: list[Finding]
    contradicting: list[tuple[str, int]]  # (article, sentence index)
    cells: list[Cell]  # listed in the report or not


def verdict_status(
    claim: Claim, asserted: set[str], denied: set[str], right_on_date: str | None = None
) -> VerdictStatus:
    """Classify what an article asserts and denies about a claim.

    `right_on_date` is the dated value that was right on the article's day: giving it
    supports the claim even when a later figure replaced it.
    """
    if not asserted and not denied:
        return VerdictStatus.SILENT
    one_of = not isinstance(claim, AnyOfClaim)
    if (one_of and len(asserted) > 1) or asserted & denied:
        return VerdictStatus.MIXED
    expected = claim.expected_values
    if right_on_date is not None and expected:
        expected = expected | {right_on_date}
    if expected:
        if asserted - expected or denied & expected:
            return VerdictStatus.CONTRADICTS
        return VerdictStatus.SUPPORTS
    return VerdictStatus.ASSERTS if asserted else VerdictStatus.DENIES


def _cell(claim: Claim, speaker: Speaker, dated: dict[str, str]) -> Cell:
    evidence = speaker.evidence  # the cell takes the speaker's list: an archive has many
    evidence.sort(key=lambda e: (e.line, e.column, e.value))
    asserted = {e.value for e in evidence if e.counts and not e.negated}
    denied = {e.value for e in evidence if e.counts and e.negated}
    right = valid_on(dated, speaker.date) if dated and speaker.date else None
    return Cell(
        article=speaker.article,
        path=speaker.path,
        verdict=verdict_status(claim, asserted, denied, right),
        asserted=tuple(sorted(asserted)),
        denied=tuple(sorted(denied)),
        evidence=evidence,
    )


def some(items: list[str], separator: str = ", ", rest: str = " and {} more") -> str:
    """Name a few items and count the rest, so a message stays readable in an archive."""
    more = len(items) - MAX_NAMED
    shown = separator.join(items[:MAX_NAMED])
    return shown + rest.format(more) if more > 0 else shown


def _first_places(places: Iterable[tuple[str, int, int]]) -> list[Location]:
    """Return the first MAX_RELATED places in location order (built as models only then)."""
    first = heapq.nsmallest(MAX_RELATED, places)
    return [Location(path=path, line=line, column=column) for path, line, column in first]


def _sides_key(sides: dict[str, list[str]]) -> str:
    return ";".join(
        f"{value}={','.join(sorted(set(articles)))}" for value, articles in sides.items()
    )


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


class _Judge:
    """Judge one claim; severities are decided here, as each finding is made."""

    def __init__(
        self,
        located: LocatedClaim,
        overrides: Mapping[FindingKind, Severity],
        dates: Mapping[str, str] | None = None,
    ) -> None:
        self.located = located
        self.claim = located.claim
        self.overrides = overrides
        self.definition = Location(path=located.path, line=located.line, column=located.column)
        self.dates = dates or {}
        # Figures the ledger dates: each was right from its as_of on (a wrong one never is).
        self.dated = {
            value: as_of
            for value, as_of in self.claim.dated().items()
            if not self.claim.values[value].known_wrong
        }

    def firm(self, cell: Cell) -> set[str]:
        """Return the values a cell asserts on firm evidence and that no date explains."""
        return {
            e.value
            for e in cell.evidence
            if e.counts and not e.negated and not e.provisional and e.value not in self.dated
        }

    def severity(self, kind: FindingKind) -> Severity:
        return severity(kind, self.overrides, self.claim.severity)

    def conflict(self, cells: list[Cell]) -> Finding | None:
        claim = self.claim
        asserting: dict[str, list[str]] = defaultdict(list)
        denying: dict[str, list[str]] = defaultdict(list)
        for cell in cells:
            # Provisional figures and figures the ledger dates are never a conflict: a partial
            # count and the final one, or the toll of Monday and of Tuesday, both stand.
            for value in sorted(self.firm(cell)):
                asserting[value].append(cell.article)
            for value in cell.denied:
                denying[value].append(cell.article)
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
            return None
        values, denied = dict(sorted(asserting.items())), dict(sorted(denying.items()))
        if not cross and self._rising(values, cells):
            return self._updated(values, cells)
        places = _first_places(
            (c.path, e.line, e.column)
            for c in cells
            for e in c.evidence
            if e.counts and (e.value in asserting or e.value in denying)
        )
        sides = [f"{value!r} in {some(articles)}" for value, articles in values.items()]
        sides += [f"not {value!r} in {some(articles)}" for value, articles in denied.items()]
        fields = {
            "claim": claim.id,
            "question": repr(claim.question),
            "sides": "; ".join(sides),
            # Which articles say what: a waiver covers exactly the conflict that was reviewed, so
            # a new article joining it, or a new value, is a new finding.
            "asserted_values": _sides_key(values),
            "denied_values": _sides_key(denied),
        }
        return make_finding(
            FindingKind.CONFLICT,
            fields,
            severity=self.severity(FindingKind.CONFLICT),
            claim=claim.id,
            path=places[0].path,
            line=places[0].line,
            column=places[0].column,
            # Every place is in the claim's cells; a finding points at the first few.
            related=(*places[1:MAX_RELATED], self.definition),
            details={"values": values, "denied": denied},
        )

    def _rising(self, values: dict[str, list[str]], cells: list[Cell]) -> bool:
        """Tell whether the rival figures rose from each dated article to every later one."""
        claim = self.claim
        figure = {value: value_figure(claim, value) for value in values}
        said: dict[str, str] = {}
        for value, articles in values.items():
            for article in articles:
                if article in said or figure[value] is None or not self.dates.get(article):
                    return False  # an article with two figures, a non-figure, or no date
                said[article] = value
        by_article = {cell.article: cell for cell in cells}
        lowest = min(figure[v] for v in values)  # type: ignore[type-var]
        for first in said:
            for second in said:
                one, two = figure[said[first]], figure[said[second]]
                day_one, day_two = self.dates[first], self.dates[second]
                if one != two and (day_one == day_two or (day_one < day_two) != (one < two)):  # type: ignore[operator]
                    return False
        if claim.changes:
            return True
        # Without the ledger's word, each higher figure must be worded as an update.
        return all(
            any(UPDATE_WORDING.search(e.sentence) for e in by_article[article].evidence)
            for article, value in said.items()
            if figure[value] != lowest
        )

    def _updated(self, values: dict[str, list[str]], cells: list[Cell]) -> Finding:
        claim = self.claim
        order = sorted(values, key=lambda v: min(self.dates[a] for a in values[v]))
        first_day = {value: min(self.dates[a] for a in values[value]) for value in values}
        sides = [f"{v!r} in {some(sorted(values[v]))} ({first_day[v]})" for v in order]
        places = _first_places(
            (c.path, e.line, e.column)
            for c in cells
            for e in c.evidence
            if e.counts and e.value in values
        )
        return make_finding(
            FindingKind.UPDATED_FIGURE,
            {"claim": claim.id, "sides": " → ".join(sides), "asserted_values": _sides_key(values)},
            severity=self.severity(FindingKind.UPDATED_FIGURE),
            claim=claim.id,
            path=places[0].path,
            line=places[0].line,
            column=places[0].column,
            related=(*places[1:MAX_RELATED], self.definition),
            details={"values": values, "dates": {a: self.dates[a] for a in sorted(self.dates)}},
        )

    def stale(self, cell: Cell) -> Finding | None:
        """Return the finding of an article that keeps a figure replaced before its date."""
        day = self.dates.get(cell.article, "")
        if not self.dated or not day:
            return None
        right = valid_on(self.dated, day)
        if right is None:
            return None
        for evidence in cell.evidence:
            value = evidence.value
            if not evidence.counts or evidence.negated or value not in self.dated:
                continue
            if value != right and self.dated[value] < self.dated[right]:
                fields = {
                    "claim": self.claim.id,
                    "article": cell.article,
                    "date": day,
                    "said": repr(value),
                    "said_as_of": self.dated[value],
                    "valid": repr(right),
                    "valid_as_of": self.dated[right],
                }
                details = {"said": [value], "valid": [right], "date": [day]}
                return self._at(FindingKind.STALE_FIGURE, fields, cell, evidence, details)
        return None

    def contradiction(self, cell: Cell) -> tuple[Finding, list[int]] | None:
        claim = self.claim
        expected = claim.expected_values
        # A dated figure is judged by its date (`stale`), not against the final value.
        found = sorted(set(cell.asserted) - expected - set(self.dated)) if expected else []
        denied = sorted(set(cell.denied) & expected)
        if not found and not denied:
            return None
        wrong = [
            e
            for e in cell.evidence
            if e.counts
            and ((e.value in found and not e.negated) or (e.value in denied and e.negated))
        ]
        evidence = wrong[0]
        # A partial count or an exit poll is shown, but never at error level: it may have been
        # right when counted. A wrong figure the ledger lists as such stays an error.
        provisional = all(e.provisional for e in wrong) and not any(
            claim.values[value].known_wrong for value in found if value in claim.values
        )
        said = _quoted(found) or "not " + _quoted(denied)
        if provisional:
            said += " (provisional)"
        fields = {
            "claim": claim.id,
            "article": cell.article,
            "said": said,
            "expected": _quoted(sorted(expected)),
            "content": f"{','.join(found)}|{','.join(denied)}|{fold_key(evidence.sentence)}",
        }
        finding = self._at(
            FindingKind.CONTRADICTION,
            fields,
            cell,
            evidence,
            {"expected": sorted(expected), "found": found, "denied": denied},
            _capped(self.severity(FindingKind.CONTRADICTION)) if provisional else None,
        )
        return finding, sorted({e.sentence_index for e in wrong})

    def mixed(self, cell: Cell) -> Finding | None:
        if cell.verdict is not VerdictStatus.MIXED:
            return None
        if len(self.firm(cell)) < 2 and not set(cell.asserted) & set(cell.denied):
            return None  # the second figure is provisional or of another date
        said = _quoted(cell.asserted) + (f"; denies {_quoted(cell.denied)}" if cell.denied else "")
        fields = {
            "claim": self.claim.id,
            "article": cell.article,
            "said": said,
            "content": f"{','.join(cell.asserted)}|{','.join(cell.denied)}",
        }
        details = {"asserted": list(cell.asserted), "denied": list(cell.denied)}
        first = next(e for e in cell.evidence if e.counts)
        return self._at(FindingKind.MIXED, fields, cell, first, details)

    def ambiguity(self, cell: Cell) -> Finding | None:
        """Return the finding of a sentence whose values no pattern decides, if it matters."""
        ambiguous = [e for e in cell.evidence if e.role == AMBIGUOUS]
        if not ambiguous:
            return None
        by_sentence: dict[int, list[Evidence]] = defaultdict(list)
        for evidence in ambiguous:
            by_sentence[evidence.sentence_index].append(evidence)
        decided = set(cell.asserted)
        for mentions in by_sentence.values():  # in the cell's order: the first sentence first
            candidates = sorted({e.value for e in mentions})
            if set(candidates) <= decided:
                continue  # the article decides elsewhere between every value named here
            fields = {
                "claim": self.claim.id,
                "article": cell.article,
                "candidates": _quoted(candidates),
            }
            return self._at(
                FindingKind.AMBIGUOUS_EVIDENCE,
                fields,
                cell,
                mentions[0],
                {"candidates": candidates},
            )
        return None

    def _at(
        self,
        kind: FindingKind,
        fields: dict[str, str],
        cell: Cell,
        evidence: Evidence,
        details: dict[str, list[str]],
        capped: Severity | None = None,
    ) -> Finding:
        return make_finding(
            kind,
            fields,
            severity=capped or self.severity(kind),
            claim=self.claim.id,
            article=cell.article,
            path=cell.path,
            line=evidence.line,
            column=evidence.column,
            related=(self.definition,),
            details=details,
        )

    def divergence(self, cells: list[Cell]) -> Finding | None:
        naming = [c for c in cells if c.asserted]
        if not isinstance(self.claim, AnyOfClaim) or len({tuple(c.asserted) for c in naming}) < 2:
            return None
        places = _first_places(
            (c.path, e.line, e.column) for c in naming for e in c.evidence if e.counts
        )
        named = [f"{c.article}: {', '.join(c.asserted)}" for c in naming]
        fields = {
            "claim": self.claim.id,
            "sets": some(named, "; ", "; and {} more articles"),
            "all_sets": "; ".join(named),
        }
        return make_finding(
            FindingKind.DIVERGENT,
            fields,
            severity=self.severity(FindingKind.DIVERGENT),
            claim=self.claim.id,
            path=places[0].path,
            line=places[0].line,
            column=places[0].column,
            related=tuple(places[1:MAX_RELATED]),
            details={"sets": {c.article: list(c.asserted) for c in naming}},
        )


def _capped(severity: Severity) -> Severity:
    """Return a severity no higher than warning."""
    return Severity.WARNING if severity is Severity.ERROR else severity


REPORT_FIELDS = set(ClaimReport.model_fields)


def judge_claim(
    located: LocatedClaim,
    speakers: list[Speaker],
    in_scope: int,
    out_of_scope: list[str] | None,
    overrides: Mapping[FindingKind, Severity],
    *,
    list_cells: bool = True,
    discounted: Mapping[str, int] | None = None,
) -> ClaimJudgement:
    """Judge one claim from the articles that speak to it.

    With `list_cells` off, the report lists the cells of a claim only when it has findings
    (an archive's report follows its findings); the verdicts are counted either way.
    """
    dates = {speaker.article: speaker.date for speaker in speakers if speaker.date}
    judge = _Judge(located, overrides, dates)
    claim = located.claim
    cells = [_cell(claim, speaker, judge.dated) for speaker in speakers]
    conflict = judge.conflict(cells)
    findings = [conflict] if conflict else []
    contradicting: list[tuple[str, int]] = []
    for cell in cells:
        contradiction = judge.contradiction(cell)
        if contradiction is not None:
            findings.append(contradiction[0])
            contradicting += [(cell.article, index) for index in contradiction[1]]
        mixed = judge.mixed(cell)
        if mixed is not None:
            findings.append(mixed)
        stale = judge.stale(cell)
        if stale is not None:
            findings.append(stale)
        ambiguity = judge.ambiguity(cell)
        if ambiguity is not None:
            findings.append(ambiguity)
    divergent = judge.divergence(cells)
    if divergent is not None:
        findings.append(divergent)
    answering = sum(cell.verdict is not VerdictStatus.SILENT for cell in cells)
    # Cells holding only discarded mentions are a trace, listed but not counted as speaking.
    speaking = [cell for cell in cells if not all(e.discounted for e in cell.evidence)]
    if conflict:
        status = ClaimStatus.CONFLICT
    elif contradicting:
        status = ClaimStatus.CONTRADICTED
    elif divergent:
        status = ClaimStatus.DIVERGENT
    elif answering:
        status = ClaimStatus.CONSISTENT
    else:
        status = ClaimStatus.UNMENTIONED
    # Built without revalidation, sharing one fields-set: every field is typed here, and an
    # archive's ledger has tens of thousands of claims.
    report = ClaimReport.model_construct(
        _fields_set=REPORT_FIELDS,
        id=claim.id,
        question=claim.question,
        kind=claim.kind,
        status=status,
        severity=judge.severity(FindingKind.CONFLICT),
        expected=sorted(claim.expected_values),
        values={value: sorted(spec.aliases) for value, spec in sorted(claim.values.items())},
        path=located.path,
        line=located.line,
        column=located.column,
        topic=located.topic,
        note=claim.note,
        sources=list(claim.sources),
        scope=list(claim.scope),
        in_scope=in_scope,
        silent=in_scope - answering,
        out_of_scope=out_of_scope,
        cells=cells if list_cells or findings else [],
        cells_left_out=0 if list_cells or findings else len(speaking),
        verdict_counts=dict(sorted(Counter(cell.verdict.value for cell in speaking).items())),
        discounted=dict(sorted((discounted or {}).items())),
    )
    return ClaimJudgement(report, findings, contradicting, cells)
