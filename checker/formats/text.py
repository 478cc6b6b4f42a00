"""The terminal summary: findings above info, counts and the result."""

from __future__ import annotations

from checker.formats.context import RenderContext
from checker.formats.environment import environment


def render(context: RenderContext) -> str:
    """Render the terminal summary."""
    return environment().get_template("summary.txt.j2").render(ctx=context)
