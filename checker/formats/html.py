"""The editor's HTML report: one self-contained, autoescaped page."""

from __future__ import annotations

from checker.formats.context import RenderContext
from checker.formats.environment import environment


def render(context: RenderContext) -> str:
    """Render the editor's HTML report."""
    return environment().get_template("report.html.j2").render(ctx=context)
