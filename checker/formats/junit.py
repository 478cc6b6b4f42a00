"""JUnit XML: a testcase per claim and speaking article, one per finding no such check covers."""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree

from checker.base.claims import Severity
from checker.findings.results import Finding, Report, gates
from checker.formats.context import RenderContext

# Characters XML 1.0 does not allow at all, not even escaped: they would make the file malformed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Return text that XML 1.0 can hold: forbidden characters shown as escapes."""
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _articles_of(finding: Finding) -> list[str]:
    """Return the articles whose checks a finding concerns."""
    if finding.article is not None:
        return [finding.article]
    involved: set[str] = set()
    for key in ("values", "denied", "sets"):
        table = finding.details.get(key)
        if isinstance(table, dict):
            for name, value in table.items():
                involved.update(value if key != "sets" else [name])
    return sorted(involved)


def _concerns(report: Report) -> tuple[dict[tuple[str, str], list[Finding]], list[Finding]]:
    """Map each (claim, article) check to its findings; return the findings of no check too."""
    checks = {(c.id, cell.article) for c in report.claims for cell in c.cells}
    concerns: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    alone: list[Finding] = []
    for finding in report.findings:
        keys = [(finding.claim, a) for a in _articles_of(finding) if finding.claim]
        covered = [key for key in keys if key in checks]
        for key in covered:
            concerns[key].append(finding)  # type: ignore[index]
        if not covered:
            alone.append(finding)
    return concerns, alone


def _outcome(case: ElementTree.Element, findings: list[Finding], threshold: Severity | None) -> str:
    """Attach a failure or skipped element for the worst finding; return which, if any."""
    gating = [f for f in findings if gates(f, threshold)]
    if gating:
        worst = max(gating, key=lambda f: f.severity.rank)
        element = ElementTree.SubElement(
            case, "failure", type=worst.code, message=_xml(worst.message)
        )
        element.text = _xml("\n".join(f"{f.path}:{f.line}:{f.column}: {f.message}" for f in gating))
        return "failure"
    waived = [f for f in findings if f.waived]
    if waived:
        ElementTree.SubElement(
            case, "skipped", type="waived", message=_xml(waived[0].waiver_reason or "waived")
        )
        return "skipped"
    return "passed"


def render(context: RenderContext) -> str:
    """Render JUnit XML, failing the checks that gate."""
    report = context.report
    threshold = report.result.fail_on
    concerns, alone = _concerns(report)
    suite = ElementTree.Element("testsuite", name="crossfact")
    outcomes: list[str] = []
    for claim in report.claims:
        for cell in claim.cells:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=_xml(f"{claim.id} @ {cell.article}"),
                classname=f"crossfact.claims.{claim.id}",
            )
            outcomes.append(_outcome(case, concerns.get((claim.id, cell.article), []), threshold))
    for finding in alone:
        group = finding.article or finding.claim or finding.kind.value
        case = ElementTree.SubElement(
            suite,
            "testcase",
            name=_xml(f"{finding.path}:{finding.line}:{finding.column}"),
            classname=_xml(f"crossfact.{finding.kind.value}.{group}"),
        )
        outcomes.append(_outcome(case, [finding], threshold))
    tests, failures, skipped = len(outcomes), outcomes.count("failure"), outcomes.count("skipped")
    for key, value in (
        ("tests", tests),
        ("failures", failures),
        ("errors", 0),
        ("skipped", skipped),
    ):
        suite.set(key, str(value))
    root = ElementTree.Element(
        "testsuites", name="crossfact", tests=str(tests), failures=str(failures), errors="0"
    )
    root.append(suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
