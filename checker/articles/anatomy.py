"""The anatomy of a line of web or wire copy: its role, and where its prose starts and ends.

Real copy carries more than prose: datelines, bylines and timestamps, share buttons and
reference blocks, photo credits (often on the caption's own line), list markers and
subheadings. Each is recognised from the line's shape, not from a list of sites: capitals and
separators for a dateline, date and time tokens for a meta line, a slash between names in
parentheses for a credit, length and final punctuation for a subheading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from checker.base.lexicon import MONTH_PATTERN


class Role(StrEnum):
    """What a content line is; each role's sentences are read as such."""

    TITLE = "title"
    SUBHEADING = "subheading"
    PROSE = "prose"
    LIST_ITEM = "list-item"
    CAPTION = "caption"


# Roles whose sentences state something: a sentence no claim supports is reported only there
# (a subheading only announces what follows).
STATEMENT_ROLES = frozenset({Role.TITLE, Role.PROSE, Role.LIST_ITEM, Role.CAPTION})

_MONTH = MONTH_PATTERN
# Spaces escaped: the pattern is also used inside a VERBOSE one.
_DATE = rf"(?:{_MONTH}\ \d{{1,2}}(?:,\ \d{{4}})?|\d{{1,2}}\ {_MONTH}(?:\ \d{{4}})?)"
# CITY — / CITY, Month D (Agency) -- / CITY: / City (AFP) - / CITY, Month D. /TASS/. / CITY/Agency –
_DATELINE = re.compile(
    rf"""^\**(?!(?:FT|HT|ET|AET|PENS?|LIVE|BREAKING|UPDATE|UPDATED|WATCH|READ|VIDEO)\b)
    (?P<place>[A-Z][A-Z'.\-]+(?:\ [A-Z][A-Z'.\-]+){{0,3}}
        |[A-Z][a-z]+(?:\ [A-Z][a-z]+)?(?=\ \()
        |[A-Z][a-z]+(?:[\ /][A-Z][a-z]+){{0,2}}(?=,\ {_DATE}\b|(?:,\ [A-Z][a-z]+)?\ \|\ ))
    (?:,\ (?P<region>[A-Z][a-z]+(?:\ [A-Z][a-z]+)?)(?!\ \d))?
    (?:,\ (?P<date>{_DATE}))?
    (?:\ \((?P<agency>[^()]{{2,30}})\)|\.?\ ?/(?P<slashed>[A-Za-z]{{2,15}})/?\.?
        |\ \|\ (?P<piped>[A-Z][A-Za-z.\ ]{{1,30}}?)\ \|)?
    (?:\ ?(?:--|-|–|—|:)|(?<=/\.)|(?<=/)|(?<=\|))\**\ +\**(?=\S)""",
    re.VERBOSE,
)
_LIST_MARKER = re.compile(r"^(?:[-*•‣◦▪]|\d{1,3}[.)]|[a-z][.)])\s+(?=\S)")
# A photographer's credit: "(Agency/Name)", "Photo: X", "Photo credit: X", "Credit: X".
_CREDIT_WORDS = r"(?:[A-Z][\w.'-]*|of|de|van)"
_CREDIT = (
    rf"\((?:{_CREDIT_WORDS}(?: {_CREDIT_WORDS})*)/(?:{_CREDIT_WORDS}(?: {_CREDIT_WORDS})*)\)"
    r"|(?:[Pp]hoto(?: credit)?|[Cc]redit|[Pp]hoto by|[Ff]ile photo|[Ii]mage(?: credit)?)"
    r":?[^.]{0,60}"
)
# A wire story's staff credit: "(Reporting by A; Editing by B)".
_STAFF_CREDIT = (
    r"\((?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled) by [^()]{2,160}\)"
)
# An unbracketed wire photo credit on a line of its own: "JANE DOE/AP PHOTO", "AFP/John Smith
# via Getty Images", "Reuters/Jane Doe". It must end in an agency or a picture word.
_CREDIT_NAME = r"(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,4})"
_PICTURE_END = (
    r"(?:(?: |/)(?:PHOTOS?|Photos?|IMAGES|Images|POOL|Pool)|(?: via Getty Images)"
    r"|/(?:AP|AFP|EPA|REUTERS|Reuters|XINHUA|Xinhua|TASS|ANADOLU|Anadolu|Bloomberg|Getty))"
)
_SLASH_CREDIT = (
    rf"{_CREDIT_NAME}/{_CREDIT_NAME}{_PICTURE_END}"
    rf"|(?:AP|AFP|EPA|REUTERS|Reuters|Xinhua|Anadolu|Getty Images)/{_CREDIT_NAME}"
)
_CREDIT_LINE = re.compile(
    rf"^(?:[-–•*] )?(?:{_CREDIT}|{_STAFF_CREDIT}|(?:{_SLASH_CREDIT})(?: \([^()]{{0,40}}\))?)$"
)
_TRAILING_CREDIT = re.compile(rf"(?<=[.!?\"'”)])\s*(?:{_CREDIT})$")
# A sign-off ("…format.///Agency, 28 April 2025") or a staff credit ends prose, not a caption.
_SIGN_OFF = re.compile(rf"/{{2,}}\s*\S.{{0,60}}$|(?<=[.!?\"'”])\s*{_STAFF_CREDIT}$")
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?(?: [A-Z]{2,4})?"
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"
_META_FIELD = re.compile(
    r"^(?:date|dated|published|updated|last updated|posted|publish(?:ed)? (?:time|date)|time|"
    r"views?|author|editor|source|byline|reporter|writer)\b:?\s*\S",
    re.IGNORECASE,
)
_DATE_OR_TIME = re.compile(rf"{_ISO}|{_DATE}|{_TIME}|\b\d{{4}}\b")
_REFERENCE_HEAD = re.compile(
    r"^(?:references?(?:\(s\))?|sources?|related(?: articles| stories| news)?|read more|"
    r"see also|more on this)\s*:?$",
    re.IGNORECASE,
)
_SUBHEADING_MAX_WORDS = 12
_FINAL = ".!?:;,"


