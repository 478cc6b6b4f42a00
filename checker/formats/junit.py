"""JUnit XML: a testcase per finding, and a passing one per claim and speaking article without.

A finding fails exactly one testcase, so a CI's failure count is the number of gating
findings: a conflict between two articles is one failure, at the article it is reported at.
"""

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
    """Give each finding the one check it is reported at; return the findings of no check too."""
    checks = {(c.id, cell.article) for c in report.claims for cell in c.cells}
    article_at = {article.path: article.id for article in report.articles}
    concerns: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    alone: list[Finding] = []
    for finding in report.findings:
        involved = _articles_of(finding)
        # The article at the finding's own location first: that is where its annotation points.
        here = finding.article or article_at.get(finding.path)
        candidates = ([here] if here else []) + involved
        key = next(
            (
                (finding.claim, a)
                for a in candidates
                if finding.claim and (finding.claim, a) in checks
            ),
            None,
        )
        if key is None:
            alone.append(finding)
        else:
            concerns[key].append(finding)  # type: ignore[index]
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
            name = f"{claim.id} @ {cell.article}"
            found = concerns.get((claim.id, cell.article), [])
            for finding in found or [None]:
                label = name if finding is None else f"{name}: {finding.code} {finding.kind.value}"
                case = ElementTree.SubElement(
                    suite,
                    "testcase",
                    name=_xml(label),
                    classname=f"crossfact.claims.{claim.id}",
                )
                outcomes.append(_outcome(case, [finding] if finding else [], threshold))
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
