"""Typed claims in the matcher: quantities read by meaning become mentions of the nearest value.

A typed claim (`type: count`, `money`, `percent`, `date`, `ordinal` or `number`) lists its
values once, canonically. Each quantity written in a line is compared with them: it mentions
the value it states (within the wording's interval and the claim's tolerance, in the claim's
unit), the nearest one when several fit. A figure that fits none is not a mention.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checker.base.claims import LocatedClaim
from checker.base.quantities import (
    KINDS_FOR,
    UNITS,
    Kind,
    Quantity,
    Target,
    ValueType,
    convert,
    dates,
    figures,
    ordinals,
    parse_tolerance,
)
from checker.base.text import fold_text
from checker.judgement.matcher import Match, Phrase

_ISO_PREFIX = re.compile(r"((?:1[89]|20)\d{2})-([01]\d)-([0-3]\d)")


@dataclass(frozen=True, slots=True)
class TypedClaim:
    """A typed claim prepared for matching: its values read as targets."""

    claim: str
    kind: Kind
    targets: tuple[tuple[str, Target], ...]
    unit: str
    absolute: float
    relative: float


def typed_claims(claims: Sequence[LocatedClaim]) -> tuple[TypedClaim, ...]:
    """Prepare every typed claim of the ledger for matching."""
    prepared = []
    for located in claims:
        claim = located.claim
        if claim.type is ValueType.TEXT:
            continue
        absolute, relative = parse_tolerance(claim.tolerance) if claim.tolerance else (0.0, 0.0)
        prepared.append(
            TypedClaim(
                claim.id,
                KINDS_FOR[claim.type],
                tuple(sorted(claim.targets().items())),
                _measure(claim.unit),
                absolute,
                relative,
            )
        )
    return tuple(prepared)


def _measure(unit: str | None) -> str:
    """Return a claim's unit of measure; a count noun ("seats", "people") is not one."""
    written = (unit or "").lower()
    return written if written in UNITS or written == "points" else ""


def article_date(metadata: Mapping[str, str]) -> dt.date | None:
    """Return the article's day, when its metadata gives one (front matter, meta, dateline)."""
    for key in ("date", "dateline_date"):
        written = metadata.get(key, "")
        iso = _ISO_PREFIX.match(written)
        if iso is not None:
            try:
                return dt.date(*(int(part) for part in iso.groups()))
            except ValueError:
                continue
        found = [q for q in dates(written) if q.precision == "day"]
        if found:
            return dt.date.fromordinal(int(found[0].low))
    return None


def quantities(text: str, kinds: frozenset[Kind], day: dt.date | None) -> list[Quantity]:
    """Return the quantities of the wanted kinds in a text; a figure inside a date is the date's."""
    found: list[Quantity] = []
    written_dates = dates(text, day)
    if Kind.DATE in kinds:
        found += written_dates
    if kinds & {Kind.NUMBER, Kind.MONEY, Kind.PERCENT}:
        spans = [(q.start, q.end) for q in written_dates if q.precision != "year"]
        found += (
            q
            for q in figures(text)
            if q.kind in kinds and not any(s <= q.start < e for s, e in spans)
        )
    if Kind.ORDINAL in kinds:
        found += ordinals(text)
    return found


def _fits(quantity: Quantity, target: Target, claim: TypedClaim) -> float | None:
    """Return how far a quantity is from a value it may state, or None when it cannot."""
    if quantity.kind is Kind.DATE:
        return _date_distance(quantity, target)
    low, high, figure = quantity.low, quantity.high, quantity.figure
    if quantity.kind is Kind.MONEY and quantity.unit != target.unit:
        return None
    if quantity.kind is Kind.NUMBER:
        unit = target.unit or claim.unit
        if quantity.unit:
            if quantity.unit == "points" or unit == "points":
                if quantity.unit != unit:
                    return None
            else:
                if not unit:
                    return None  # "20 minutes" is not a unitless claim's value
                scale = convert(1.0, quantity.unit, unit)
                if scale is None:
                    return None
                # A converted figure was rounded in its own unit ("45 miles" for 72 km): allow
                # half of its last digit there.
                half = 0.5 if figure == int(figure) else 0.05
                low, high = (low - half) * scale, (high + half) * scale
                figure *= scale
    slack = claim.absolute + claim.relative * abs(target.figure)
    if low - slack <= target.figure <= high + slack:
        return abs(figure - target.figure)
    return None


def _date_distance(quantity: Quantity, target: Target) -> float | None:
    if quantity.precision == "yearless":
        if target.precision != "day":
            return None
        return 0.0 if quantity.figure == target.month_day() else None
    if target.precision == "day":
        if quantity.precision == "day":
            return 0.0 if quantity.figure == target.figure else None
        return None  # "June 2025" does not say which day
    # A month or a year value: a day or month inside it states it ("in May 2023").
    if quantity.precision == "year" and target.precision == "month":
        return None
    if target.figure <= quantity.low and quantity.high <= target.last:
        return 0.0
    return None


def typed_matches(text: str, claims: Sequence[TypedClaim], day: dt.date | None) -> list[Match]:
    """Return each typed claim's value mentions in normalised text, by position."""
    kinds = frozenset(claim.kind for claim in claims)
    found = quantities(text, kinds, day)
    if not found:
        return []
    matches: list[Match] = []
    for claim in claims:
        for quantity in found:
            if quantity.kind is not claim.kind:
                continue
            distances = [
                (distance, value)
                for value, target in claim.targets
                if (distance := _fits(quantity, target, claim)) is not None
            ]
            if not distances:
                continue
            nearest = min(distance for distance, _ in distances)
            written = text[quantity.start : quantity.end]
            for distance, value in distances:
                if distance == nearest:
                    phrase = Phrase(
                        claim.claim,
                        value,
                        written,
                        fold_text(written),
                        False,
                        floor=quantity.floor_only,
                    )
                    matches.append(Match(quantity.start, quantity.end, phrase))
    matches.sort(key=lambda m: (m.start, m.end))
    return matches
