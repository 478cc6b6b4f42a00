"""Typed values: read numbers, money, percentages, ordinals and dates by meaning, not spelling.

A typed claim gives each value once, canonically (`$1.5 billion`, `47.1%`, `2025-06-17`, `2nd`,
`72 km`), and the extractor finds every written form of a quantity in a sentence: digits with
thousands separators, number and scale words ("five", "a dozen", "1.5bn"), currency symbols and
codes, percent forms, ordinals, and dates ("June 17", "17 June 2025", "Tuesday", "yesterday").

Two guarantees the alias matcher cannot give:

- a number never matches inside a larger one: "1,000" is not read in "1,000,000", nor "6" in
  "6.4" nor "$5" in "$5.50";
- hedges become intervals: "nearly 80 percent" is [76, 80], "more than 2,000" is (2000, 2200],
  and a rounded figure ("$1.5bn") stands for what rounds to it.

Pure functions over normalised text (`checker.base.text.normalise`): no I/O, no state.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from enum import StrEnum

from checker.base.lexicon import MONTHS, WEEKDAYS


class ValueType(StrEnum):
    """What a claim's values are: text (aliases, the default) or a quantity read by meaning."""

    TEXT = "text"
    NUMBER = "number"
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    ORDINAL = "ordinal"


class Kind(StrEnum):
    """What a written quantity is."""

    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    ORDINAL = "ordinal"
    DATE = "date"


# Which written quantities can state a value of each type.
KINDS_FOR = {
    ValueType.NUMBER: Kind.NUMBER,
    ValueType.COUNT: Kind.NUMBER,
    ValueType.MONEY: Kind.MONEY,
    ValueType.PERCENT: Kind.PERCENT,
    ValueType.ORDINAL: Kind.ORDINAL,
    ValueType.DATE: Kind.DATE,
}

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, float] = {w: float(i) for i, w in enumerate(_SMALL)}
NUMBER_WORDS.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"dozen": 12.0, "hundred": 100.0})
_ORDINAL_SMALL = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(_ORDINAL_SMALL)}
ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100})

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
}
# Scale letters glued to a figure only: "$5m", "1.5bn"; "5 m" is five metres.
_GLUED_ONLY = frozenset({"k", "m", "b"})

# Currency signs and codes, written before the figure ("US$1.5", "USD 1.5") or after it.
CURRENCY_PREFIXES: dict[str, str] = {
    "us$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "rs.": "INR",
    "rs": "INR",
    "r$": "BRL",
}
CURRENCY_CODES = frozenset(
    "USD EUR GBP JPY INR CNY RMB AUD CAD CHF HKD SGD NZD BRL ZAR KRW MXN RUB SEK NOK".split()
)
CURRENCY_WORDS: dict[str, str] = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "yen": "JPY",
    "rupees": "INR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "francs": "CHF",
}
_SAME_CURRENCY = {"RMB": "CNY"}

# Measurement units by dimension, with their size in the dimension's base unit. Count nouns
# ("people", "seats") are not units: a figure followed by one is a plain number.
UNITS: dict[str, tuple[str, float]] = {}
for _dimension, _table in {
    "length": {
        ("km", "kilometre", "kilometres", "kilometer", "kilometers"): 1000.0,
        ("m", "metre", "metres", "meter", "meters"): 1.0,
        ("cm", "centimetre", "centimetres", "centimeter", "centimeters"): 0.01,
        ("mile", "miles", "mi"): 1609.344,
        ("ft", "foot", "feet"): 0.3048,
    },
    "time": {
        ("second", "seconds", "sec", "secs"): 1.0,
        ("minute", "minutes", "min", "mins"): 60.0,
        ("hour", "hours", "hr", "hrs"): 3600.0,
        ("day", "days"): 86400.0,
        ("week", "weeks"): 604800.0,
        ("month", "months"): 2629800.0,
        ("year", "years", "yr", "yrs"): 31557600.0,
    },
    "mass": {
        ("kg", "kilogram", "kilograms", "kilo", "kilos"): 1.0,
        ("gram", "grams"): 0.001,
        ("tonne", "tonnes", "ton", "tons"): 1000.0,
        ("lb", "lbs", "pound", "pounds"): 0.45359237,
    },
    "area": {
        ("hectare", "hectares", "ha"): 10000.0,
        ("acre", "acres"): 4046.8564224,
        ("km2", "sq km"): 1e6,
    },
}.items():
    for _names, _size in _table.items():
        for _name in _names:
            UNITS.setdefault(_name, (_dimension, _size))
