"""Parse article text into titled, boilerplate-free sentences that remember their positions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from checker.articles.anatomy import (
    Anatomy,
    Role,
    is_credit,
    is_meta,
    opens_reference_block,
    read_line,
)
from checker.articles.boilerplate import Boilerplate, sentence_like
from checker.articles.readers import READERS, front_matter_end, reader_named
from checker.articles.segment import split_sentences
from checker.articles.sources import (
    LINE_BREAK,
    Hint,
    InlineWaiver,
    Reader,
    Reading,
    SourceLine,
    SourceMap,
    file_end_position,
    file_position,
)
from checker.base.errors import ClaimFileError, CorpusError
from checker.base.ledger import load_plain
from checker.base.lexicon import YEAR_PATTERN
from checker.base.quantities import dates
from checker.base.text import Normalised, fold_key, normalise

_TITLE_MAX_WORDS = 30
_YEAR = re.compile(rf"\b{YEAR_PATTERN}-\d{{2}}-\d{{2}}\b|\b{YEAR_PATTERN}\b")
MAX_SENTENCES = 200_000  # a long book chapter has a few thousand


class LineKind(StrEnum):
    """What a line of an article is: content, or one of the kinds that are never sentences."""

    CONTENT = "content"
    BLANK = "blank"
    BOILERPLATE = "boilerplate"  # page chrome: share buttons, navigation, "Advertisement"
    META = "meta"  # bylines, timestamps, "Views: … Author: …"
    CREDIT = "credit"  # a photo credit on a line of its own
    REFERENCE = "reference"  # the links under "Reference(s):" or "Related:"
    REPEATED_TITLE = "repeated-title"
    FRONT_MATTER = "front-matter"
    WAIVER = "inline-waiver"  # `<!-- crossfact: ignore … -->` on a line of its own
    OUTSIDE = "outside-article"  # an HTML block the extractor does not take as the text


DROPPED_KINDS = frozenset(
    {
        LineKind.BOILERPLATE,
        LineKind.META,
        LineKind.CREDIT,
        LineKind.REFERENCE,
        LineKind.REPEATED_TITLE,
        LineKind.WAIVER,
        LineKind.OUTSIDE,
    }
)


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of the article; `body` is its normalised text after any markup prefix.

    `number` is the file line it starts on, and columns count in `text`; `source` maps them to
    the file's own lines and columns when the paragraph spans several (a wrapped paragraph) or
    is not the file's text as it stands (HTML). `position` gives the file's place.
    """

    number: int
    text: str
    kind: LineKind
    body: Normalised
    offset: int  # where `body` starts in `text` (a Markdown heading marker is skipped)
    anatomy: Anatomy | None = None  # content lines: role, dateline, credit, prose span
    source: SourceMap | None = None

    def column(self, body_offset: int) -> int:
        """Return the 1-based column, in code points, of a normalised body offset."""
        return self.offset + self.body.original_start(body_offset) + 1

    def end_column(self, body_end: int) -> int:
        """Return the 1-based column just past a normalised body end offset."""
        return self.offset + self.body.original_end(body_end) + 1

    def position(self, column: int) -> tuple[int, int]:
        """Return the file line and column of a 1-based column of `text`."""
        return file_position(self.number, self.source, column)

    def end_position(self, end_column: int) -> tuple[int, int]:
        """Return the file line and column just past a 1-based end column of `text`."""
        return file_end_position(self.number, self.source, end_column)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: a span of one line's normalised body."""

    index: int
    line: Line
    start: int
    end: int
    is_title: bool

    @property
    def role(self) -> Role:
        """Return the role of the sentence's line."""
        return Role.TITLE if self.is_title or self.line.anatomy is None else self.line.anatomy.role

    @property
    def normalised(self) -> str:
        """Return the sentence's normalised text."""
        return self.line.body.text[self.start : self.end]

    @property
    def text(self) -> str:
        """Return the sentence exactly as the article spells it."""
        column, end_column = self.line.column(self.start), self.line.end_column(self.end)
        return self.line.text[column - 1 : end_column - 1]

    @property
    def column(self) -> int:
        """Return the sentence's 1-based start column."""
        return self.line.column(self.start)


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article."""

    id: str
    path: str
    title: str
    lines: tuple[Line, ...]
    sentences: tuple[Sentence, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    waivers: tuple[InlineWaiver, ...] = ()  # inline `crossfact: ignore` comments

    @property
    def mapped(self) -> bool:
        """Tell whether some line's columns are not the file's own (see `Line.source`)."""
        return any(line.source is not None for line in self.lines)


def decode_article(data: bytes, path: str) -> str:
    """Decode an article as UTF-8 (a BOM is accepted), naming the byte offset of any error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(path, "looks like UTF-16; articles must be UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(
            path, f"binary content (NUL byte at byte offset {nul}); not a text article"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"not valid UTF-8 at byte offset {exc.start}") from None


