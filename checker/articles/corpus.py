"""Parse article text into titled, boilerplate-free sentences that remember their positions."""

from __future__ import annotations

import html
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
from checker.articles.segment import split_sentences
from checker.base.errors import ClaimFileError, CorpusError
from checker.base.ledger import load_plain
from checker.base.lexicon import YEAR_PATTERN
from checker.base.text import Normalised, fold_key, normalise

ARTICLE_SUFFIXES = (".txt", ".md")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+")
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


DROPPED_KINDS = frozenset(
    {
        LineKind.BOILERPLATE,
        LineKind.META,
        LineKind.CREDIT,
        LineKind.REFERENCE,
        LineKind.REPEATED_TITLE,
    }
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the article file; `body` is its normalised text after any markup prefix."""

    number: int
    text: str
    kind: LineKind
    body: Normalised
    offset: int  # where `body` starts in `text` (a Markdown heading marker is skipped)
    anatomy: Anatomy | None = None  # content lines: role, dateline, credit, prose span

    def column(self, body_offset: int) -> int:
        """Return the 1-based column, in code points, of a normalised body offset."""
        return self.offset + self.body.original_start(body_offset) + 1

    def end_column(self, body_end: int) -> int:
        """Return the 1-based column just past a normalised body end offset."""
        return self.offset + self.body.original_end(body_end) + 1


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
    if not lines or lines[0].strip() != "---":
        return 0, {}
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                data = load_plain("\n".join(lines[1:end]), path)
            except ClaimFileError as exc:
                # The block starts on line 2: say where in the article the problem is.
                first = exc.problems[0]
                where = f"front matter line {first.line + 1}, column {first.column}"
                raise CorpusError(path, f"{where}: {first.message}") from None
            fields = data if isinstance(data, dict) else {}
            return end + 1, {
                str(k): str(v) for k, v in fields.items() if isinstance(v, str) and v.strip()
            }
    return 0, {}


def _looks_like_headline(text: str) -> bool:
    stripped = text.strip().rstrip("\"')]")
    return (
        bool(stripped) and stripped[-1] not in ".!?:" and len(stripped.split()) <= _TITLE_MAX_WORDS
    )


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


def _classify_lines(
    raw_lines: list[str],
    markdown: bool,
    boilerplate: Boilerplate,
    front_matter: tuple[int, dict[str, str]],
) -> tuple[list[Line], str | None]:
    skip, metadata = front_matter
    title_key = fold_key(metadata["title"]) if "title" in metadata else None
    title_line: int | None = None
    lines: list[Line] = []
    references = False  # inside a block of links under "Reference(s):" or "Related:"
    for index, text in enumerate(raw_lines):
        offset = 0
        if markdown and (heading := _MD_HEADING.match(text)):
            offset = heading.end()
        body = normalise(mask_markup(text[offset:]) if markdown else text[offset:])
        key = body.text.strip().lower()
        anatomy = None
        if index < skip:
            kind = LineKind.FRONT_MATTER
        elif not key:
            kind, references = LineKind.BLANK, False
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
        lines.append(Line(index + 1, text, kind, body, offset, anatomy))
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
        if line.kind is LineKind.META and "date" not in found:
            year = _YEAR.search(line.body.text)
            if year is not None:
                found["date"] = year.group()
    return found


def _only_title_before(lines: list[Line]) -> bool:
    """Tell whether every content line so far is the headline (a repeat comes right after it)."""
    content = [line for line in lines if line.kind is LineKind.CONTENT]
    return len(content) == 1


def parse_article(
    text: str, article_id: str, path: str, boilerplate: Boilerplate, *, markdown: bool = False
) -> Article:
    """Split an article into lines and sentences, dropping chrome and repeated headlines."""
    raw_lines = _LINE_BREAK.split(text)
    if (
        len(raw_lines) > MAX_SENTENCES
        and sum(1 for line in raw_lines if line.strip()) > MAX_SENTENCES
    ):
        # Every non-blank line holds a sentence at least: refuse before parsing any of them.
        raise CorpusError(
            path, f"more than {MAX_SENTENCES} sentences in one article; split the article"
        )
    front_matter = _front_matter(raw_lines, path) if markdown else (0, {})
    lines, title = _classify_lines(raw_lines, markdown, boilerplate, front_matter)
    metadata = front_matter[1]
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
    metadata = {**_found_metadata(lines), **metadata}
    return Article(
        id=article_id,
        path=path,
        title=title or article_id,
        lines=tuple(lines),
        sentences=tuple(sentences),
        metadata=metadata,
    )


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article file's bytes and names, read but not yet decoded or parsed."""

    data: bytes
    article_id: str
    path: str
    markdown: bool

    def parse(self, boilerplate: Boilerplate) -> Article:
        """Decode and parse the article."""
        return parse_article(
            decode_article(self.data, self.path),
            self.article_id,
            self.path,
            boilerplate,
            markdown=self.markdown,
        )
