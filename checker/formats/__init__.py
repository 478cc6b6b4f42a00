"""Output formats: one module per format, each a `render(context) -> str`, chosen by an enum."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Protocol

from checker.formats import (
    claimreview,
    github,
    gitlab,
    html,
    json,
    junit,
    markdown,
    sarif,
    text,
)
from checker.formats.context import Page, RenderContext, make_context

__all__ = [
    "FORMATS",
    "REPORT_FILES",
    "OutputFormat",
    "Page",
    "RenderContext",
    "make_context",
    "render",
    "stream",
]


class OutputFormat(StrEnum):
    """The formats a report can be rendered in."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    GITLAB = "gitlab"
    CLAIMREVIEW = "claimreview"


class Format(Protocol):
    """What a format module provides."""

    def render(self, context: RenderContext) -> str: ...


FORMATS: dict[OutputFormat, Format] = {
    OutputFormat.TEXT: text,
    OutputFormat.JSON: json,
    OutputFormat.MARKDOWN: markdown,
    OutputFormat.HTML: html,
    OutputFormat.SARIF: sarif,
    OutputFormat.JUNIT: junit,
    OutputFormat.GITHUB: github,
    OutputFormat.GITLAB: gitlab,
    OutputFormat.CLAIMREVIEW: claimreview,
}
# The report files a check writes, and the format of each.
REPORT_FILES: dict[str, OutputFormat] = {
    "report.html": OutputFormat.HTML,
    "report.md": OutputFormat.MARKDOWN,
    "report.json": OutputFormat.JSON,
}


def render(output_format: OutputFormat, context: RenderContext) -> str:
    """Render a context in one format."""
    return FORMATS[output_format].render(context)


def stream(output_format: OutputFormat | Page, context: RenderContext) -> Iterator[str]:
    """Render a context in one format, in pieces where the format can (an archive's JSON).

    A `Page` is one of the pages an archive's HTML report writes beside its main page.
    """
    if isinstance(output_format, Page):
        yield html.render_page(context, output_format)
    elif output_format is OutputFormat.JSON:
        yield from json.chunks(context)
    else:
        yield render(output_format, context)
