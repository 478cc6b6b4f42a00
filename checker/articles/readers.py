"""The reader seam: one `Reader` per input format maps a file to lines with source positions.

A reader turns an article's text into `SourceLine`s: the text a reader of the page sees, one
paragraph per line, each with a map from its offsets back to the file's own lines and columns
(a wrapped paragraph spans several, an HTML paragraph sits between tags), a hint of its role,
and what the page says about itself. The article parser (`corpus.py`) reads only these, so a
new format is a new reader in `READERS`, not a flag threaded through the parser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from checker.articles.anatomy import is_credit, is_meta, opens_reference_block
from checker.articles.sources import (
    LINE_BREAK,
    Hint,
    InlineWaiver,
    Reader,
    Reading,
    SourceLine,
    _Pieces,
    directive,
)

_MD_HEADING = re.compile(r"#{1,6}[ \t]+")
# A line that opens a Markdown block of its own: a heading, list item, quote, fence, table row,
# rule or HTML block. Such a line never continues the paragraph above it.
_MD_BLOCK = re.compile(
    r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t]|>|```|~~~|\||<)"
)
_MD_LIST = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_MD_RULE = re.compile(r"[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
# A plain-text line that opens a list item or a quote.
_TEXT_BLOCK = re.compile(r"\s*(?:[-*+\u2022\u2023\u25e6\u2043][ \t]|\d{1,9}[.)][ \t]|>)")
# Markdown's inline markup, which a reader never sees: HTML comments, code-span backticks, link
# brackets and targets, emphasis runs (not a list marker's "* ", not snake_case's "_"),
# backslash escapes, and character references.
_MD_COMMENT = re.compile(r"<!--.*?-->")
_MD_CODE = re.compile(r"(`+)(?=[^`\s])([^`]*?[^`\s])\1(?!`)")
_MD_LINK = re.compile(r"(\[)([^\[\]]*)(\]\([^()\s]*\))")
_MD_EMPHASIS = re.compile(r"(?<![\\*_])(?:\*{1,3}|_{1,3})(?![*_])")
_MD_ESCAPE = re.compile(r"\\(?=\S)")
_MD_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Put where markup was: a character normalisation drops, so every offset stays where it was.
_HIDDEN = "\u200b"
# Hard-wrapped copy: most lines end near one width. Wider than this is a paragraph per line.
_MAX_WRAP_WIDTH = 100
_MIN_WRAP_WIDTH = 40
_MIN_WRAPPED_LINES = 4
_STOPS = tuple(".!?:;\"'\u201d\u2019)")


def mask_markup(text: str) -> str:
    """Hide a Markdown line's inline markup from matching, keeping every offset in place.

    "**Wang** Yi", "W*an*g", "Wang&nbsp;Yi", "Wa<!-- -->ng" and "W\\ang" read as a reader sees
    them ("Wang Yi", "Wang"); the evidence still shows the line as written.
    """
    if not any(mark in text for mark in "*_`[<&\\"):
        return text  # most lines carry no markup
    chars = list(text)

    def hide(start: int, end: int) -> None:
        chars[start:end] = _HIDDEN * (end - start)

    for found in _MD_COMMENT.finditer(text):
        hide(*found.span())
    for found in _MD_CODE.finditer(text):
        hide(*found.span(1))
        hide(found.end(2), found.end())
    for found in _MD_LINK.finditer(text):
        hide(*found.span(1))
        hide(*found.span(3))
    for found in _MD_EMPHASIS.finditer(text):
        start, end = found.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isspace() and after.isspace():
            continue  # a lone "*" between spaces, or a list marker: text, not emphasis
        if found.group()[0] == "_" and before.isalnum() and after.isalnum():
            continue  # snake_case: an underscore inside a word is not emphasis
        hide(start, end)
    for found in _MD_ESCAPE.finditer(text):
        hide(*found.span())
    for found in _MD_ENTITY.finditer(text):
        character = html.unescape(found.group())
        if len(character) == 1:
            start, end = found.span()
            chars[start:end] = character + _HIDDEN * (end - start - 1)
    return "".join(chars)


def _waivers(lines: Sequence[SourceLine], path: str) -> tuple[InlineWaiver, ...]:
    """Attach each directive line to the next line with text: the paragraph it waives."""
    waivers: list[InlineWaiver] = []
    pending: list[tuple[int, tuple[str, ...]]] = []
    for line in lines:
        if line.hint is Hint.DIRECTIVE:
            targets = directive(line.text)
            pending.append((line.number, targets or ()))
        elif line.text.strip() and pending:
            for at, targets in pending:
                waivers.append(InlineWaiver(path, at, targets, line.number, line.last_line))
            pending = []
    return tuple(waivers)


def front_matter_end(lines: Sequence[str]) -> int:
    """Return how many lines a Markdown front matter block spans (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return end + 1
    return 0


def _stands_alone(text: str) -> bool:
    """Tell whether a line keeps a role of its own: a byline, a credit, a link block's head."""
    stripped = text.strip()
    return is_meta(stripped) or is_credit(stripped) or opens_reference_block(stripped)


def _widths(line: str) -> tuple[int, int]:
    """Return a line's length in code points and in UTF-8 bytes, trailing spaces left out."""
    stripped = line.rstrip()
    return len(stripped), len(stripped.encode("utf-8", "surrogatepass"))


def wrap_width(lines: Sequence[str]) -> tuple[int, int] | None:
    """Return the width a plain-text file was hard-wrapped at, or None if it was not.

    Decided from the line-length profile: wrapped copy has most of its lines within a few
    characters of one width of at most 100 (`fold -s -w 70`, an editor's 72 or 80), while copy
    written a paragraph per line has lines of every length, many far longer. The width is
    kept in code points (editors) and in bytes (`fold` counts bytes, so a line of curly quotes
    is shorter in characters).
    """
    sizes = [_widths(line) for line in lines if line.strip()]
    if len(sizes) < _MIN_WRAPPED_LINES:  # a few short lines have no profile to read
        return None
    chars, octets = max(n for n, _ in sizes), max(b for _, b in sizes)
    if chars > _MAX_WRAP_WIDTH or octets < _MIN_WRAP_WIDTH:
        return None
    near = sum(1 for n, b in sizes if n >= chars - 15 or b >= octets - 15)
    # A wrapped paragraph's lines mostly end inside a sentence; lines that each hold a whole
    # sentence of similar length (a list, a paragraph per line) mostly end with its stop.
    stops = sum(1 for line in lines if line.rstrip().endswith(_STOPS))
    return (chars, octets) if near * 2 >= len(sizes) and stops * 2 < len(sizes) else None


def _wrapped_continues(line: str, following: str, width: tuple[int, int]) -> bool:
    """Tell whether a hard-wrapped line was broken only because the next word did not fit."""
    if not following.strip() or _TEXT_BLOCK.match(following) or _stands_alone(line):
        return False
    chars, octets = _widths(line)
    word = following.split(maxsplit=1)[0]
    return (
        chars + 1 + len(word) > width[0] - 2
        or octets + 1 + len(word.encode("utf-8", "surrogatepass")) > width[1] - 2
    )


def _markdown_continues(line: str, following: str) -> bool:
    """Tell whether the next Markdown line continues this paragraph (a soft line break)."""
    if not line.strip() or not following.strip() or line.endswith(("  ", "\\")):
        return False  # a blank line ends a paragraph; so does a hard line break as written
    opened = _MD_BLOCK.match(line)
    if opened and not _MD_LIST.match(line):
        return False  # a heading, quote, fence, table row or HTML line is a line of its own
    if _MD_BLOCK.match(following) or _MD_RULE.match(following):
        return False
    return not _stands_alone(line) and not _stands_alone(following)


def join_lines(
    raw: Sequence[str], continues: object, *, skip: int = 0, masked: Sequence[str] | None = None
) -> list[SourceLine]:
    """Join each run of lines that `continues(line, next)` links into one `SourceLine`.

    A joined line reads each line break as one space, and its `SourceMap` keeps every offset
    on its own file line and column.
    """
    assert callable(continues)
    out: list[SourceLine] = []
    index = 0
    while index < len(raw):
        end = index + 1
        if index >= skip:
            while end < len(raw) and continues(raw[end - 1], raw[end]):
                end += 1
        if end == index + 1:
            out.append(SourceLine(index + 1, raw[index], masked=masked[index] if masked else None))
        else:
            pieces = _Pieces()
            hidden: list[str] = []
            for at in range(index, end):
                text, column = raw[at], 1
                if at > index:
                    # A continuation line's indent is layout; the break reads as one space
                    # unless the line above already ends with one (`fold -s` keeps it).
                    lead = len(text) - len(text.lstrip(" \t"))
                    text, column = text[lead:], lead + 1
                    if not raw[at - 1][-1:].isspace():
                        pieces.add(" ", at, len(raw[at - 1]) + 1, 1)
                        hidden.append(" ")
                pieces.add(text, at + 1, column)
                hidden.append((masked[at] if masked else raw[at])[column - 1 :])
            out.append(
                SourceLine(
                    index + 1,
                    "".join(pieces.text),
                    masked="".join(hidden) if masked else None,
                    source=pieces.source(),
                )
            )
        index = end
    return out


class PlainReader:
    """Plain text: a line is a paragraph, unless the file is hard-wrapped (then lines join)."""

    name = "plain"
    version = "2"
    suffixes = (".txt",)
    front_matter = False

    def read(self, text: str, path: str) -> Reading:
        """Read plain text; join a hard-wrapped paragraph's lines."""
        raw = LINE_BREAK.split(text)
        width = wrap_width(raw)
        if width is None:
            lines = [SourceLine(at + 1, line) for at, line in enumerate(raw)]
        else:
            lines = join_lines(raw, lambda a, b: _wrapped_continues(a, b, width))
        lines = [_asdirective(line) for line in lines]
        return Reading(tuple(lines), waivers=_waivers(lines, path))


def _asdirective(line: SourceLine) -> SourceLine:
    if directive(line.text) is None:
        return line
    return SourceLine(line.number, line.text, Hint.DIRECTIVE, line.masked, line.offset, line.source)


class MarkdownReader:
    """Markdown: front matter, `#` headings, inline markup hidden, soft line breaks joined."""

    name = "markdown"
    version = "2"
    suffixes = (".md",)
    front_matter = True

    def read(self, text: str, path: str) -> Reading:
        """Read Markdown as a reader sees it, offset for offset."""
        raw = LINE_BREAK.split(text)
        skip = front_matter_end(raw)
        masked = [line if at < skip else mask_markup(line) for at, line in enumerate(raw)]
        joined = join_lines(raw, _markdown_continues, skip=skip, masked=masked)
        lines: list[SourceLine] = []
        for line in joined:
            if line.number <= skip:
                lines.append(SourceLine(line.number, line.text, Hint.FRONT_MATTER))
                continue
            if directive(line.text) is not None:
                lines.append(_asdirective(line))
                continue
            heading = _MD_HEADING.match(line.text)
            if heading:
                line = SourceLine(
                    line.number, line.text, Hint.HEADING, line.masked, heading.end(), line.source
                )
            lines.append(line)
        return Reading(tuple(lines), waivers=_waivers(lines, path))


READERS: dict[str, Reader] = {reader.name: reader for reader in (PlainReader(), MarkdownReader())}


@dataclass(frozen=True, slots=True)
class Unread:
    """A corpus file no reader takes, and why (an extra to install, or no reader at all)."""

    suffix: str
    reason: str


# Formats crossfact can read with an extra installed, and the extra's name.
_EXTRAS = {".html": "html", ".htm": "html"}
# Formats a newsroom keeps that no reader takes yet: named, so the reason is specific.
_KNOWN = {".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".odt": "OpenDocument", ".rtf": "RTF"}


def _html_reader() -> Reader | None:
    try:
        from checker.articles.html import HtmlReader
    except ImportError:  # the extractor is not installed: `crossfact[html]`
        return None
    return HtmlReader()


def reader_for(path: str) -> Reader | Unread:
    """Return the reader of a file by its name, or why none takes it."""
    suffix = "." + path.rsplit(".", 1)[1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader
    if suffix in _EXTRAS:
        found = _html_reader()
        if found is not None:
            READERS[found.name] = found
            return found
        return Unread(suffix, f"pip install 'crossfact[{_EXTRAS[suffix]}]'")
    if suffix in _KNOWN:
        return Unread(suffix, f"no reader for {_KNOWN[suffix]} files")
    return Unread(suffix or "(none)", "not an article format (.txt, .md, .html)")


def reader_named(name: str) -> Reader:
    """Return a reader by name (a worker process looks the reader up again)."""
    if name not in READERS and name == "html":
        found = _html_reader()
        if found is not None:
            READERS[found.name] = found
    return READERS[name]
