"""SARIF 2.1.0 for code-scanning tools; `tool.driver.rules` is the finding-kind registry."""

from __future__ import annotations

import json

from checker.base.claims import Severity
from checker.findings.results import Finding
from checker.findings.rules import RULES
from checker.formats.context import RenderContext

INFORMATION_URI = "https://pypi.org/project/crossfact/"
FINGERPRINT_KEY = "crossfact/v1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _physical(path: str, line: int, column: int) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": column},
        }
    }


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [_physical(finding.path, finding.line, finding.column)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "kind": finding.kind.value,
            "claim": finding.claim,
            "article": finding.article,
            "change": finding.change,
        },
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_physical(r.path, r.line, r.column)} for i, r in enumerate(finding.related)
        ]
    if finding.waived:
        result["suppressions"] = [
            {"kind": "external", "justification": finding.waiver_reason or "waived"}
        ]
    return result


def render(context: RenderContext) -> str:
    """Render a SARIF 2.1.0 log with one rule per registry entry."""
    report = context.report
    kinds = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.description},
            "help": {"text": rule.help, "markdown": rule.help},
            "defaultConfiguration": {"level": LEVEL[rule.severity]},
            "properties": {"kind": rule.kind.value, "family": rule.family.value},
        }
        for rule in RULES.values()
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crossfact",
                        "version": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, kinds.index(f.kind)) for f in report.findings],
                "properties": {"ledgerHash": report.ledger_hash},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
