"""Per-claim judgement: each speaking article's cell; the claim's conflicts and contradictions."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from checker.base.claims import AnyOfClaim, Claim, LocatedClaim, Severity
from checker.base.text import fold_key
from checker.findings.results import (
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


@dataclass(frozen=True)
class ClaimJudgement:
    """A claim's report, its findings, every cell, and the sentences that contradict it."""

    report: ClaimReport
    findings: list[Finding]
    contradicting: list[tuple[str, int]]  # (article, sentence index)
    cells: list[Cell]  # listed in the report or not


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


def _cell(claim: Claim, speaker: Speaker) -> Cell:
    evidence = speaker.evidence  # the cell takes the speaker's list: an archive has many
    evidence.sort(key=lambda e: (e.line, e.column, e.value))
    asserted = {e.value for e in evidence if e.counts and not e.negated}
    denied = {e.value for e in evidence if e.counts and e.negated}
    return Cell(
        article=speaker.article,
        path=speaker.path,
        verdict=verdict_status(claim, asserted, denied),
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

    def __init__(self, located: LocatedClaim, overrides: Mapping[FindingKind, Severity]) -> None:
        self.located = located
        self.claim = located.claim
        self.overrides = overrides
        self.definition = Location(path=located.path, line=located.line, column=located.column)

    def severity(self, kind: FindingKind) -> Severity:
        return severity(kind, self.overrides, self.claim.severity)

    def conflict(self, cells: list[Cell]) -> Finding | None:
        claim = self.claim
        asserting: dict[str, list[str]] = defaultdict(list)
        denying: dict[str, list[str]] = defaultdict(list)
        for cell in cells:
            for value in cell.asserted:
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

    def contradiction(self, cell: Cell) -> tuple[Finding, list[int]] | None:
        claim = self.claim
        expected = claim.expected_values
        found = sorted(set(cell.asserted) - expected) if expected else []
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
        said = _quoted(found) or "not " + _quoted(denied)
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
        )
        return finding, sorted({e.sentence_index for e in wrong})

    def mixed(self, cell: Cell) -> Finding | None:
        if cell.verdict is not VerdictStatus.MIXED:
            return None
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

    def _at(
        self,
        kind: FindingKind,
        fields: dict[str, str],
        cell: Cell,
        evidence: Evidence,
        details: dict[str, list[str]],
    ) -> Finding:
        return make_finding(
            kind,
            fields,
            severity=self.severity(kind),
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


_REPORT_FIELDS = set(ClaimReport.model_fields)


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
    judge = _Judge(located, overrides)
    claim = located.claim
    cells = [_cell(claim, speaker) for speaker in speakers]
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
        _fields_set=_REPORT_FIELDS,
        id=claim.id,
        question=claim.question,
        kind=claim.kind,
        status=status,
        severity=judge.severity(FindingKind.CONFLICT),
        expected=sorted(claim.expected_values),
        values={value: sorted(aliases) for value, aliases in sorted(claim.values.items())},
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
