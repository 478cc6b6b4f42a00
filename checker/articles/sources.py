"""The records every reader makes: lines with a map back to the file, inline waiver comments.

Kept apart from the readers themselves (`readers.py`, `html.py`) so that an optional reader
imports these without importing the registry that loads it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# `<!-- crossfact: ignore [targets] -->` on a line of its own; see `InlineWaiver`.
_DIRECTIVE = re.compile(r"\s*<!--\s*crossfact:\s*ignore\b([^<>]{0,500}?)-->\s*")
_TARGET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def file_position(number: int, source: SourceMap | None, column: int) -> tuple[int, int]:
    """Return the file line and column of a 1-based column of line `number`'s text."""
    return (number, column) if source is None else source.start(column - 1)


def file_end_position(number: int, source: SourceMap | None, end: int) -> tuple[int, int]:
    """Return the file line and column just past a 1-based end column of line `number`."""
    return (number, end) if source is None else source.end(end - 1)


class Hint(StrEnum):
    """What a reader knows of a line from the file's own structure (not from its shape)."""

    TEXT = "text"  # a paragraph: the anatomy decides its role from its shape
    HEADING = "heading"  # a Markdown `#` heading or an HTML <h1>-<h6>
    FRONT_MATTER = "front-matter"
    DIRECTIVE = "directive"  # an inline waiver comment
    OUTSIDE = "outside"  # an HTML block the extractor does not take as the article's text


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each piece of a line's text sits in the file.

    Piece i starts at text offset `starts[i]`, on file line `lines[i]`, column `columns[i]`
    (1-based, in code points), and covers `widths[i]` characters of the file; a piece whose
    width equals its text length maps one to one, any other (an HTML character reference, a
    line break read as a space) maps every offset to its start.
    """

    starts: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]
    widths: tuple[int, ...]
    length: int  # of the line's text

    def _piece(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def _size(self, i: int) -> int:
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.length
        return end - self.starts[i]

    def start(self, offset: int) -> tuple[int, int]:
        """Return the file line and column of a text offset."""
        i = self._piece(offset)
        if self._size(i) == self.widths[i]:
            return self.lines[i], self.columns[i] + offset - self.starts[i]
        return self.lines[i], self.columns[i]

    def end(self, end: int) -> tuple[int, int]:
        """Return the file line and column just past a text end offset (exclusive)."""
        i = self._piece(max(end - 1, 0))
        if self._size(i) == self.widths[i]:
            return self.lines[i], self.columns[i] + end - self.starts[i]
        return self.lines[i], self.columns[i] + self.widths[i]


class _Pieces:
    """Builds a line's text and its `SourceMap` piece by piece."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.columns: list[int] = []
        self.widths: list[int] = []
        self.length = 0

    def add(self, text: str, line: int, column: int, width: int | None = None) -> None:
        """Append text read from the file at (line, column), `width` file characters wide."""
        if not text:
            return
        width = len(text) if width is None else width
        one_to_one = width == len(text)
        if (
            one_to_one
            and self.starts
            and self.lines[-1] == line
            and self.widths[-1] == self.length - self.starts[-1]
            and self.columns[-1] + self.widths[-1] == column
        ):
            self.widths[-1] += width  # extends the one-to-one piece before it
        else:
            self.starts.append(self.length)
            self.lines.append(line)
            self.columns.append(column)
            self.widths.append(width)
        self.text.append(text)
        self.length += len(text)

    def source(self) -> SourceMap:
        """Return the map of what was added."""
        return SourceMap(
            tuple(self.starts), tuple(self.lines), tuple(self.columns), tuple(self.widths),
            self.length,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line as the parser reads it: a paragraph's text, with where it sits in the file.

    `text` is what the file says, markup included where a reader of the file would see it
    (a wrapped paragraph's line breaks read as spaces); `masked` is the same text with markup a
    reader never sees hidden, offset for offset; the body starts at `offset` (after a Markdown
    heading marker). `source` is None when the text is the file's line `number` as it stands.
    """

    number: int
    text: str
    hint: Hint = Hint.TEXT
    masked: str | None = None
    offset: int = 0
    source: SourceMap | None = None

    def position(self, column: int) -> tuple[int, int]:
        """Return the file line and column of a 1-based column of `text`."""
        return file_position(self.number, self.source, column)

    def end_position(self, end_column: int) -> tuple[int, int]:
        """Return the file line and column just past a 1-based end column of `text`."""
        return file_end_position(self.number, self.source, end_column)

    @property
    def last_line(self) -> int:
        """Return the file line the text ends on."""
        return self.number if self.source is None else max(self.source.lines)


@dataclass(frozen=True, slots=True)
class InlineWaiver:
    """`<!-- crossfact: ignore [targets] -->`: waive the findings in the paragraph below it.

    Targets are claim ids, finding kinds or codes (`meeting-location`, `stray`, `CF005`); none
    waives every finding located in the paragraph (file lines `first` to `last`).
    """

    path: str
    line: int  # of the comment
    targets: tuple[str, ...]
    first: int
    last: int

    def covers(self, path: str, line: int, names: Sequence[str]) -> bool:
        """Tell whether a finding at `path:line` named by `names` is waived by this comment."""
        return (
            path == self.path
            and self.first <= line <= self.last
            and (not self.targets or any(name in self.targets for name in names))
        )


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader makes of a file: its lines, and what the page says about itself."""

    lines: tuple[SourceLine, ...]
    metadata: dict[str, str] = field(default_factory=dict)  # title, date, author, url
    waivers: tuple[InlineWaiver, ...] = ()


class Reader(Protocol):
    """Reads one input format. `version` goes into the cache key with `name`."""

    name: str
    version: str
    suffixes: tuple[str, ...]
    front_matter: bool  # the file may open with YAML front matter (parsed by the corpus)

    def read(self, text: str, path: str) -> Reading:
        """Map a decoded file to its lines."""
        ...


def directive(text: str) -> tuple[str, ...] | None:
    """Return an inline waiver comment's targets, or None when the line is not one."""
    if "crossfact" not in text:
        return None
    found = _DIRECTIVE.fullmatch(text)
    if found is None:
        return None
    return tuple(_TARGET.findall(found.group(1).replace(",", " ")))
