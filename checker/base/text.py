"""Text normalisation and tokenisation that keep a map back to the original offsets."""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters that render as
# nothing, bidi controls, invisible operators, CGJ and variation selectors among them. In
# "Ast\u200eana" they would hide a mention from the matcher while a reader sees "Astana".
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_INVISIBLE = "".join(chr(c) for low, high in DEFAULT_IGNORABLE for c in range(low, high + 1))
INVISIBLE_RE = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in DEFAULT_IGNORABLE) + "]"
)

# Lookalikes NFKC leaves alone, folded before it: apostrophes (` ´ ʹ ʻ ˊ), the modifier minus
# (˗) and the Braille blank, which renders as a space. The hyphen bullet ⁃ opens list items, so
# it is a hyphen only inside a word (`_word_hyphens`).
_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("`\u00b4\u02b9\u02bb\u02ca", "'"),
        "\u02d7": "-",
        "\u2800": " ",
    }
)

_FOLD = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_INVISIBLE, ""),
    }
)

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Plain ASCII with single spaces maps to itself; everything else is a special chunk:
# whitespace runs, non-ASCII runs, a backtick (an apostrophe lookalike), and an ASCII letter
# carrying combining marks.
_SPECIAL = re.compile(rf"\s{{2,}}|[^\S ]|[\x21-\x7e]?[{_COMBINING}]+|`|[^\x21-\x7e\s]+")
# A base character followed by its combining marks is normalised as one unit.
_CLUSTER = re.compile(rf"(?s).[{_COMBINING}]*")

WORD_RE = re.compile(r"\w+")
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def hidden_characters(text: str) -> list[int]:
    """Return where invisible characters hide inside a word, as GitHub flags bidi text.

    Flagged: a bidi control between word characters, or any other invisible character between
    two ASCII letters or digits (where no script needs one). A soft hyphen is a hyphenation
    hint, and joiners inside non-Latin words or emoji have real uses: those are left alone.
    """
    found = []
    for match in INVISIBLE_RE.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        run_end = end
        while run_end < len(text) and INVISIBLE_RE.match(text, run_end):
            run_end += 1
        after = text[run_end] if run_end < len(text) else ""
        char = match.group()
        if char == "\u00ad" or not (before.isalnum() and after.isalnum()):
            continue
        if char in _BIDI_CONTROLS or (before.isascii() and after.isascii()):
            found.append(start)
    return found


def fold_text(text: str) -> str:
    """Return NFKC text with quotes and dashes folded and whitespace collapsed."""
    return normalise(text).text


def fold_key(text: str) -> str:
    """Return the case-insensitive comparison key of a phrase."""
    return fold_text(text).strip().lower()


# Cached: the same few clusters (curly quotes, dashes, accented letters) recur on every line.
@lru_cache(maxsize=4096)
def _fold_chunk(chunk: str) -> str:
    folded = unicodedata.normalize("NFKC", chunk.translate(_LOOKALIKES)).translate(_FOLD)
    if folded.isspace():
        return " "
    if len(folded) > 1 and folded[0].isascii() and _only_marks(folded[1:]):
        # A mark NFKC cannot compose onto an ASCII letter (underline, strike-through) belongs
        # to its letter: it stays in the evidence span and does not count for matching.
        return folded[0]
    return folded


def _only_marks(text: str) -> bool:
    return all(unicodedata.category(char) in ("Mn", "Me") for char in text)


@cache
def _prototypes() -> dict[str, str]:
    """Return the ASCII letter or digit each lookalike letter is confusable with (TR39).

    From the Unicode confusables data that `confusable-homoglyphs` ships, plus the small
    capitals (ᴀʟᴍᴀᴛʏ), which TR39 leaves out. Loaded on first use: ASCII text never needs it.
    """
    data = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    table: dict[str, list[dict[str, str]]] = json.loads(data.read_text("utf-8"))
    found: dict[str, str] = {}
    for char, lookalikes in table.items():
        if len(char) == 1 and char.isascii() and char.isalnum():
            for entry in lookalikes:
                if len(entry["c"]) == 1 and not entry["c"].isascii():
                    found.setdefault(entry["c"], char)
    for char, lookalikes in table.items():
        if len(char) == 1 and not char.isascii():
            for entry in lookalikes:
                if len(entry["c"]) == 1 and entry["c"].isascii() and entry["c"].isalnum():
                    found.setdefault(char, entry["c"])
    for code in range(0x0250, 0x1D2C):
        name = unicodedata.name(chr(code), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == 28:
            found.setdefault(chr(code), name[-1])
    return found


# A letter or digit outside ASCII (a curly apostrophe or a dash is not one).
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W]")


def _non_ascii_words(text: str) -> list[re.Match[str]]:
    """Return the words of a text that hold a letter or digit outside ASCII."""
    if _NON_ASCII_LETTER.search(text) is None:  # curly quotes and dashes only: most lines
        return []
    return [word for word in WORD_RE.finditer(text) if not word.group().isascii()]


def lookalike_words(text: str) -> dict[int, str]:
    """Return, by offset, the ASCII letters that lookalike letters of a word stand for.

    A word counts when every letter NFKC leaves outside ASCII is confusable with an ASCII one
    (TR39): "Аlmаty" with Cyrillic а, "Yі" with Cyrillic і, "ᴀʟᴍᴀᴛʏ". A word in another script
    that merely shares a few shapes with Latin keeps its own letters.
    """
    found: dict[int, str] = {}
    for _, mapped in _lookalike_words(text):
        found.update(mapped)
    return found


