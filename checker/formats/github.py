"""GitHub Actions workflow commands: one annotation per finding the pull request should see."""

from __future__ import annotations

from checker.base.claims import Severity
from checker.formats.context import RenderContext

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(context: RenderContext) -> str:
    """Render GitHub Actions annotations."""
    lines = []
    for finding in context.annotations:
        title = f"crossfact {finding.code} {finding.kind.value}" + (
            f" ({finding.claim})" if finding.claim else ""
        )
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", finding.path),
                ("line", finding.line),
                ("col", finding.column),
                ("title", title),
            )
        )
        lines.append(f"::{LEVEL[finding.severity]} {properties}::{_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)
