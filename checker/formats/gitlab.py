"""GitLab Code Quality: one issue per finding the merge request should see."""

from __future__ import annotations

import json

from checker.base.claims import Severity
from checker.formats.context import RenderContext

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(context: RenderContext) -> str:
    """Render a GitLab Code Quality report."""
    issues = [
        {
            "description": finding.message,
            "check_name": finding.code,
            "fingerprint": finding.fingerprint,
            "severity": SEVERITY[finding.severity],
            "location": {"path": finding.path, "lines": {"begin": finding.line}},
        }
        for finding in context.annotations
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
