"""The HTML reader (`pip install 'crossfact[html]'`): a page's paragraphs, each in its place.

A linear scanner splits the page into blocks (`<p>`, `<h1>`, `<li>`, `<br>`, ...) and keeps, for
every character of a block's text, the file line and column it came from (character references
included), so evidence points at the HTML line. trafilatura, a maintained extractor, decides
which blocks are the article's text (README "Dependencies" says why it and not jusText or
readability); the others stay in the report as lines outside the article, never dropped in
silence. Title, date, author and address come from the page's own metadata.
"""

from __future__ import annotations

import html
import logging
import re
from bisect import bisect_right
from functools import cache

import trafilatura

from checker.articles.sources import (
    LINE_BREAK,
    Hint,
    InlineWaiver,
    Reading,
    SourceLine,
    SourceMap,
    _Pieces,
    directive,
)
from checker.base.text import fold_key

# Blocks: a paragraph of the page starts and ends at each of these tags.
_BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Raw-text elements whose content is never article text (and may hold any "<").
_SKIPPED = frozenset("script style noscript template svg math title textarea iframe".split())
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]{0,40})")
_TAG_END = re.compile(r"[>\"']")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_LIST_MARK = re.compile(r"[-*#>\s]+")

# The extractor and its helpers log to the root logger's last-resort handler otherwise: the
# engine never prints.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@cache
def _closing(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


class _Block:
    """A block of the page being read: its text pieces and the tag that opened it."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.pieces = _Pieces()


class _Scanner:
    """Splits a page into blocks in one pass; never backtracks, so no page can make it hang."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(found.end() for found in LINE_BREAK.finditer(text))]
        self.blocks: list[tuple[SourceLine, list[tuple[int, tuple[str, ...]]]]] = []
        self.current = _Block("body")
        self.pending: list[tuple[int, tuple[str, ...]]] = []  # directives before the next block

    def place(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of an offset of the page."""
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def data(self, start: int, end: int) -> None:
        """Add the page's text between two offsets: references decoded, breaks as spaces."""
        at = start
        for found in _REFERENCE.finditer(self.text, start, end):
            self._plain(at, found.start())
            line, column = self.place(found.start())
            character = html.unescape(found.group())
            if character.isspace():
                character = " "  # `&nbsp;` and its kin read as a space
            self.current.pieces.add(character, line, column, found.end() - found.start())
            at = found.end()
        self._plain(at, end)

    def _plain(self, start: int, end: int) -> None:
        # A run of whitespace is layout in HTML (a break and the next line's indent): one
        # space, placed where the run starts.
        at = start
        for found in _SPACES.finditer(self.text, start, end):
            if found.group() == " ":
                continue
            line, column = self.place(at)
            self.current.pieces.add(self.text[at : found.start()], line, column)
            line, column = self.place(found.start())
            self.current.pieces.add(" ", line, column, found.end() - found.start())
            at = found.end()
        line, column = self.place(at)
        self.current.pieces.add(self.text[at:end], line, column)

    def flush(self, tag: str) -> None:
        """End the current block and start one opened by `tag`."""
        line = _trimmed(self.current)
        if line is not None:
            self.blocks.append((line, self.pending))
            self.pending = []
        self.current = _Block(tag)

    def scan(self) -> None:
        """Read the whole page."""
        text, at = self.text, 0
        while at < len(text):
            opening = text.find("<", at)
            if opening < 0:
                self.data(at, len(text))
                break
            self.data(at, opening)
            at = self._markup(opening)
        self.flush("body")

    def _markup(self, at: int) -> int:
        """Read the markup that starts at `at`; return where the text goes on."""
        text = self.text
        if text.startswith("<!--", at):
            end = text.find("-->", at + 4)
            end = len(text) if end < 0 else end + 3
            targets = directive(text[at:end])
            if targets is not None:
                self.flush(self.current.tag)
                self.pending.append((self.place(at)[0], targets))
            return end
        if text.startswith(("<!", "<?"), at):
            end = text.find(">", at)
            return len(text) if end < 0 else end + 1
        tag = _TAG.match(text, at)
        if tag is None:
            self.data(at, at + 1)  # a "<" that opens no tag is text
            return at + 1
        end = self._tag_end(tag.end())
        name = tag.group(1).lower()
        closing = text[at + 1] == "/"
        if name in _SKIPPED and not closing:
            found = _closing(name).search(text, end)
            return len(text) if found is None else found.end()
        if name in _BLOCKS:
            self.flush(name if not closing else "body")
        return end

    def _tag_end(self, at: int) -> int:
        """Return the offset past a tag's `>`, stepping over quoted attribute values."""
        text = self.text
        while True:
            found = _TAG_END.search(text, at)
            if found is None:
                return len(text)
            if found.group() == ">":
                return found.end()
            close = text.find(found.group(), found.end())
            if close < 0:
                return len(text)
            at = close + 1


def _trimmed(block: _Block) -> SourceLine | None:
    """Return a block's text without its outer whitespace, as a line; None if it is empty."""
    pieces = block.pieces
    text = "".join(pieces.text)
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    size = len(stripped)
    source = pieces.source()
    starts, lines, columns, widths = [], [], [], []
    for i, start in enumerate(source.starts):
        end = source.starts[i + 1] if i + 1 < len(source.starts) else source.length
        if end <= lead or start >= lead + size:
            continue
        one_to_one = end - start == source.widths[i]
        cut = max(lead - start, 0)
        tail = max(end - (lead + size), 0)
        starts.append(max(start - lead, 0))
        lines.append(source.lines[i])
        columns.append(source.columns[i] + (cut if one_to_one else 0))
        widths.append(source.widths[i] - cut - tail if one_to_one else source.widths[i])
    hint = Hint.HEADING if block.tag in _HEADINGS else Hint.TEXT
    mapped = SourceMap(tuple(starts), tuple(lines), tuple(columns), tuple(widths), size)
    return SourceLine(lines[0], stripped, hint, source=mapped)


def _key(text: str) -> str:
    """Return a block's comparison key: folded, list and heading marks and spacing dropped."""
    return " ".join(_LIST_MARK.sub(" ", fold_key(text)).split())


class HtmlReader:
    """HTML pages: the article's paragraphs by trafilatura, each with its place in the file."""

    name = "html"
    version = f"1+trafilatura-{trafilatura.__version__}"
    suffixes = (".html", ".htm")
    front_matter = False

    def read(self, text: str, path: str) -> Reading:
        """Read a page: its blocks, which of them are the article, and its metadata."""
        scanner = _Scanner(text)
        scanner.scan()
        extracted = trafilatura.extract(
            text, output_format="txt", include_comments=False, include_tables=True
        )
        keep = {_key(line) for line in (extracted or "").splitlines() if line.strip()}
        page = trafilatura.extract_metadata(text)
        metadata = {
            name: value.strip()
            for name, value in (
                ("title", getattr(page, "title", None)),
                ("date", getattr(page, "date", None)),
                ("author", getattr(page, "author", None)),
                ("url", getattr(page, "url", None)),
                ("site", getattr(page, "sitename", None)),
            )
            if isinstance(value, str) and value.strip()
        }
        title = _key(metadata.get("title", ""))
        lines: list[SourceLine] = []
        waivers: list[InlineWaiver] = []
        for line, directives in scanner.blocks:
            key = _key(line.text)
            inside = key in keep or (bool(title) and key == title)
            if not inside:
                line = SourceLine(line.number, line.text, Hint.OUTSIDE, source=line.source)
            lines.append(line)
            waivers += [
                InlineWaiver(path, at, targets, line.number, line.last_line)
                for at, targets in directives
            ]
        return Reading(tuple(lines), metadata, tuple(waivers))
