"""Reviewed waivers: accept a known finding on record without letting it gate."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence, Set

import yaml
from pydantic import Field, field_validator

from checker.articles.sources import InlineWaiver
from checker.base.claims import NonEmptyText, Severity, StrictModel
from checker.base.ledger import Loc, load_located
from checker.findings.results import Finding, make_finding
from checker.findings.rules import RULES, Family, FindingKind, severity

BASELINE_REASON = "baseline"


class Waiver(StrictModel):
    """One accepted finding, with who accepted it, when and why."""

    fingerprint: NonEmptyText = Field(description="The finding's content-based fingerprint.")
    finding: NonEmptyText = Field(description="What the finding said, for human reviewers.")
    reason: NonEmptyText = Field(description="Why the finding is acceptable.")
    reviewed_by: NonEmptyText = Field(description="Who reviewed it.")
    date: dt.date = Field(description="When it was reviewed (YYYY-MM-DD).")
    expires: dt.date | None = Field(default=None, description="From this day on it gates again.")

    def active(self, today: dt.date) -> bool:
        """Tell whether the waiver still applies."""
        return self.expires is None or today < self.expires


class WaiverFile(StrictModel):
    """The waiver file."""

    waivers: list[Waiver] = Field(default_factory=list)

    @field_validator("waivers")
    @classmethod
    def _fingerprints_are_unique(cls, waivers: list[Waiver]) -> list[Waiver]:
        counts = Counter(w.fingerprint for w in waivers)
        repeated = sorted(f for f, n in counts.items() if n > 1)
        if repeated:
            raise ValueError(f"fingerprint {repeated[0]!r} is waived more than once")
        return waivers


class LocatedWaivers(StrictModel):
    """Waivers and the line each starts on."""

    path: str
    waivers: tuple[Waiver, ...] = ()
    lines: tuple[int, ...] = ()


def _keys(_loc: Loc) -> list[str]:
    return sorted({*Waiver.model_fields, *WaiverFile.model_fields})


def parse_waivers(data: bytes, path: str) -> LocatedWaivers:
    """Parse a waiver file, strictly, or raise ClaimFileError with located problems."""
    if not data.strip():
        return LocatedWaivers(path=path)
    parsed, positions = load_located(data, path, WaiverFile, "a 'waivers:' list", _keys)
    lines = tuple(positions.value_marks[("waivers", i)][0] for i in range(len(parsed.waivers)))
    return LocatedWaivers(path=path, waivers=tuple(parsed.waivers), lines=lines)


def apply_waivers(
    findings: list[Finding],
    waivers: LocatedWaivers,
    today: dt.date,
    overrides: Mapping[FindingKind, Severity] | None = None,
) -> list[Finding]:
    """Mark waived findings, and add a stale-waiver finding for each waiver that matches none."""
    by_fingerprint = {w.fingerprint: w for w in waivers.waivers}
    marked: list[Finding] = []
    for finding in findings:
        waiver = by_fingerprint.get(finding.fingerprint)
        if waiver is None:
            marked.append(finding)
        elif waiver.active(today):
            marked.append(
                finding.model_copy(update={"waived": True, "waiver_reason": _why(waiver)})
            )
        else:
            expired = f"waiver expired on {waiver.expires}: {waiver.reason}"
            marked.append(finding.model_copy(update={"waiver_reason": expired}))
    present = {f.fingerprint for f in findings}
    stale_severity = severity(FindingKind.STALE_WAIVER, overrides or {})
    for waiver, line in zip(waivers.waivers, waivers.lines, strict=True):
        if waiver.fingerprint not in present:
            marked.append(
                make_finding(
                    FindingKind.STALE_WAIVER,
                    {"waived": waiver.fingerprint, "finding": waiver.finding},
                    severity=stale_severity,
                    path=waivers.path,
                    line=line,
                    column=5,
                    details={"waived": waiver.fingerprint},
                )
            )
    return sorted(marked, key=Finding.sort_key)


def apply_inline_waivers(
    findings: list[Finding], comments: Sequence[InlineWaiver], claim_files: Set[str] = frozenset()
) -> list[Finding]:
    """Mark the findings an article's `crossfact: ignore` comments waive, at their paragraph.

    A finding's places in `claim_files` (where its claim is defined) are not the article's.
    """
    if not comments:
        return findings
    by_path: dict[str, list[InlineWaiver]] = {}
    for comment in comments:
        by_path.setdefault(comment.path, []).append(comment)
    marked: list[Finding] = []
    for finding in findings:
        names = (finding.claim or "", finding.kind.value, finding.code)
        places = [
            (finding.path, finding.line),
            *((r.path, r.line) for r in finding.related if r.path not in claim_files),
        ]
        # Waived only when a comment covers every place the finding stands on: a comment in
        # one paragraph does not waive what another paragraph, or article, also says.
        covering = [
            next((c for c in by_path.get(path, ()) if c.covers(path, line, names)), None)
            for path, line in places
        ]
        first = covering[0]
        if finding.waived or first is None or any(c is None for c in covering):
            marked.append(finding)
            continue
        reason = f"inline comment at {first.path}:{first.line}"
        marked.append(finding.model_copy(update={"waived": True, "waiver_reason": reason}))
    return marked


def _why(waiver: Waiver) -> str:
    return f"{waiver.reason} (reviewed by {waiver.reviewed_by} on {waiver.date})"


def baseline(
    findings: list[Finding], existing: LocatedWaivers, today: dt.date, reviewer: str
) -> tuple[str, int]:
    """Return the waiver file with a `reason: baseline` waiver for every unwaived finding.

    Also return how many waivers were added.
    """
    known = {w.fingerprint for w in existing.waivers}
    added = [
        Waiver(
            fingerprint=f.fingerprint,
            finding=f"{f.path}: {f.kind.value}: {f.message}",
            reason=BASELINE_REASON,
            reviewed_by=reviewer,
            date=today,
        )
        for f in findings
        if RULES[f.kind].family is Family.CHECK and f.fingerprint not in known
    ]
    waivers = [*existing.waivers, *added]
    document = {"waivers": [w.model_dump(mode="json", exclude_none=True) for w in waivers]}
    header = (
        "# crossfact waivers: each accepts one finding by its content fingerprint.\n"
        "# Required: fingerprint, finding, reason, reviewed_by, date (YYYY-MM-DD).\n"
        "# Optional: expires (from that day on, the finding gates again).\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body, len(added)