def _front_matter(lines: list[str], path: str) -> tuple[int, dict[str, str]]:
    """Return how many lines a Markdown front matter block spans, and its fields."""
    end = front_matter_end(lines)
    if not end:
        return 0, {}
    try:
        data = load_plain("\n".join(lines[1 : end - 1]), path)
    except ClaimFileError as exc:
        # The block starts on line 2: say where in the article the problem is.
        first = exc.problems[0]
        where = f"front matter line {first.line + 1}, column {first.column}"
        raise CorpusError(path, f"{where}: {first.message}") from None
    fields = data if isinstance(data, dict) else {}
    return end, {str(k): str(v) for k, v in fields.items() if isinstance(v, str) and v.strip()}


def _looks_like_headline(text: str) -> bool:
    stripped = text.strip().rstrip("\"')]")
    return (
        bool(stripped) and stripped[-1] not in ".!?:" and len(stripped.split()) <= _TITLE_MAX_WORDS
    )


def _classify_lines(
    read: list[SourceLine], boilerplate: Boilerplate, metadata: dict[str, str]
) -> tuple[list[Line], str | None]:
    title_key = fold_key(metadata["title"]) if "title" in metadata else None
    title_line: int | None = None
    lines: list[Line] = []
    references = False  # inside a block of links under "Reference(s):" or "Related:"
    for index, source in enumerate(read):
        text, offset = source.text, source.offset
        shown = source.masked if source.masked is not None else text
        body = normalise(shown[offset:])
        key = body.text.strip().lower()
        anatomy = None
        if source.hint is Hint.FRONT_MATTER:
            kind = LineKind.FRONT_MATTER
        elif source.hint is Hint.DIRECTIVE:
            kind = LineKind.WAIVER
        elif not key:
            kind, references = LineKind.BLANK, False
        elif source.hint is Hint.OUTSIDE:
            kind = LineKind.OUTSIDE
        elif references and not sentence_like(body.text):
            kind = LineKind.REFERENCE
        elif references:  # a sentence ends the block of links: prose under a "Related:" line
            references = False
            kind = LineKind.CONTENT
            anatomy = read_line(body.text, title=False)
        elif opens_reference_block(body.text):
            kind, references = LineKind.BOILERPLATE, True
        elif boilerplate.matches(body.text):
            kind = LineKind.BOILERPLATE
        elif is_credit(body.text):
            kind = LineKind.CREDIT
        elif is_meta(body.text):
            kind = LineKind.META
        elif title_line is None and not any(seen.kind is LineKind.CONTENT for seen in lines):
            # The first content line is the headline if it reads like one.
            kind = LineKind.CONTENT
            if key == title_key or (title_key is None and _looks_like_headline(body.text)):
                title_key, title_line = key, index
            anatomy = read_line(body.text, title=title_line == index)
        elif key == title_key and _only_title_before(lines):
            kind = LineKind.REPEATED_TITLE
        else:
            kind = LineKind.CONTENT
            anatomy = read_line(body.text, title=False)
        lines.append(Line(source.number, text, kind, body, offset, anatomy, source.source))
    _mark_captions(lines)
    headline = (
        lines[title_line].text[lines[title_line].offset :].strip()
        if title_line is not None
        else None
    )
    title = metadata.get("title") or headline
    return lines, title


def _mark_captions(lines: list[Line]) -> None:
    """Make the prose line just above a photo credit line a caption: the credit names its photo."""
    for at, line in enumerate(lines):
        if line.kind is not LineKind.CREDIT:
            continue
        above = at - 1
        while above >= 0 and lines[above].kind is LineKind.BLANK:
            above -= 1
        target = lines[above] if above >= 0 else None
        if target is not None and target.anatomy is not None and target.anatomy.role is Role.PROSE:
            caption = replace(target.anatomy, role=Role.CAPTION)
            lines[above] = replace(target, anatomy=caption)


def _found_metadata(lines: list[Line]) -> dict[str, str]:
    """Collect what the copy says about itself: its first dateline and its date."""
    found: dict[str, str] = {}
    for line in lines:
        dateline = line.anatomy.dateline if line.anatomy is not None else None
        if dateline is not None and "dateline" not in found:
            found["dateline"] = dateline.text
            found["dateline_place"] = dateline.place
            if dateline.date:
                found["dateline_date"] = dateline.date
            if dateline.agency:
                found["dateline_agency"] = dateline.agency
        # A timestamp line may be dropped as chrome ("Published: …") yet still date the copy.
        if line.kind is LineKind.META or (
            line.kind is LineKind.BOILERPLATE and is_meta(line.body.text.strip())
        ):
            _meta_date(line.body.text, found)
    return found


_UPDATED = re.compile(r"\b(?:updated|last modified|modified)\b", re.IGNORECASE)


