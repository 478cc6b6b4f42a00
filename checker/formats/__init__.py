"""Output formats: one module per format, each a `render(context) -> str`, chosen by an enum.

The format modules (and with them jinja2 and the report models) are imported when a format is
first rendered, not with this package: the command line's parser needs only the names.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
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


# The module of each format, under checker/formats/.
MODULES: dict[OutputFormat, str] = {
    OutputFormat.TEXT: "text",
    OutputFormat.JSON: "json",
    OutputFormat.MARKDOWN: "markdown",
    OutputFormat.HTML: "html",
    OutputFormat.SARIF: "sarif",
    OutputFormat.JUNIT: "junit",
    OutputFormat.GITHUB: "github",
    OutputFormat.GITLAB: "gitlab",
    OutputFormat.CLAIMREVIEW: "claimreview",
}
# The report files a check writes, and the format of each.
REPORT_FILES: dict[str, OutputFormat] = {
    "report.html": OutputFormat.HTML,
    "report.md": OutputFormat.MARKDOWN,
    "report.json": OutputFormat.JSON,
}
_FROM_CONTEXT = ("Page", "RenderContext", "make_context")


def module_of(output_format: OutputFormat) -> Any:
    """Return a format's module, importing it on first use."""
    return importlib.import_module(f"checker.formats.{MODULES[output_format]}")


def __getattr__(name: str) -> Any:
    """Import the context's names, and FORMATS, only when they are asked for."""
    if name in _FROM_CONTEXT:
        from checker.formats import context

        return getattr(context, name)
    if name == "FORMATS":
        return {output_format: module_of(output_format) for output_format in OutputFormat}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(output_format: OutputFormat, context: RenderContext) -> str:
    """Render a context in one format."""
    rendered: str = module_of(output_format).render(context)
    return rendered


def stream(output_format: OutputFormat | Page, context: RenderContext) -> Iterator[str]:
    """Render a context in one format, in pieces where the format can (an archive's JSON).

    A `Page` is one of the pages an archive's HTML report writes beside its main page.
    """
    from checker.formats import html, json
    from checker.formats.context import Page

    if isinstance(output_format, Page):
        yield html.render_page(context, output_format)
    elif output_format is OutputFormat.JSON:
        yield from json.chunks(context)
    else:
        yield render(output_format, context)