# Hedges, longest first: what interval each opens around the stated figure.
HEDGES: dict[str, str] = {
    "approximately": "about",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "nearly",
    "nearly": "nearly",
    "almost": "nearly",
    "just under": "nearly",
    "just over": "over",
    "more than": "over",
    "over": "over",
    "above": "over",
    "upwards of": "over",
    "in excess of": "over",
    "at least": "least",
    "no fewer than": "least",
    "no less than": "least",
    "fewer than": "under",
    "less than": "under",
    "under": "under",
    "below": "under",
    "up to": "most",
    "as many as": "most",
    "at most": "most",
    "no more than": "most",
}
# How far from the figure a hedge reaches, as a share of it.
APPROXIMATE_SHARE = 0.05
BOUND_SHARE = 0.10
# Hedges that give only a floor: the figure may rise, so a mention is provisional.
OPEN_FLOORS = frozenset({"over", "least"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity written in a sentence: its kind, span, figure and the interval it states."""

    kind: Kind
    start: int
    end: int
    figure: float  # the number as written (a date: its proleptic ordinal day)
    low: float
    high: float
    unit: str = ""  # a currency code, a unit of measure, or "" for none
    hedge: str = ""  # the hedge's sense: about, nearly, over, least, under, most
    precision: str = "day"  # dates: day, month or year

    @property
    def floor_only(self) -> bool:
        """Tell whether the wording gives only a floor ("at least 38"): a provisional figure."""
        return self.hedge in OPEN_FLOORS


# ---------------------------------------------------------------------------------------------
# Reading one figure

_DIGITS = r"\d+(?:[.,]\d+)*"
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}")


def parse_digits(text: str) -> float | None:
    """Read digits with the common separators, or None when the run is not one number.

    "1,500" and "1.5" read; "1,50" or "1.500" (an ambiguous single dot group) do not, so a
    figure is never taken from part of a longer number.
    """
    if _GROUPED.fullmatch(text) is None:
        return None
    if text.count(".") >= 2:  # "1.500.000": dots group thousands
        return float(text.replace(".", ""))
    return float(text.replace(",", ""))


def _decimals(text: str) -> int:
    return len(text.rsplit(".", 1)[1]) if "." in text and text.count(".") == 1 else 0


# ---------------------------------------------------------------------------------------------
# Finding quantities in a sentence

_HEDGE_WORDS = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_PREFIXES = "|".join(
    [*sorted((re.escape(p) for p in CURRENCY_PREFIXES), key=len, reverse=True), *CURRENCY_CODES]
)
_SCALE_WORDS = "|".join(sorted(SCALES, key=len, reverse=True))
_NUMBER_WORD = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(_SMALL[1:10]) + r"))?|a dozen|"
    r"a hundred|" + "|".join(sorted([*_SMALL, "dozen", "hundred"], key=len, reverse=True)) + ")"
)
_UNIT_WORDS = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_CURRENCY_AFTER = "|".join([*sorted(CURRENCY_WORDS, key=len, reverse=True), *CURRENCY_CODES])

# One written figure: [hedge] [currency] number [scale] [percent | points | currency | unit].
# A digit run is taken whole ("1,000,000", "6.4") and only then read, so no figure is ever a
# piece of a longer number.
_FIGURE = re.compile(
    rf"(?:\b(?P<hedge>{_HEDGE_WORDS}) )?"
    rf"(?:(?<![\w$])(?P<currency>{_PREFIXES}) ?)?"
    rf"(?:(?<![\w.,])(?<!\d[.,])(?<!\d-)(?P<digits>\d+(?:[.,]\d+)*)"
    # "the 23rd minute", "a 23rd-minute penalty": an ordinal of a time unit is a time mark.
    r"(?:(?:st|nd|rd|th)(?=[- ](?:minutes?|hours?|days?|weeks?|months?|years?)\b))?"
    rf"|\b(?P<words>{_NUMBER_WORD})\b)"
    rf"(?:(?P<glued>{_SCALE_WORDS})\b| (?P<scale>thousand|million|billion|trillion|mn|mln|bn|"
    rf"tn|lakh|crore)\b)?"
    rf"(?: ?(?P<percent>%|percent\b|per ?cent\b|pct\b)"
    rf"| (?P<points>percentage points?|points?)\b"
    rf"| ?(?P<code>{_CURRENCY_AFTER})\b"
    rf"|(?:-| )?(?P<unit>{_UNIT_WORDS})\b)?",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"(?<![\w.,])(?P<digits>\d+)(?P<suffix>st|nd|rd|th)\b|\b(?P<word>"
    + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_MONTH_NAMES = {m.lower()[:3]: i + 1 for i, m in enumerate(MONTHS)}
_MONTH = (
    r"(?P<{name}>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?)"
)
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:1[89]|20)\d{{2}})"
_DATE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<iso>(?:1[89]|20)\d{2}-[01]\d-[0-3]\d)"
    rf"|{_MONTH.format(name='m1')} {_DAY.format(name='d1')}(?![\d:])"
    rf"(?:,? {_YEAR.format(name='y1')})?"
    rf"|{_DAY.format(name='d2')} (?:of )?{_MONTH.format(name='m2')}"
    rf"(?:,? {_YEAR.format(name='y2')})?"
    rf"|{_MONTH.format(name='m3')},? {_YEAR.format(name='y3')}"
    rf"|(?P<weekday>{'|'.join(WEEKDAYS)})"
    r"|(?P<relative>(?i:yesterday|today|tomorrow|last night|tonight))"
    r")(?![\w-])"
)
_BARE_YEAR = re.compile(r"(?<![\w.,$-])(?:1[89]|20)\d{2}(?![\w%-]|[.,]\d)")
# Words before a four-digit figure that make it a year, not a count: "in 2012", "since 1997".
_YEAR_LEAD = re.compile(
    r"\b(?:in|since|until|till|by|from|of|before|after|during|early|late|mid|through|"
    r"between|and|to|season|year|fiscal|FY|" + "|".join(MONTHS) + r")\.?,? $",
    re.IGNORECASE,
)
# Where a figure is part of a time, a score, a version or a code: "11:11", "2-1", "A320".
_GLUED_AFTER = re.compile(r"[:/]\d|-\d|[A-Za-z]")


def figures(text: str) -> list[Quantity]:
    """Return every number, amount and percentage written in normalised text, by position.

    A four-digit figure that reads as a year ("in 2012") is left to `dates`.
    """
    found: list[Quantity] = []
    for match in _FIGURE.finditer(text):
        quantity = _figure(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _figure(text: str, match: re.Match[str]) -> Quantity | None:
    digits, words = match.group("digits"), match.group("words")
    if digits is not None:
        figure = parse_digits(digits)
        number_start, number_end = match.span("digits")
        if figure is None or (number_start and text[number_start - 1] in ":/"):
            return None
        decimals = _decimals(digits)
    else:
        figure = _word_number(words)
        number_start, number_end = match.span("words")
        decimals = 0
    glued, scale_word = match.group("glued"), match.group("scale")
    currency, code = match.group("currency"), match.group("code")
    scale_name = (glued or scale_word or "").lower()
    if glued is not None and scale_name in _GLUED_ONLY and not (currency or code):
        return None  # "5m" or "3k" without money: metres, a race, a code; not read
    if match.end() == number_end and _GLUED_AFTER.match(text, number_end):
        return None  # a bare figure glued to a time, score, version or code
    scale = SCALES.get(scale_name, 1.0)
    kind, unit = Kind.NUMBER, ""
    if currency:
        kind = Kind.MONEY
        unit = CURRENCY_PREFIXES.get(currency.lower()) or currency.upper()
    elif code:
        kind = Kind.MONEY
        unit = CURRENCY_WORDS.get(code.lower()) or code.upper()
    unit = _SAME_CURRENCY.get(unit, unit)
    if match.group("percent") is not None:
        if kind is Kind.MONEY:
            return None
        kind = Kind.PERCENT
    elif match.group("points") is not None and kind is Kind.NUMBER:
        unit = "points"
    elif match.group("unit") is not None and kind is Kind.NUMBER:
        unit = match.group("unit").lower()
    if kind is Kind.NUMBER and not unit and scale == 1.0:
        if digits is not None and _is_year_figure(text, number_start, digits):
            return None
        if (
            words is not None
            and words.lower() == "one"
            and text[number_end : number_end + 3] in (" of",)
        ):
            return None  # "one of the victims": not a figure
    value = figure * scale
    # A rounded figure stands for what rounds to it: "$1.5bn" is 1.45–1.55 billion, "47%" is
    # 46.5–47.5; a whole count with no scale word is exact.
    if scale != 1.0 or kind is Kind.PERCENT or decimals:
        rounding = 0.5 * 10.0 ** (-decimals) * scale
    else:
        rounding = 0.0
    hedge_text = match.group("hedge")
    hedge = HEDGES[hedge_text.lower()] if hedge_text else ""
    low, high = _interval(value, rounding, hedge)
    start, end = match.span()
    while end > start and text[end - 1] == " ":
        end -= 1
    return Quantity(kind, start, end, value, low, high, unit, hedge)


def _word_number(words: str) -> float:
    lowered = words.lower().removeprefix("a ")
    if "-" in lowered:
        tens, ones = lowered.split("-", 1)
        return NUMBER_WORDS[tens] + NUMBER_WORDS[ones]
    return NUMBER_WORDS[lowered]


def _is_year_figure(text: str, start: int, digits: str) -> bool:
    if len(digits) != 4 or not digits.isdigit() or not 1800 <= int(digits) <= 2100:
        return False
    return _YEAR_LEAD.search(text[max(0, start - 12) : start]) is not None


def _interval(value: float, rounding: float, hedge: str) -> tuple[float, float]:
    size = abs(value)
    if hedge == "about":
        reach = max(rounding, APPROXIMATE_SHARE * size)
        return value - reach, value + reach
    if hedge == "nearly":
        return value - max(rounding, APPROXIMATE_SHARE * size), value + rounding
    if hedge in ("over", "least"):
        return value - rounding, value + max(rounding, BOUND_SHARE * size)
    if hedge in ("under", "most"):
        return value - max(rounding, BOUND_SHARE * size), value + rounding
    return value - rounding, value + rounding


def ordinals(text: str) -> list[Quantity]:
    """Return every ordinal written in normalised text ("2nd", "second")."""
    found = []
    for match in _ORDINAL.finditer(text):
        if match.group("digits") is not None:
            number = float(match.group("digits"))
        else:
            number = float(ORDINAL_WORDS[match.group("word").lower()])
        found.append(Quantity(Kind.ORDINAL, match.start(), match.end(), number, number, number))
    return found


def dates(text: str, article_date: dt.date | None = None) -> list[Quantity]:
    """Return every date written in normalised text, as the days it may mean.

    A date without a year takes the article's; a weekday is the one within the week before
    the article's date (news reports what happened), "yesterday" the day before it. Without an
    article date, weekdays and relative days are not read.
    """
    found: list[Quantity] = []
    for match in _DATE.finditer(text):
        quantity = _date(match, article_date)
        if quantity is not None:
            found.append(quantity)
    taken = [(q.start, q.end) for q in found]
    for match in _BARE_YEAR.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        year = int(match.group())
        first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        found.append(
            Quantity(Kind.DATE, match.start(), match.end(), first, first, last, precision="year")
        )
    found.sort(key=lambda q: (q.start, q.end))
    return found


def _date(match: re.Match[str], article_date: dt.date | None) -> Quantity | None:
    start, end = match.span()
    if match.group("iso"):
        day = _safe_date(*(int(p) for p in match.group("iso").split("-")))
        return None if day is None else _day(day, start, end)
    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if match.group(m) is not None:
            month = _MONTH_NAMES[match.group(m).lower()[:3]]  # "Sept." is "sep"
            year_text = match.group(y)
            if year_text is None and article_date is None:
                # No year to anchor it: the day is every year's; match on month and day.
                return _yearless(start, end, month, int(match.group(d)))
            year = int(year_text) if year_text else _nearest_year(article_date, month)
            day = _safe_date(year, month, int(match.group(d)))
            return None if day is None else _day(day, start, end)
    if match.group("m3") is not None:
        month = _MONTH_NAMES[match.group("m3").lower()[:3]]
        year = int(match.group("y3"))
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return Quantity(
            Kind.DATE,
            start,
            end,
            first.toordinal(),
            first.toordinal(),
            last.toordinal(),
            precision="month",
        )
    if article_date is None:
        return None
    if match.group("weekday") is not None:
        weekday = WEEKDAYS.index(match.group("weekday"))
        if _FUTURE.search(match.string, max(0, start - 60), start):
            # "will meet on Tuesday", "next Tuesday": the one after the article's day.
            ahead = (weekday - article_date.weekday()) % 7 or 7
            return _day(article_date + dt.timedelta(days=ahead), start, end)
        back = (article_date.weekday() - weekday) % 7
        return _day(article_date - dt.timedelta(days=back), start, end)
    relative = match.group("relative").lower()
    shift = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}[relative]
    return _day(article_date + dt.timedelta(days=shift), start, end)


# Words before a weekday that put it ahead of the article's day, in the same clause.
_FUTURE = re.compile(
    r"\b(?:will|shall|next|is due|are due|due to|set to|scheduled|to be held|upcoming|"
    r"is expected to|are expected to|plans? to)\b[^.;:!?]*$",
    re.IGNORECASE,
)


def _nearest_year(article_date: dt.date | None, month: int) -> int:
    assert article_date is not None
    # "December 30" in a January article is last year's.
    if month - article_date.month > 6:
        return article_date.year - 1
    if article_date.month - month > 6:
        return article_date.year + 1
    return article_date.year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(day: dt.date, start: int, end: int) -> Quantity:
    number = float(day.toordinal())
    return Quantity(Kind.DATE, start, end, number, number, number)


# A yearless date is encoded as a negative month-day key so it can only equal another one.
def _yearless(start: int, end: int, month: int, day: int) -> Quantity:
    key = -float(month * 100 + day)
    return Quantity(Kind.DATE, start, end, key, key, key, precision="yearless")


# ---------------------------------------------------------------------------------------------
# Canonical values


@dataclass(frozen=True, slots=True)
class Target:
    """A typed claim value as the ledger gives it: its kind, figure, unit and tolerance."""

    kind: Kind
    figure: float
    unit: str = ""
    precision: str = "day"  # dates: day, month or year
    last: float = 0.0  # dates: the last day a month or year value covers

    def month_day(self) -> float:
        """Return the yearless key of a day value (matches "June 17" in an undated article)."""
        day = dt.date.fromordinal(int(self.figure))
        return -float(day.month * 100 + day.day)


class ValueError_(ValueError):
    """A typed value that cannot be read as its type."""


_ISO_DATE = re.compile(r"((?:1[89]|20)\d{2})(?:-([01]\d)(?:-([0-3]\d))?)?")
_SCIENTIFIC = re.compile(
    r"(?P<number>\d+(?:\.\d+)?(?:e\d+)?)\s*(?P<unit>[A-Za-z]{3})?", re.IGNORECASE
)


def parse_target(value_type: ValueType, text: str, unit: str | None = None) -> Target:
    """Read a canonical value of a typed claim; raise ValueError_ with a reason if it is not."""
    written = text.strip()
    if value_type is ValueType.DATE:
        return _date_target(written)
    if value_type is ValueType.ORDINAL:
        found = ordinals(written)
        if len(found) != 1 or (found[0].start, found[0].end) != (0, len(written)):
            raise ValueError_(f"{written!r} is not an ordinal (write it as 1st, 2nd, 3rd …)")
        return Target(Kind.ORDINAL, found[0].figure)
    kind = KINDS_FOR[value_type]
    noun = _counted_noun(written, unit) if kind is Kind.NUMBER else ""
    if noun:
        # "410 seats": a count of things, not a measure; the figure is what is compared.
        written = written[: -len(noun)].rstrip()
    scientific = _SCIENTIFIC.fullmatch(written)
    if scientific is not None and "e" in scientific.group("number").lower():
        code = (scientific.group("unit") or "").upper()
        if kind is Kind.MONEY and code not in CURRENCY_CODES:
            raise ValueError_(f"{written!r} needs a currency code, such as 1.5e9 USD")
        return Target(kind, float(scientific.group("number")), code)
    found = [q for q in figures(written) if (q.start, q.end) == (0, len(written))]
    if not found:
        raise ValueError_(_not_a(value_type, written))
    quantity = found[0]
    if quantity.hedge:
        raise ValueError_(f"{written!r} is hedged; give the figure and use `tolerance`")
    if kind is Kind.NUMBER and quantity.kind is not Kind.NUMBER:
        raise ValueError_(_not_a(value_type, written))
    if quantity.kind is not kind:
        raise ValueError_(_not_a(value_type, written))
    target_unit = quantity.unit
    if kind is Kind.NUMBER:
        if target_unit and target_unit not in UNITS and target_unit != "points":
            raise ValueError_(f"{written!r}: unknown unit {target_unit!r}")
        if not target_unit and unit:
            target_unit = unit.lower()
        if noun or target_unit not in UNITS:
            target_unit = "" if target_unit != "points" else target_unit
    return Target(kind, quantity.figure, target_unit)


_TRAILING_WORD = re.compile(r" ([A-Za-z][A-Za-z-]*)$")


def _counted_noun(written: str, unit: str | None) -> str:
    """Return a trailing count noun of a value ("410 seats"), or "" when there is none."""
    found = _TRAILING_WORD.search(written)
    if found is None:
        return ""
    word = found.group(1).lower()
    if word in UNITS or word in SCALES or word in CURRENCY_WORDS or word in _PERCENT_WORDS:
        return ""
    if unit is not None and word != unit.lower() and unit.lower() in UNITS:
        return ""
    return found.group(0)


_PERCENT_WORDS = frozenset({"percent", "pct", "cent", "points", "point"})


def _not_a(value_type: ValueType, written: str) -> str:
    shapes = {
        ValueType.NUMBER: "a number such as 6.8 or 72 km",
        ValueType.COUNT: "a count such as 3,145",
        ValueType.MONEY: "an amount such as $1.5 billion or 1.5e9 USD",
        ValueType.PERCENT: "a percentage such as 47.1%",
    }
    return f"{written!r} is not {shapes[value_type]}"


def _date_target(written: str) -> Target:
    iso = _ISO_DATE.fullmatch(written)
    if iso is None:
        found = [q for q in dates(written) if (q.start, q.end) == (0, len(written))]
        if not found or found[0].precision == "yearless":
            raise ValueError_(f"{written!r} is not a date (write 2025-06-17, 2025-06 or 2025)")
        quantity = found[0]
        return Target(Kind.DATE, quantity.low, precision=quantity.precision, last=quantity.high)
    year, month, day = (int(p) if p else None for p in iso.groups())
    assert year is not None
    try:
        if month is None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            return Target(Kind.DATE, first.toordinal(), precision="year", last=last.toordinal())
        if day is None:
            first = dt.date(year, month, 1)
            last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            return Target(Kind.DATE, first.toordinal(), precision="month", last=last.toordinal())
        exact = dt.date(year, month, day).toordinal()
    except ValueError as error:
        raise ValueError_(f"{written!r} is not a date: {error}") from None
    return Target(Kind.DATE, exact, last=exact)


def parse_tolerance(text: str) -> tuple[float, float]:
    """Read a tolerance: "0.5" (absolute) or "2%" (relative); return (absolute, relative)."""
    written = text.strip()
    relative = written.endswith("%")
    number = written.removesuffix("%").strip()
    try:
        amount = float(number)
    except ValueError:
        raise ValueError_(f"tolerance {written!r} is not a number or a percentage") from None
    if amount < 0 or math.isnan(amount) or math.isinf(amount):
        raise ValueError_(f"tolerance {written!r} must be a finite number of at least 0")
    return (0.0, amount / 100) if relative else (amount, 0.0)


def convert(figure: float, unit: str, to: str) -> float | None:
    """Convert a figure between units of one dimension, or None when they cannot compare."""
    if unit == to:
        return figure
    source, target = UNITS.get(unit), UNITS.get(to)
    if source is None or target is None or source[0] != target[0]:
        return None
    return figure * source[1] / target[1]
