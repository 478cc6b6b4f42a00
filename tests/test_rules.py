"""The finding-kind registry: one entry per kind, and severity decided once, where findings are made."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from checker.application.cli import ExitStatus
from checker.base.claims import Severity
from checker.findings.rules import RULES, FindingKind, rule_for, severity
from checker.judgement.mention_rules import RULES as MENTION_RULES
from checker.judgement.mention_rules import RuleSet
from tests.harness import Project, check_texts, location, run_cli


def test_every_kind_has_one_entry_with_a_unique_code() -> None:
    assert set(RULES) == set(FindingKind)
    codes = [rule.code for rule in RULES.values()]
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("CF") and code[2:].isdigit() for code in codes)


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.kind.value)
def test_every_entry_reads_as_documentation(rule) -> None:  # type: ignore[no-untyped-def]
    # The summary is a title (SARIF shortDescription, `crossfact rules`); the rest are sentences.
    assert 0 < len(rule.summary) <= 70
    assert not rule.summary.endswith(".")
    assert rule.description.endswith(".")
    assert rule.help.endswith(".")
    fields = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    assert fields, "a message template names the facts it reports"


def test_rules_are_found_by_code_or_kind() -> None:
    assert rule_for("cf001") is RULES[FindingKind.CONFLICT]
    assert rule_for("dead-alias") is RULES[FindingKind.DEAD_ALIAS]
    assert rule_for("CF999") is None


SEVERITY_CASES = [
    # (kind, configured overrides, the claim's own severity, expected)
    (FindingKind.CONFLICT, {}, None, Severity.ERROR),
    (FindingKind.CONFLICT, {FindingKind.CONFLICT: Severity.INFO}, None, Severity.INFO),
    (
        FindingKind.CONFLICT,
        {FindingKind.CONFLICT: Severity.INFO},
        Severity.WARNING,
        Severity.WARNING,
    ),
    (FindingKind.CONTRADICTION, {}, Severity.WARNING, Severity.WARNING),
    (
        FindingKind.MIXED,
        {},
        Severity.ERROR,
        Severity.WARNING,
    ),  # a claim sets only its disagreements
    (FindingKind.STRAY, {FindingKind.STRAY: Severity.ERROR}, None, Severity.ERROR),
    (FindingKind.DEAD_ALIAS, {}, None, Severity.WARNING),
    (FindingKind.FAILING_EXAMPLE, {}, None, Severity.ERROR),
]


@pytest.mark.parametrize(("kind", "overrides", "claim", "expected"), SEVERITY_CASES)
def test_severity_is_the_claims_then_the_configured_then_the_default(
    kind: FindingKind,
    overrides: dict[FindingKind, Severity],
    claim: Severity | None,
    expected: Severity,
) -> None:
    assert severity(kind, overrides, claim) is expected


def test_a_configured_conflict_severity_is_the_same_everywhere_in_the_report() -> None:
    report = check_texts(
        location(), {"a": "Met in Almaty.", "b": "Met in Astana."}, severity={"conflict": "info"}
    )
    [conflict] = [f for f in report.findings if f.kind is FindingKind.CONFLICT]
    assert conflict.severity is Severity.INFO
    assert report.claims[0].severity is Severity.INFO
    assert report.summary.infos >= 1
    assert report.summary.errors == 0
    assert report.result.status == "pass"


def test_a_claims_own_severity_beats_the_configured_one() -> None:
    report = check_texts(
        location("severity: warning"),
        {"a": "Met in Almaty.", "b": "Met in Astana."},
        severity={"conflict": "info"},
    )
    [conflict] = [f for f in report.findings if f.kind is FindingKind.CONFLICT]
    assert conflict.severity is Severity.WARNING


def test_the_json_report_has_no_second_copy_of_a_conflict(project: Project) -> None:
    (project.root / "crossfact.toml").write_text('[severity]\nconflict = "info"\n')
    project.claims(location())
    project.article("a.txt", "Met in Almaty.")
    project.article("b.txt", "Met in Astana.")
    report = json.loads(project.run("--format", "json", "--no-reports").stdout)
    assert not {"conflicts", "contradictions", "unsupported"} & set(report)
    [conflict] = [f for f in report["findings"] if f["kind"] == "conflict"]
    assert (conflict["code"], conflict["severity"]) == ("CF001", "info")
    assert conflict["details"] == {"values": {"Almaty": ["a"], "Astana": ["b"]}, "denied": {}}


def test_crossfact_rules_lists_the_registry(tmp_path: Path) -> None:
    result = run_cli("rules")
    assert result.status is ExitStatus.OK
    kinds, mentions, detail = result.stdout.split("\n\n")
    assert detail.startswith("crossfact rules CODE explains one")
    lines = kinds.splitlines()[1:]  # under a header line
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES.values(), strict=True):
        assert line.split()[:3] == [rule.code, rule.kind.value, rule.severity.value]
        assert line.endswith(rule.summary)
    rows = [line for line in mentions.splitlines() if line.startswith("MR")]
    assert len(rows) == len(MENTION_RULES)
    for line, mention_rule in zip(rows, RuleSet().enabled, strict=True):
        code, name, phase, outcome, reads = line.split()[:5]
        assert (code, name, phase, outcome) == (
            mention_rule.code,
            mention_rule.name,
            mention_rule.phase.value,
            mention_rule.outcome.value,
        )
        assert reads == (",".join(sorted(mention_rule.reads)) or "-")
        assert line.endswith(mention_rule.summary)


def test_load_errors_cannot_be_re_levelled(project: Project) -> None:
    (project.root / "crossfact.toml").write_text('[severity]\ncorpus = "info"\n')
    project.claims(location())
    project.article("a.txt", "Met in Almaty.")
    result = project.run("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[0] == (
        "crossfact.toml:2:1: the severity of corpus cannot be changed (it is a load error)"
    )
