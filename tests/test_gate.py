"""The CI gate: waivers, baseline, changed-only runs and the config file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from checker.application.cli import ExitStatus
from checker.application.settings import ADJUSTABLE
from checker.base.claims import Severity
from checker.findings.results import gates
from checker.review.waivers import LocatedWaivers, Waiver, apply_waivers
from tests.harness import Project, location, run_cli
from tests.harness import check_texts as run_check

TODAY = dt.date(2026, 11, 22)


def findings(*argv: str) -> list[dict[str, object]]:
    return json.loads(run_cli("--format", "json", "--no-reports", *argv).stdout)["findings"]


def waiver_yaml(fingerprint: str, **extra: str) -> str:
    fields = {
        "fingerprint": fingerprint,
        "finding": "Almaty vs Astana",
        "reason": "two different events",
        "reviewed_by": "M. Editor",
        "date": "2026-11-20",
        **extra,
    }
    return (
        "waivers:\n  - " + "\n    ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items()) + "\n"
    )


def conflict_fingerprint(claim: str) -> str:
    return next(
        str(f["fingerprint"]) for f in findings() if f["kind"] == "conflict" and f["claim"] == claim
    )


def test_a_waived_finding_still_shows_but_does_not_gate(seeds_project: Path) -> None:
    errors = [f for f in findings() if f["severity"] == "error"]
    lines = [waiver_yaml(str(f["fingerprint"])).split("\n", 1)[1] for f in errors]
    (seeds_project / "claims" / "waivers.yaml").write_text("waivers:\n" + "".join(lines))
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.OK
    assert "[waived: two different events (reviewed by M. Editor on 2026-11-20)]" in result.stdout
    waived = [f for f in findings() if f["waived"]]
    assert len(waived) == 5
    markdown = run_cli("--format", "markdown", "--no-reports").stdout
    assert markdown.count("_waived: two different events") == 5


WAIVER_CASES = [
    (None, True),  # no expiry
    ("2026-12-01", True),  # expires later
    ("2026-11-22", False),  # expires today: it gates again
    ("2026-01-01", False),
]


@pytest.mark.parametrize(("expires", "waived"), WAIVER_CASES)
def test_expired_waivers_stop_waiving(expires: str | None, waived: bool) -> None:
    report = run_check(location(), {"a": "Met in Almaty.", "b": "Met in Astana."})
    conflict = next(f for f in report.findings if f.kind.value == "conflict")
    waiver = Waiver(
        fingerprint=conflict.fingerprint,
        finding="x",
        reason="events differ",
        reviewed_by="M. Editor",
        date=dt.date(2026, 11, 20),
        expires=dt.date.fromisoformat(expires) if expires else None,
    )
    applied = apply_waivers(
        report.findings, LocatedWaivers(path="w.yaml", waivers=(waiver,), lines=(2,)), TODAY
    )
    [after] = [f for f in applied if f.kind.value == "conflict"]
    assert after.waived is waived
    assert gates(after, Severity.ERROR) is not waived


def test_a_stale_waiver_is_reported_at_info_and_hides_nothing(seeds_project: Path) -> None:
    (seeds_project / "claims" / "waivers.yaml").write_text(waiver_yaml("0" * 32))
    result = run_cli("--format", "json", "--no-reports")
    assert result.status is ExitStatus.FINDINGS
    report = json.loads(result.stdout)
    stale = [f for f in report["findings"] if f["kind"] == "stale-waiver"]
    assert [(f["severity"], f["path"], f["line"]) for f in stale] == [
        ("info", "claims/waivers.yaml", 2)
    ]
    assert not any(f["waived"] for f in report["findings"])
    assert report["summary"]["by_kind"]["stale-waiver"] == 1


BAD_WAIVERS = [
    (
        "waivers:\n  - fingerprint: abc\n    finding: x\n    reviewed_by: M\n    date: 2026-11-20\n",
        "claims/waivers.yaml:2:5: missing required key 'reason'",
    ),
    (
        "waivers:\n  - fingerprint: abc\n    finding: x\n    reason: r\n    reviewed_by: M\n    date: someday\n",
        "claims/waivers.yaml:6:11: Input should be a valid date or datetime, input is too short",
    ),
    (
        waiver_yaml("abc") + waiver_yaml("abc").split("\n", 1)[1],
        "claims/waivers.yaml:2:3: fingerprint 'abc' is waived more than once",
    ),
    (
        "waivers:\n  - fingerprint: abc\n    reason: r\n    reason: s\n",
        "claims/waivers.yaml:4:5: duplicate key 'reason' (first defined at 3:5)",
    ),
]


@pytest.mark.parametrize(("text", "first_error"), BAD_WAIVERS)
def test_bad_waiver_files_are_located_errors(
    seeds_project: Path, text: str, first_error: str
) -> None:
    (seeds_project / "claims" / "waivers.yaml").write_text(text)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert first_error in result.stderr.splitlines()


def test_baseline_waives_everything_once(seeds_project: Path) -> None:
    first = run_cli("baseline")
    assert first.stdout == "claims/waivers.yaml: 15 waivers (15 added by this baseline)\n"
    assert run_cli("--fail-on", "info", "--no-reports").status is ExitStatus.OK
    again = run_cli("baseline")
    assert again.stdout == "claims/waivers.yaml: 15 waivers (0 added by this baseline)\n"
    text = (seeds_project / "claims" / "waivers.yaml").read_text()
    assert text.count("reason: baseline") == 15
    # The waiver file is not read as a claim file.
    assert run_cli("validate").stdout.splitlines()[-2].startswith("22 claims in 2 files: ")


ALMATY_VENUE = """
  - id: almaty-meeting-venue
    question: Where was the April foreign ministers' meeting held?
    values: {Almaty: [Almaty], Astana: [Astana]}
    expected: Almaty
    about: [met, meeting]
    scope: ["seeds/000_*"]