def _lookalike_words(text: str) -> list[tuple[re.Match[str], dict[int, str]]]:
    """Return each word spelled with lookalikes, and what its lookalike letters stand for."""
    words = [] if text.isascii() else _non_ascii_words(text)
    if not words:
        return []
    prototypes = _prototypes()
    found = []
    for word in words:
        mapped = {}
        for at in range(word.start(), word.end()):
            char = text[at]
            if char.isascii() or unicodedata.category(char) in ("Mn", "Me"):
                continue
            if unicodedata.normalize("NFKC", char).isascii():
                continue  # fullwidth and mathematical letters: NFKC folds them already
            prototype = prototypes.get(char)
            if prototype is None:
                mapped = {}
                break
            mapped[at] = prototype
        if mapped:
            found.append((word, mapped))
    return found


def _word_hyphens(text: str) -> dict[int, str]:
    """Return the hyphen bullets (⁃) that stand between two letters or digits: hyphens."""
    return {
        at: "-"
        for at, char in enumerate(text)
        if char == "\u2043"
        and 0 < at < len(text) - 1
        and text[at - 1].isalnum()
        and text[at + 1].isalnum()
    }


def mixed_script_words(text: str) -> list[int]:
    """Return where a word writes ASCII letters with lookalikes of them, as a spoof would."""
    flagged = []
    for word, mapped in _lookalike_words(text):
        inside = sorted(mapped)
        ascii_letters = any(c.isascii() and c.isalpha() for c in word.group())
        small_capitals = any(
            unicodedata.name(text[at], "").startswith("LATIN LETTER SMALL") for at in inside
        )
        if ascii_letters or small_capitals:
            flagged.append(inside[0])
    return flagged


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text plus the piecewise map from its offsets to the original's."""

    text: str
    original: str
    # Parallel arrays: piece i starts at norm_starts[i] / orig_starts[i]; an identity piece
    # maps offsets one to one, a replaced piece maps every offset to its start.
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    identity: tuple[bool, ...]

    def _piece(self, norm_offset: int) -> int:
        return bisect_right(self.norm_starts, norm_offset) - 1

    def original_start(self, norm_offset: int) -> int:
        """Map a normalised start offset to the original text."""
        if not self.norm_starts or norm_offset >= len(self.text):
            return len(self.original)
        i = self._piece(norm_offset)
        if self.identity[i]:
            return self.orig_starts[i] + (norm_offset - self.norm_starts[i])
        return self.orig_starts[i]

    def original_end(self, norm_end: int) -> int:
        """Map a normalised end offset (exclusive) to the original text."""
        if norm_end <= 0:
            return 0
        i = self._piece(norm_end - 1)
        if self.identity[i]:
            return self.orig_starts[i] + (norm_end - self.norm_starts[i])
        next_orig = self.orig_starts[i + 1] if i + 1 < len(self.orig_starts) else None
        return len(self.original) if next_orig is None else next_orig


def normalise(original: str) -> Normalised:
    """Normalise text for matching and remember where each piece came from."""
    out: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    identity: list[bool] = []
    norm_len = 0

    def emit(piece: str, orig_at: int, same: bool) -> None:
        nonlocal norm_len
        if not piece:
            return
        if piece == " " and out and out[-1].endswith(" "):
            return  # collapse whitespace that became adjacent after folding
        if (
            same
            and identity
            and identity[-1]
            and (orig_at - orig_starts[-1] == norm_len - norm_starts[-1])
        ):
            out.append(piece)  # extend the current identity piece
        else:
            norm_starts.append(norm_len)
            orig_starts.append(orig_at)
            identity.append(same)
            out.append(piece)
        norm_len += len(piece)

    position = 0
    folds = lookalike_words(original)
    if "\u2043" in original:
        folds.update(_word_hyphens(original))
    for special in _SPECIAL.finditer(original):
        if special.start() > position:
            emit(original[position : special.start()], position, True)
        _emit_special(original, special.start(), special.end(), emit, folds)
        position = special.end()
    if position < len(original):
        emit(original[position:], position, True)
    return Normalised(
        "".join(out), original, tuple(norm_starts), tuple(orig_starts), tuple(identity)
    )


def _emit_special(
    original: str,
    start: int,
    end: int,
    emit: Callable[[str, int, bool], None],
    folds: dict[int, str],
) -> None:
    chunk = original[start:end]
    if chunk.isspace():
        emit(" ", start, chunk == " ")
        return
    # A non-ASCII run may be followed by combining marks; normalise cluster by cluster.
    for cluster in _CLUSTER.finditer(original, start, end):
        prototype = folds.get(cluster.start())
        folded = prototype if prototype is not None else _fold_chunk(cluster.group())
        emit(folded, cluster.start(), folded == cluster.group())


def is_acronym(phrase: str) -> bool:
    """Tell whether an alias is written in capitals and so matches only in capitals."""
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line begins (\\r\\n, \\r and \\n all end a line)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
    return starts


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """Turn an offset into a 1-based line and column (columns count code points)."""
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def match_key(text: str) -> str:
    """Return the caseless form aliases are matched in; it keeps every offset where it was."""
    lowered = text.lower()
    if len(lowered) != len(text):  # 'İ' lowers to 'i' plus a combining dot; keep the 'i'
        lowered = "".join(char.lower()[0] for char in text)
    # Final and medial sigma are one letter; str.lower picks between them by context.
    return lowered.replace("ς", "σ")