@dataclass(frozen=True, slots=True)
class Dateline:
    """Where and when a wire story was filed, and by whom: metadata, never evidence."""

    text: str
    place: str
    date: str | None
    agency: str | None


@dataclass(frozen=True, slots=True)
class Anatomy:
    """A content line's role and the [start, end) of its prose in the normalised body."""

    role: Role
    start: int
    end: int
    dateline: Dateline | None = None
    credit: str | None = None


def is_meta(text: str) -> bool:
    """Tell whether a line is a byline, timestamp, ticker or metadata line, not prose."""
    stripped = text.strip()
    if _is_ticker(stripped):
        return True
    if _META_FIELD.match(stripped) and len(stripped) <= 160 and not stripped.endswith("."):
        return True
    # Mostly dates and times, with at most a word or two besides ("Xinhua) 08:09, June 19, 2025").
    if not _DATE_OR_TIME.search(stripped):
        return False
    rest = re.sub(r"[\W\d_]+", " ", _DATE_OR_TIME.sub(" ", stripped)).split()
    return len(rest) <= 2 and sum(len(word) for word in rest) <= 16


def _is_ticker(text: str) -> bool:
    """Tell a line of figures ("• KZT/USD = 0.00194 -0%") from prose: no lower-case word and
    mostly digits and symbols."""
    if not text or re.search(r"[a-z]{3}", text):
        return False
    figures = sum(not c.isalpha() and not c.isspace() for c in text)
    return figures * 2 >= len(text.replace(" ", ""))


def is_credit(text: str) -> bool:
    """Tell whether a whole line is a photo credit."""
    return _CREDIT_LINE.match(text.strip()) is not None


def opens_reference_block(text: str) -> bool:
    """Tell whether a line heads a block of references or related links."""
    return _REFERENCE_HEAD.match(text.strip()) is not None


def read_line(body: str, *, title: bool) -> Anatomy:
    """Return a content line's role, its dateline and credit, and where its prose lies."""
    start = len(body) - len(body.lstrip())
    end = len(body.rstrip())
    if title:
        return Anatomy(Role.TITLE, start, end)
    credit = None
    photo = _TRAILING_CREDIT.search(body, start, end)
    trailing = photo or _SIGN_OFF.search(body, start, end)
    if trailing is not None and trailing.start() > start:
        credit = body[trailing.start() : trailing.end()].strip()
        end = len(body[: trailing.start()].rstrip())
    else:
        photo = None
    dateline = None
    found = _DATELINE.match(body, start)
    if found is not None and found.end() < end:
        agency = found.group("agency") or found.group("slashed") or found.group("piped")
        dateline = Dateline(
            text=body[found.start() : found.end()].strip(" *"),
            place=found.group("place").strip(),
            date=found.group("date"),
            agency=agency.strip() if agency else None,
        )
        start = found.end()
    marker = _LIST_MARKER.match(body, start)
    if marker is not None and dateline is None:
        return Anatomy(Role.LIST_ITEM, marker.end(), end, None, credit)
    if photo is not None:  # a caption carries its photographer's credit
        return Anatomy(Role.CAPTION, start, end, dateline, credit)
    prose = body[start:end]
    words = prose.split()
    if (
        dateline is None
        and words
        and len(words) <= _SUBHEADING_MAX_WORDS
        and prose.rstrip("\"'”’)]")[-1:] not in _FINAL
    ):
        return Anatomy(Role.SUBHEADING, start, end, None, credit)
    return Anatomy(Role.PROSE, start, end, dateline, credit)