"""


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return completed.stdout


def test_changed_since_gates_only_on_what_the_change_introduced(seeds_project: Path) -> None:
    ledger = seeds_project / "claims" / "china-central-asia.yaml"
    ledger.write_text(ledger.read_text() + ALMATY_VENUE)
    git(seeds_project, "init", "-q", "-b", "main")
    git(seeds_project, "-c", "user.name=t", "-c", "user.email=t@e", "add", ".")
    git(seeds_project, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "seeds")
    article = seeds_project / "seeds" / "000_e909acf5820e5662.txt"
    article.write_text(
        article.read_text("utf-8").replace("met in Almaty", "met in Astana"), "utf-8"
    )
    status_before = git(seeds_project, "status", "--porcelain")

    result = run_cli("--changed-since", "HEAD", "--format", "json", "--no-reports")
    assert result.status is ExitStatus.FINDINGS
    report = json.loads(result.stdout)
    new = [
        (f["kind"], f["claim"], f["severity"]) for f in report["findings"] if f["change"] == "new"
    ]
    assert ("contradiction", "almaty-meeting-venue", "error") in new
    gating = [
        (f["kind"], f["claim"])
        for f in report["findings"]
        if f["change"] == "new" and f["severity"] == "error"
    ]
    # Article 000 now names Astana too, so the meeting-location conflict has a new side: it is
    # a different conflict from the one REF had, and gates (a waiver of the old one would not
    # cover it either).
    assert sorted(gating) == [
        ("conflict", "meeting-location"),
        ("contradiction", "almaty-meeting-venue"),
    ]
    existing = {
        f["claim"]
        for f in report["findings"]
        if f["change"] == "existing" and f["kind"] == "conflict"
    }
    assert existing == {"china-representative", "delegation-level", "trump-office"}
    text = run_cli("--changed-since", "HEAD", "--no-reports").stdout
    assert "result: FAIL, 2 finding(s) at or above error" in text
    assert "changed since HEAD:" in text
    assert git(seeds_project, "status", "--porcelain") == status_before  # work tree untouched
    assert git(seeds_project, "worktree", "list").count("\n") == 1


def commit_seeds(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "seeds")


@pytest.mark.parametrize(
    ("setup", "ref", "message"),
    [
        ("empty", "HEAD", "--changed-since HEAD: the repository has no commits yet"),
        ("none", "HEAD", "is not inside a git repository"),
        ("committed", "nope", "--changed-since nope: no such commit"),
        ("committed", "HEAD~999", "--changed-since HEAD~999: no such commit"),
        (
            "shallow",
            "HEAD~1",
            "--changed-since HEAD~1: no such commit (a shallow clone: fetch more history",
        ),
    ],
)
def test_changed_since_a_ref_that_cannot_be_read_says_why(
    seeds_project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    setup: str,
    ref: str,
    message: str,
) -> None:
    if setup == "empty":
        git(seeds_project, "init", "-q")
    elif setup == "committed":
        commit_seeds(seeds_project)
    elif setup == "shallow":
        commit_seeds(seeds_project)
        (seeds_project / "seeds" / "extra.txt").write_text("They met in Almaty.\n")
        git(seeds_project, "-c", "user.name=t", "-c", "user.email=t@e", "add", ".")
        git(seeds_project, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "two")
        clone = tmp_path_factory.mktemp("shallow") / "clone"
        url = f"file://{seeds_project}"
        subprocess.run(["git", "clone", "-q", "--depth=1", url, str(clone)], check=True)
        os.chdir(clone)
    result = run_cli("--changed-since", ref, "--no-reports")
    assert result.status is ExitStatus.ERROR
    [line] = result.stderr.splitlines()
    assert line.startswith("crossfact: error: ")
    assert message in line


CONFIG_CASES = [
    ('[tool.crossfact]\nfail-on = "never"\n', (), ExitStatus.OK),
    ('[tool.crossfact]\nfail-on = "never"\n', ("--fail-on", "error"), ExitStatus.FINDINGS),
    (
        '[tool.crossfact]\n[tool.crossfact.severity]\nconflict = "info"\ncontradiction = "info"\n',
        (),
        ExitStatus.OK,
    ),
    (
        '[tool.crossfact]\nfail-on = "warning"\n[tool.crossfact.severity]\nconflict = "info"\n'
        'contradiction = "info"\nstray = "info"\n',
        (),
        ExitStatus.OK,
    ),
    ("[tool.other]\nx = 1\n", (), ExitStatus.FINDINGS),
]


@pytest.mark.parametrize(("toml", "argv", "status"), CONFIG_CASES)
def test_pyproject_settings_and_flags_winning(
    seeds_project: Path, toml: str, argv: tuple[str, ...], status: ExitStatus
) -> None:
    (seeds_project / "pyproject.toml").write_text(toml)
    assert run_cli(*argv, "--no-reports").status is status


def test_crossfact_toml_sets_paths_and_boilerplate(project: Project) -> None:
    (project.root / "crossfact.toml").write_text(
        textwrap.dedent("""
        corpus = "corpus"
        report-dir = "out"
        boilerplate = ["subscribe to * newsletter"]
    """)
    )
    project.claims("claims:\n  - id: loc\n    question: q\n    values: {Almaty: [Almaty]}\n")
    project.article("a.txt", "They met in Almaty.\nSubscribe to our newsletter\n")
    result = run_cli("--format", "json")
    assert result.status is ExitStatus.OK
    assert json.loads(result.stdout)["summary"]["sentences"] == 1
    assert (project.root / "out" / "report.json").exists()


def test_unknown_config_keys_are_located_errors(seeds_project: Path) -> None:
    (seeds_project / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.crossfact]\nfail-on = 'error'\ncorpse = 'seeds'\n"
        "[tool.crossfact.severity]\nstrays = 'info'\n"
    )
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[:2] == [
        "pyproject.toml:6:1: unknown key 'corpse' in crossfact settings; known: corpus, claims, "
        "report-dir, waivers, fail-on, severity, boilerplate, disable-rules, max-findings",
        "pyproject.toml:8:1: unknown finding kind 'strays'; known: "
        + ", ".join(sorted(kind.value for kind in ADJUSTABLE)),
    ]


def test_exit_zero_never_fails(seeds_project: Path) -> None:
    result = run_cli("--exit-zero", "--no-reports")
    assert result.status is ExitStatus.OK
    assert "result: FAIL, 5 finding(s) at or above error" in result.stdout


def test_changed_since_an_earlier_symlink_out_of_the_repository_is_one_line(
    seeds_project: Path,
) -> None:
    (seeds_project / "seeds" / "leak.txt").symlink_to("/etc/passwd")
    commit_seeds(seeds_project)
    (seeds_project / "seeds" / "leak.txt").unlink()
    result = run_cli("--changed-since", "HEAD", "--no-reports")
    assert result.status is ExitStatus.ERROR
    [line] = result.stderr.splitlines()
    assert line.startswith("crossfact: error: --changed-since HEAD: seeds at HEAD holds ")
    assert line.endswith("refusing to read it")
    assert "Traceback" not in result.stderr
