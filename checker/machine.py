"""Formats that CI systems read: SARIF 2.1.0, JUnit XML, GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.etree import ElementTree

from checker.claims import Severity
from checker.results import Finding, FindingKind, Report

INFORMATION_URI = "https://pypi.org/project/crossfact/"
FINGERPRINT_KEY = "crossfact/v1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES: dict[FindingKind, tuple[str, str, str]] = {
    FindingKind.CONFLICT: (
        "Articles disagree on a claim",
        "Two articles assert different values of a one-of claim, "
        "or one asserts what another denies.",
        "Check which article is right; if they describe different events, scope the claim or waive "
        "the finding with a reason.",
    ),
    FindingKind.CONTRADICTION: (
        "An article contradicts the verified answer",
        "The article asserts a value other than the claim's `expected` value, or denies it.",
        "Correct the article, or fix `expected` in the claim ledger if the verification was wrong.",
    ),
    FindingKind.MIXED: (
        "An article is internally inconsistent",
        "The article asserts two values of a one-of claim, or asserts and denies one value.",
        "Make the article say one thing, or split the claim if both values can be true.",
    ),
    FindingKind.DIVERGENT: (
        "Articles name different sets",
        "For an any-of claim, the articles name different sets of values.",
        "Usually informational; check that no article leaves out a value it should name.",
    ),
    FindingKind.STRAY: (
        "A sentence with novel terms no claim supports",
        "The sentence names something that appears in no claim and in no other article.",
        "Check that the sentence belongs in the article; if it does, add a claim that covers it.",
    ),
    FindingKind.UNSUPPORTED: (
        "A sentence no claim supports",
        "No claim in the ledger counted a mention in this sentence.",
        "Add a claim for the fact the sentence states, or accept it as context.",
    ),
    FindingKind.STALE_WAIVER: (
        "A waiver matches no finding",
        "The waiver's fingerprint matches no current finding: the finding was fixed or changed.",
        "Delete the waiver, or re-review the changed finding and waive its new fingerprint.",
    ),
}
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
GITLAB_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def _severity(finding: Finding) -> Severity:
    return finding.severity or Severity.INFO


def _physical(path: str, line: int, column: int) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": column},
        }
    }


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.kind.value,
        "ruleIndex": rule_index,
        "level": SARIF_LEVEL[_severity(finding)],
        "message": {"text": finding.message},
        "locations": [_physical(finding.path, finding.line, finding.column)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
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


def render_sarif(report: Report) -> str:
    """Render a SARIF 2.1.0 log with one rule per finding kind."""
    kinds = list(RULES)
    rules = [
        {
            "id": kind.value,
            "name": "".join(part.title() for part in kind.value.split("-")),
            "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "help": {"text": help_text, "markdown": help_text},
            "defaultConfiguration": {"level": "note" if kind in _INFO_KINDS else "warning"},
        }
        for kind, (short, full, help_text) in RULES.items()
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
                "results": [_sarif_result(f, kinds.index(f.kind)) for f in report.findings],
                "properties": {"ledgerHash": report.ledger_hash},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_INFO_KINDS = {FindingKind.DIVERGENT, FindingKind.UNSUPPORTED, FindingKind.STALE_WAIVER}


def _github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """Render GitHub Actions workflow commands, one annotation per unwaived finding."""
    lines = []
    for finding in report.findings:
        if finding.waived:
            continue
        title = f"crossfact {finding.kind.value}" + (f" ({finding.claim})" if finding.claim else "")
        properties = ",".join(
            f"{key}={_github_escape_property(str(value))}"
            for key, value in (
                ("file", finding.path),
                ("line", finding.line),
                ("col", finding.column),
                ("title", title),
            )
        )
        level = GITHUB_LEVEL[_severity(finding)]
        lines.append(f"::{level} {properties}::{_github_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


def render_gitlab(report: Report) -> str:
    """Render a GitLab Code Quality report."""
    issues = [
        {
            "description": finding.message,
            "check_name": finding.kind.value,
            "fingerprint": finding.fingerprint,
            "severity": GITLAB_SEVERITY[_severity(finding)],
            "location": {"path": finding.path, "lines": {"begin": finding.line}},
        }
        for finding in report.findings
        if not finding.waived
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _testcases_by_check(report: Report) -> dict[tuple[str, str], list[Finding]]:
    """Map each (claim, article) check to the findings that concern it."""
    conflict_articles = {
        c.claim: {a for articles in [*c.values.values(), *c.denied.values()] for a in articles}
        for c in report.conflicts
    }
    concerns: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.claim is None:
            continue
        articles = (
            conflict_articles.get(finding.claim, set())
            if finding.article is None
            else {finding.article}
        )
        if finding.kind is FindingKind.DIVERGENT:
            articles = {
                v.article for c in report.claims if c.id == finding.claim for v in c.verdicts
            }
        for article in articles:
            concerns[(finding.claim, article)].append(finding)
    return concerns


def render_junit(report: Report, threshold: Severity | None) -> str:
    """Render JUnit XML: a testcase per claim and speaking article, and per unsupported sentence."""
    concerns = _testcases_by_check(report)
    suite = ElementTree.Element("testsuite", name="crossfact")
    failures = skipped = tests = 0
    for claim in report.claims:
        for verdict in claim.verdicts:
            tests += 1
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=f"{claim.id} @ {verdict.article}",
                classname=f"crossfact.claims.{claim.id}",
            )
            outcome = _outcome(case, concerns.get((claim.id, verdict.article), []), threshold)
            failures += outcome == "failure"
            skipped += outcome == "skipped"
    unsupported = {
        (f.article, f.line, f.column): f
        for f in report.findings
        if f.kind in (FindingKind.STRAY, FindingKind.UNSUPPORTED)
    }
    for entry in report.unsupported:
        tests += 1
        case = ElementTree.SubElement(
            suite,
            "testcase",
            name=f"{entry.path}:{entry.line}:{entry.column}",
            classname=f"crossfact.sentences.{entry.article}",
        )
        finding = unsupported.get((entry.article, entry.line, entry.column))
        outcome = _outcome(case, [finding] if finding else [], threshold)
        failures += outcome == "failure"
        skipped += outcome == "skipped"
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


def _outcome(case: ElementTree.Element, findings: list[Finding], threshold: Severity | None) -> str:
    """Attach a failure or skipped element for the worst finding; return which, if any."""
    gating = [f for f in findings if f.gates and threshold and _severity(f).rank >= threshold.rank]
    if gating:
        worst = max(gating, key=lambda f: _severity(f).rank)
        element = ElementTree.SubElement(
            case, "failure", type=worst.kind.value, message=worst.message
        )
        element.text = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.message}" for f in gating)
        return "failure"
    waived = [f for f in findings if f.waived]
    if waived:
        ElementTree.SubElement(
            case, "skipped", type="waived", message=waived[0].waiver_reason or "waived"
        )
        return "skipped"
    return "passed"


RATING = {"supports": 5, "asserts": 3, "denies": 3, "mixed": 2, "contradicts": 1}


def render_claimreview(report: Report) -> str:
    """Render schema.org ClaimReview JSON-LD: one review per claim and article with a verdict."""
    articles = {a.id: a for a in report.articles}
    reviews = []
    for claim in report.claims:
        for verdict in claim.verdicts:
            article = articles[verdict.article]
            said = ", ".join(verdict.asserted) or "not " + ", ".join(verdict.denied)
            reviews.append(
                {
                    "@type": "ClaimReview",
                    "claimReviewed": f"{claim.question} {said}",
                    "itemReviewed": {
                        "@type": "Claim",
                        "appearance": {
                            "@type": "CreativeWork",
                            "url": article.metadata.get("url") or article.path,
                            "headline": article.title,
                        },
                    },
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": RATING[verdict.status.value],
                        "bestRating": 5,
                        "worstRating": 1,
                        "alternateName": verdict.status.value,
                    },
                    "author": {"@type": "Organization", "name": "crossfact"},
                    "identifier": f"{claim.id}@{verdict.article}",
                }
            )
    document = {"@context": "https://schema.org", "@graph": reviews}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
