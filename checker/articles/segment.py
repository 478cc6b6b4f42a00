"""Split a normalised paragraph into sentences with regular expressions and word lists."""

from __future__ import annotations

import re

# Titles precede a name, so a period after them never ends a sentence.
TITLES = frozenset(
    "mr mrs ms dr prof st mt ft gen sen rep gov lt col capt cpt sgt cmdr adm rev hon pres supt "
    "messrs mme mlle sr jr del assemb".split()
)
# These come before a number: "p. 55", "No. 5".
BEFORE_NUMBER = frozenset("p pp no nos n° vol vols fig figs art sec ch para approx ed eds".split())
# These may end a sentence or sit inside one; only a typical sentence opener after them splits.
MAY_END = frozenset(
    "co corp inc ltd llc plc bros etc al jr sr esq dept univ assn ave blvd rd hwy "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "vs approx est min max misc".split()
)
STARTERS = frozenset(
    "i you he she it we they the a an this that these those there here his her its our their my "
    "your how what why when where who whom whose which did do does is are was were can could will "
    "would should shall may might must has have had but and so yet or if however meanwhile then "
    "now today yesterday still also some many most all no not one both each every such although "
    "though thus hence instead next first second finally later earlier".split()
)

_TERMINAL = re.compile(r"""(?:\.(?: \.)+|[.!?…]+)["')\]]*(?=\s|$)""")
_SPACES = re.compile(r"\s*")
_LOOKAHEAD = 64
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_BULLETS = "•⁃◦▪‣"
_LIST_MARKER = re.compile(
    rf"(?<![^\s{_BULLETS}])(?:(\d{{1,3}})(?:\.\)|\)|\.)|([a-z])\.)(?=\s+[A-Z])"
)
_BULLET_CHARS = frozenset(_BULLETS)
_BULLET = re.compile(rf"(?<=\S)\s*[{_BULLETS}]")


def _opens_sentence(after: str) -> bool:
    head = after[:1]
    if head.isupper() or head.isdigit():
        return True
    return head in "\"'([" and after[1:2].isupper()


def _next_word(after: str) -> str:
    match = re.match(r"[\"'(\[]*(\w+)", after)
    return match.group(1).lower() if match else ""


def _word_before(text: str, at: int) -> str:
    # Split a short window, not the whole paragraph: a word is rarely longer than the window.
    window = text[max(0, at - _LOOKAHEAD) : at]
    parts = window.rsplit(None, 1)
    if len(window) == _LOOKAHEAD and len(parts) < 2 and not window[:1].isspace():
        start = at
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        return text[start:at].lstrip("\"'([")
    word = parts[-1] if parts and not window[-1:].isspace() else ""
    return word.lstrip("\"'([")


def _period_splits(word: str, after: str) -> bool:
    lowered = word.lower()
    if lowered in TITLES:
        return False
    if lowered in BEFORE_NUMBER and after[:1].isdigit():
        return False
    is_initial = len(word) == 1 and word.isalpha()
    if is_initial or lowered in MAY_END or _DOTTED_ACRONYM.match(word):
        return _opens_sentence(after) and _next_word(after) in STARTERS
    return _opens_sentence(after)


def _boundary(text: str, match: re.Match[str]) -> int | None:
    """Return where the sentence ends for a terminal-punctuation match, if it ends there."""
    start, end = match.span()
    # Look only a few characters ahead: copying the rest of a long paragraph is quadratic.
    ahead = _SPACES.match(text, end).end()
    after = text[ahead : ahead + _LOOKAHEAD]
    if not after or (start > 0 and text[start - 1] == "["):
        return None
    run = match.group().rstrip("\"')]")
    attached = start > 0 and not text[start - 1].isspace()
    if "!" in run or "?" in run or "…" in run:
        return end if not after[:1].islower() else None
    if " " in run:  # a spaced ellipsis ". . ."
        if not _opens_sentence(after):
            return None
        if attached:
            return start + 1  # "compounds. . . . The": the period ends it, the ellipsis opens on
        return end if run.count(".") >= 4 else None
    if len(run) > 1:
        return end if _opens_sentence(after) else None
    return end if _period_splits(_word_before(text, start), after) else None


def _list_markers(text: str) -> list[re.Match[str]]:
    """Return the markers of numbered or lettered lists: runs of consecutive ordinals."""
    in_lists: list[re.Match[str]] = []
    previous: re.Match[str] | None = None
    for marker in _LIST_MARKER.finditer(text):
        if previous is not None and _ordinal(marker) == _ordinal(previous) + 1:
            if not in_lists or in_lists[-1] is not previous:
                in_lists.append(previous)
            in_lists.append(marker)
        previous = marker
    return in_lists


def _ordinal(marker: re.Match[str]) -> int:
    number, letter = marker.groups()
    return int(number) if number else ord(letter) - ord("a") + 1


def _before_bullet(text: str, at: int) -> int:
    """Move a cut back over the bullet that introduces a list item."""
    start = at
    while start > 0 and text[start - 1] in f" {_BULLETS}":
        start -= 1
    return start if any(c in _BULLETS for c in text[start:at]) else at


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) spans of the sentences of one paragraph, trimmed."""
    if not text or text.isspace():  # blank lines between paragraphs are most of the calls
        return []
    markers = _list_markers(text)
    inside_marker = {i for m in markers for i in range(*m.span())}
    cuts = {
        b
        for m in _TERMINAL.finditer(text)
        if m.start() not in inside_marker and (b := _boundary(text, m)) is not None
    }
    if not _BULLET_CHARS.isdisjoint(text):  # the bullet pattern is slow; most lines have none
        cuts |= {m.start() for m in _BULLET.finditer(text)}
    cuts |= {_before_bullet(text, m.start()) for m in markers[1:]}
    spans: list[tuple[int, int]] = []
    begin = 0
    for cut in [*sorted(cuts), len(text)]:
        piece = text[begin:cut]
        stripped = piece.strip()
        if stripped:
            left = begin + (len(piece) - len(piece.lstrip()))
            spans.append((left, left + len(stripped)))
        begin = cut
    return spans
