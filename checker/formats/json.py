"""The machine-readable report: the Report model as JSON (`crossfact schema --report`)."""

from __future__ import annotations

from checker.formats.context import RenderContext


def render(context: RenderContext) -> str:
    """Render the report as JSON."""
    # pydantic-core serialises in Rust: many times faster than json.dumps on an archive's report.
    return context.report.model_dump_json(indent=2) + "\n"