def _meta_date(text: str, found: dict[str, str]) -> None:
    """Take an article's date from a byline or timestamp line: a day if it gives one.

    An "Updated …" line wins over an earlier "Published …" one: the copy as it stands is the
    updated copy, and its figures are as of that day.
    """
    days = [q for q in dates(text) if q.precision == "day"]
    if days:
        day = dt.date.fromordinal(int(days[0].low)).isoformat()
        if "date" not in found or (_UPDATED.search(text) and found.get("date_updated") != "yes"):
            found["date"] = day
            found["date_source"] = "meta"
            if _UPDATED.search(text):
                found["date_updated"] = "yes"
        return
    year = _YEAR.search(text)
    if year is not None and "date" not in found:
        found["date"] = year.group()
        found["date_source"] = "meta"


def date_source(declared: dict[str, str], found: dict[str, str]) -> str:
    """Say where an article's date came from: its front matter or page, a meta line, its
    dateline, or nowhere (then no date is guessed from the years it names)."""
    if "date" in declared:
        return "declared"
    if "date" in found:
        return found.get("date_source", "meta")
    if "dateline_date" in found:
        return "dateline"
    return "unknown"


def _only_title_before(lines: list[Line]) -> bool:
    """Tell whether every content line so far is the headline (a repeat comes right after it)."""
    content = [line for line in lines if line.kind is LineKind.CONTENT]
    return len(content) == 1


def parse_article(
    text: str, article_id: str, path: str, boilerplate: Boilerplate, *, markdown: bool = False
) -> Article:
    """Split an article into lines and sentences, dropping chrome and repeated headlines."""
    reader = READERS["markdown" if markdown else "plain"]
    return parse_reading(text, reader, article_id, path, boilerplate)


def parse_reading(
    text: str,
    reader: Reader,
    article_id: str,
    path: str,
    boilerplate: Boilerplate,
) -> Article:
    """Read an article with a reader, then split it into lines and sentences."""
    raw_lines = LINE_BREAK.split(text)
    if (
        len(raw_lines) > MAX_SENTENCES
        and sum(1 for line in raw_lines if line.strip()) > MAX_SENTENCES
    ):
        # Every non-blank line holds a sentence at least: refuse before parsing any of them.
        raise CorpusError(
            path, f"more than {MAX_SENTENCES} sentences in one article; split the article"
        )
    reading = reader.read(text, path)
    declared = _declared_metadata(raw_lines, path, reading, reader.front_matter)
    lines, title = _classify_lines(list(reading.lines), boilerplate, declared)
    metadata = declared
    first_content = next((line for line in lines if line.kind is LineKind.CONTENT), None)
    title_is_line = (
        first_content is not None
        and title is not None
        and (
            first_content.body.text.strip() == title
            or fold_key(first_content.body.text) == fold_key(title)
        )
    )
    sentences: list[Sentence] = []
    for line in lines:
        if line.kind is not LineKind.CONTENT or line.anatomy is None:
            continue
        start, end = line.anatomy.start, line.anatomy.end
        if title_is_line and line is first_content:
            sentences.append(Sentence(len(sentences), line, start, end, True))
            continue
        for first, last in split_sentences(line.body.text[start:end]):
            sentences.append(Sentence(len(sentences), line, start + first, start + last, False))
        if len(sentences) > MAX_SENTENCES:
            # What one article may cost stays bounded: every sentence becomes several records.
            message = f"more than {MAX_SENTENCES} sentences in one article; split the article"
            raise CorpusError(path, message)
    found = _found_metadata(lines)
    metadata = {**found, **metadata, "date_source": date_source(declared, found)}
    metadata.pop("date_updated", None)
    return Article(
        id=article_id,
        path=path,
        title=title or article_id,
        lines=tuple(lines),
        sentences=tuple(sentences),
        metadata=metadata,
        waivers=reading.waivers,
    )


def _declared_metadata(
    raw_lines: list[str], path: str, reading: Reading, front_matter: bool
) -> dict[str, str]:
    """Return what the file declares about itself: Markdown front matter, or the page's own."""
    if front_matter:
        return _front_matter(raw_lines, path)[1]
    return dict(reading.metadata)


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article file's bytes and names, read but not yet decoded or parsed.

    `reader` names the `Reader` that maps the file to lines (`plain`, `markdown`, `html`).
    """

    data: bytes
    article_id: str
    path: str
    reader: str = "plain"

    def parse(self, boilerplate: Boilerplate) -> Article:
        """Decode and parse the article."""
        return parse_reading(
            decode_article(self.data, self.path),
            reader_named(self.reader),
            self.article_id,
            self.path,
            boilerplate,
        )


def inline_waivers(raw: RawArticle) -> tuple[InlineWaiver, ...]:
    """Return an article's `crossfact: ignore` comments (an undecodable one has none)."""
    try:
        text = decode_article(raw.data, raw.path)
    except CorpusError:
        return ()  # the analysis reports the article's own error
    return reader_named(raw.reader).read(text, raw.path).waivers
