"""The terminal and CI annotations: progress, statistics, the cap, what github/gitlab annotate."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest

from checker.application import cli
from checker.application.cli import ExitStatus, _StderrProgress, run
from tests.harness import Project

LOCATION = """
claims:
  - id: loc
    question: Where did they meet?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met]
"""


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


# Off-topic sentences, one for each article (articles speaking to one claim share rare words).
OFF_TOPIC = [
    "Floods closed roads in Peru.",
    "A wildfire swept through vineyards in Chile.",
    "Snowstorms shut airports across Norway.",
]


def _corpus(project: Project, articles: int = 3) -> None:
    project.claims(LOCATION)
    for number in range(articles):
        city = "Almaty" if number % 2 else "Astana"
        project.article(f"a{number}.txt", f"They met in {city}. {OFF_TOPIC[number]}")


# (case, stderr is a terminal, CI set, arguments): whether a progress line is drawn
PROGRESS = [
    ("a terminal", True, False, [], True),
    ("piped", False, False, [], False),
    ("in CI", True, True, [], False),
    ("quiet", True, False, ["--quiet"], False),
    ("quiet, short flag", True, False, ["-q"], False),
]


@pytest.mark.parametrize(
    ("case", "tty", "in_ci", "argv", "drawn"), PROGRESS, ids=[c[0] for c in PROGRESS]
)
def test_progress_only_for_a_person_at_a_terminal(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    tty: bool,
    in_ci: bool,
    argv: list[str],
    drawn: bool,
) -> None:
    _corpus(project)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)  # as if the run were long
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    if in_ci:
        monkeypatch.setenv("CI", "true")
    out, err = io.StringIO(), _Terminal() if tty else io.StringIO()
    status = run([*argv, "--corpus", "corpus", "--no-cache"], out, err)
    assert status is ExitStatus.FINDINGS
    assert ("analysed 3/3 articles (100%)" in err.getvalue()) is drawn
    # The line is erased before stdout is written, and stdout never carries it.
    assert "\r" not in out.getvalue()
    if drawn:
        assert err.getvalue().endswith("\r")
        assert "crossfact: writing report.html" in err.getvalue()


@pytest.mark.parametrize(("argv", "drawn"), [([], True), (["--quiet"], False)])
def test_validate_draws_progress_too(
    project: Project, monkeypatch: pytest.MonkeyPatch, argv: list[str], drawn: bool
) -> None:
    _corpus(project)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    err = _Terminal()
    run(["validate", *argv, "--corpus", "corpus"], io.StringIO(), err)
    assert ("analysed 3/3 articles" in err.getvalue()) is drawn


def test_no_progress_for_a_short_run(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(project)
    monkeypatch.delenv("CI", raising=False)
    err = _Terminal()
    run(["--corpus", "corpus", "--no-cache"], io.StringIO(), err)
    assert err.getvalue() == ""  # well under PROGRESS_DELAY


def test_the_progress_line_waits_then_redraws_in_place() -> None:
    now = [0.0]
    err = _Terminal()
    progress = _StderrProgress(err, clock=lambda: now[0])
    progress.start(4)
    progress.advance()  # at 0 s: too early to draw
    assert err.getvalue() == ""
    now[0] = 2.5
    progress.advance()
    now[0] = 2.55
    progress.advance()  # within PROGRESS_EVERY of the last draw: skipped
    now[0] = 3.0
    progress.advance()
    progress.phase("judging claims")
    progress.erase()
    assert err.getvalue().split("\r")[1:] == [
        "crossfact: analysed 2/4 articles (50%), 2 s",
        "crossfact: analysed 4/4 articles (100%), 3 s",
        "crossfact: judging claims, 3 s".ljust(len("crossfact: analysed 4/4 articles (100%), 3 s")),
        " " * len("crossfact: judging claims, 3 s"),
        "",
    ]


# (case, --max-findings, lines listed, the line saying what is left out)
CAP = [
    ("under the cap", "10", 6, None),
    ("no cap", "0", 6, None),
    ("capped: errors first", "2", 2, "… and 4 more (1 error, 3 warnings); see reports/report.html"),
    ("capped to one", "1", 1, "… and 5 more (2 errors, 3 warnings); see reports/report.html"),
]


@pytest.mark.parametrize(("case", "cap", "listed", "left"), CAP, ids=[c[0] for c in CAP])
def test_the_terminal_lists_at_most_max_findings(
    project: Project, case: str, cap: str, listed: int, left: str | None
) -> None:
    # 3 articles: one conflict and two contradictions (errors), three stray sentences (warnings).
    project.claims(LOCATION + "    expected: Almaty\n")
    for number in range(3):
        city = "Almaty" if number == 0 else "Astana"
        project.article(f"a{number}.txt", f"They met in {city}. {OFF_TOPIC[number]}")
    result = project.run("--max-findings", cap)
    lines = result.stdout.splitlines()
    findings = [line for line in lines if re.match(r"corpus/a\d\.txt:\d+:\d+: ", line)]
    assert len(findings) == listed
    if left:  # a capped list shows the errors first; a whole one keeps location order
        errors_first = [" error " in line for line in findings]
        assert errors_first == sorted(errors_first, reverse=True)
    more = [line for line in lines if line.startswith("…")]
    assert more == ([left] if left else [])
    assert "findings: 3 errors, 3 warnings" in result.stdout  # the summary counts everything


def test_the_cap_without_reports_says_how_to_list_all(project: Project) -> None:
    _corpus(project)
    result = project.run("--max-findings", "1", "--no-reports")
    assert "; --max-findings 0 lists them all" in result.stdout


def test_statistics_count_kinds_and_rules_instead_of_listing(project: Project) -> None:
    project.claims(LOCATION)
    project.article(
        "a.txt", "They met in Astana. The Astana Times said so. Floods closed roads in Peru."
    )
    project.article("b.txt", "They met in Almaty.")
    result = project.run("--statistics")
    lines = result.stdout.splitlines()
    assert "corpus/" not in result.stdout  # no finding is listed
    assert re.search(r"^\s+1  CF001  conflict\s+error$", result.stdout, re.MULTILINE)
    assert re.search(r"^\s+1  CF005  stray\s+warning$", result.stdout, re.MULTILINE)
    assert "mentions decided by mention rules:" in lines
    assert re.search(r"^\s+1  MR001  name-part\s+dropped$", result.stdout, re.MULTILINE)
    assert "conflicts: 1" in result.stdout


def _annotated(stdout: str, output_format: str) -> list[str]:
    if output_format == "github":
        return [line.split(" ", 1)[0] for line in stdout.splitlines()]
    return [issue["severity"] for issue in json.loads(stdout)]


# (format, --annotate-info, the levels annotated): warnings and errors by default
ANNOTATIONS = [
    ("github", False, ["::error", "::warning"]),
    ("github", True, ["::error", "::notice", "::warning"]),
    ("gitlab", False, ["critical", "major"]),
    ("gitlab", True, ["critical", "info", "major"]),
]


@pytest.mark.parametrize(("output_format", "info", "levels"), ANNOTATIONS)
def test_ci_formats_annotate_info_only_when_asked(
    project: Project, output_format: str, info: bool, levels: list[str]
) -> None:
    project.claims(LOCATION)
    project.article(
        "a.txt", "They met in Astana. Floods closed roads in Peru. Trade was discussed."
    )
    project.article("b.txt", "They met in Almaty.")
    flags = ["--annotate-info"] if info else []
    result = project.run("--format", output_format, "--no-reports", *flags)
    assert sorted(set(_annotated(result.stdout, output_format))) == levels


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("output_format", ["github", "gitlab"])
def test_changed_since_annotates_only_new_findings_on_changed_files(
    project: Project, output_format: str
) -> None:
    project.claims(LOCATION)
    # stray: existing, unchanged
    project.article("a.txt", "They met in Astana. Floods closed roads in Peru.")
    project.article("b.txt", "They met in Astana.")
    _git(project.root, "init", "-q", "-b", "main")
    _git(project.root, "add", ".")
    _git(project.root, "commit", "-qm", "before")
    # The change: b now says Almaty (a new conflict, reported at a.txt and b.txt), and a new
    # article brings a new stray sentence.
    project.article("b.txt", "They met in Almaty.")
    project.article("c.txt", "They met in Astana. A wildfire swept through vineyards in Chile.")
    result = project.run("--format", output_format, "--changed-since", "HEAD", "--no-reports")
    text = result.stdout
    assert "Peru" not in text  # existing: never annotated
    assert "Chile" in text  # new, in a new file
    assert "loc: articles disagree" in text  # new, and b.txt (a related place) changed
    if output_format == "github":  # annotated in the changed article, where the diff is
        [conflict] = [line for line in text.splitlines() if "articles disagree" in line]
        assert conflict.startswith("::error file=corpus/b.txt,line=1,")
    everything = project.run("--format", output_format, "--no-reports").stdout
    assert "Peru" in everything


def test_a_new_finding_caused_by_a_ledger_edit_is_annotated_at_the_claim(
    project: Project,
) -> None:
    project.claims(LOCATION)
    project.article("a.txt", "They met in Astana. Floods closed roads in Peru.")
    _git(project.root, "init", "-q", "-b", "main")
    _git(project.root, "add", ".")
    _git(project.root, "commit", "-qm", "before")
    # Only the ledger changes: the unchanged a.txt now contradicts the verified answer. The
    # finding is new and gates; the diff holds only the claim, so it is annotated there.
    project.claims(LOCATION + "    expected: Almaty\n")
    result = project.run("--format", "github", "--changed-since", "HEAD", "--no-reports")
    assert result.status is ExitStatus.FINDINGS
    assert [line.split("::")[1] for line in result.stdout.splitlines()] == [
        "error file=claims/claims.yaml,line=2,col=5,title=crossfact CF002 contradiction (loc)"
    ]
    report = project.run("--format", "json", "--changed-since", "HEAD", "--no-reports")
    findings = json.loads(report.stdout)["findings"]
    assert sorted((f["kind"], f["path"], f["change"]) for f in findings) == [
        ("contradiction", "corpus/a.txt", "new"),  # the report keeps the finding's own place
        ("stray", "corpus/a.txt", "existing"),
    ]


# (settings file line, flag, findings listed): the flag wins over the file, the file the default
CAP_SOURCES = [
    ("max-findings = 1\n", [], 1),
    ("max-findings = 1\n", ["--max-findings", "2"], 2),
    ("max-findings = 0\n", [], 4),
    ("", [], 4),
]


@pytest.mark.parametrize(("settings", "flags", "listed"), CAP_SOURCES)
def test_the_cap_can_be_set_in_the_settings_file(
    project: Project, settings: str, flags: list[str], listed: int
) -> None:
    _corpus(project)
    (project.root / "crossfact.toml").write_text(settings)
    result = project.run("--no-reports", *flags)
    assert len(re.findall(r"^corpus/a\d\.txt:", result.stdout, re.M)) == listed


def test_a_bad_cap_in_the_settings_file_is_located(project: Project) -> None:
    _corpus(project)
    (project.root / "crossfact.toml").write_text('corpus = "corpus"\nmax-findings = -3\n')
    result = project.run("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[0] == (
        "crossfact.toml:2:1: max-findings must be a whole number, 0 or more, not -3"
    )
