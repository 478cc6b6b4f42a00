"""The command line, run in-process: exit codes, stdout, stderr and the report files."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker.application.cli import ExitStatus
from checker.findings.results import SCHEMA_VERSION
from tests.harness import LEDGER_ERRORS, REPO, Project, run_cli

EGYPT = "Most critically, it sought to rebuild Egypt’s relations with its Arab neighbors."
SEED_CONFLICTS = ["china-representative", "delegation-level", "meeting-location", "trump-office"]
CHROME_LINES = [
    "Tags",
    "Close",
    "Close Search Window",
    "Visited 1 times, 1 visit(s) today",
    "Written by 11:50 AM World",
]


def test_seeds_report_the_known_disagreements(seeds_project: Path) -> None:
    result = run_cli()
    assert result.status is ExitStatus.FINDINGS
    assert result.stderr == ""
    report = json.loads((seeds_project / "reports" / "report.json").read_text("utf-8"))
    findings = report["findings"]
    assert sorted(f["claim"] for f in findings if f["kind"] == "conflict") == SEED_CONFLICTS
    assert [
        (f["claim"], f["article"], f["details"]["found"])
        for f in findings
        if f["kind"] == "contradiction"
    ] == [("trump-office", "001_8ca5992aafb509e6", ["former President"])]
    for claim in SEED_CONFLICTS:
        assert f"error CF001 conflict: {claim}: articles disagree" in result.stdout
    stray = [f for f in findings if f["details"].get("sentence") == EGYPT]
    assert [(f["kind"], f["details"]["novel_terms"], f["line"]) for f in stray] == [
        ("stray", ["critically", "sought", "rebuild", "Egypt", "Arab"], 9)
    ]
    assert (
        f"warning CF005 stray: no claim supports this sentence, and no other sentence or claim uses its salient words critically, sought, rebuild, Egypt, Arab: "
        f"{EGYPT!r}" in result.stdout
    )
    sentences = {s["text"] for a in report["articles"] for s in a["sentences"]}
    assert sentences.isdisjoint(CHROME_LINES)
    assert report["summary"]["by_kind"]["conflict"] == 4
    assert report["result"] == {"status": "fail", "fail_on": "error", "gating": 5, "new": None}


def test_seed_evidence_has_exact_positions(seeds_project: Path) -> None:
    run_cli("--no-reports")
    report = json.loads(run_cli("--format", "json", "--no-reports").stdout)
    [claim] = [c for c in report["claims"] if c["id"] == "meeting-location"]
    lines = (seeds_project / "seeds" / "001_8ca5992aafb509e6.txt").read_text("utf-8").splitlines()
    for verdict in claim["cells"]:
        path = seeds_project / verdict_path(verdict)
        text = path.read_text("utf-8").splitlines()
        for e in verdict["evidence"]:
            assert text[e["line"] - 1][e["column"] - 1 : e["end_column"] - 1] == e["text"]
    assert lines  # the file was read


def verdict_path(verdict: dict[str, str]) -> str:
    return verdict["path"]


@pytest.mark.parametrize(
    ("fail_on", "status"),
    [("error", ExitStatus.FINDINGS), ("warning", ExitStatus.FINDINGS), ("never", ExitStatus.OK)],
)
def test_fail_on_on_the_seeds(seeds_project: Path, fail_on: str, status: ExitStatus) -> None:
    assert run_cli("--fail-on", fail_on, "--no-reports").status is status


CLAIM = """
claims:
  - id: loc
    question: Where?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met]
"""


@pytest.mark.parametrize(
    ("fail_on", "status"),
    [
        ("error", ExitStatus.OK),
        ("warning", ExitStatus.FINDINGS),
        ("info", ExitStatus.FINDINGS),
        ("never", ExitStatus.OK),
    ],
)
def test_a_stray_sentence_gates_only_from_warning(
    project: Project, fail_on: str, status: ExitStatus
) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty. Floods closed roads in Peru.")
    result = project.run("--fail-on", fail_on)
    assert result.status is status
    assert (
        "corpus/a.txt:1:21: warning CF005 stray: no claim supports this sentence, and no "
        in result.stdout
    )


def test_a_clean_corpus_exits_zero(project: Project) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty.")
    project.article("b.txt", "They met in Almaty too.")
    result = project.run()
    assert (result.status, result.stderr) == (ExitStatus.OK, "")
    assert "result: OK, no finding at or above error" in result.stdout


BAD_INPUT = [
    (
        "missing corpus",
        lambda p: p.claims(CLAIM),
        ("--corpus", "nope"),
        "crossfact: error: corpus folder not found: nope\n",
    ),
    (
        "empty corpus",
        lambda p: p.claims(CLAIM),
        (),
        "crossfact: error: corpus: the corpus holds no .txt or .md articles\n",
    ),
    (
        "article not UTF-8",
        lambda p: (p.claims(CLAIM), p.article("a.txt", b"Met in \xe9 Almaty.")),
        (),
        "crossfact: error: corpus/a.txt: not valid UTF-8 at byte offset 7\n",
    ),
    (
        "missing claims",
        lambda p: p.article("a.txt", "x"),
        ("--claims", "none"),
        "crossfact: error: claims folder not found: none\n",
    ),
    (
        "no claim files",
        lambda p: p.article("a.txt", "x"),
        (),
        "crossfact: error: no claim files (*.yaml) under claims\n",
    ),
    (
        "broken claim file",
        lambda p: (p.claims("claims:\n  - id: a\n    id: b\n"), p.article("a.txt", "x")),
        (),
        "claims/claims.yaml:2:5: missing required key 'question'\n"
        "claims/claims.yaml:2:5: missing required key 'values'\n"
        "claims/claims.yaml:3:5: duplicate key 'id' (first defined at 2:5)\n"
        "crossfact: 3 problem(s) in the claim ledger\n",
    ),
    (
        "unknown flag",
        lambda p: p.claims(CLAIM),
        ("--frobnicate",),
        "crossfact: error: unrecognized arguments: --frobnicate\n"
        "crossfact: see 'crossfact check --help' for usage\n",
    ),
    (
        "bad format",
        lambda p: p.claims(CLAIM),
        ("--format", "xml"),
        "crossfact: error: argument --format/--output-format: invalid choice: 'xml' "
        "(choose from 'text', 'json', 'markdown', 'html', 'sarif', 'junit', 'github', 'gitlab', 'claimreview')\n"
        "crossfact: see 'crossfact check --help' for usage\n",
    ),
    (
        "report dir is a file",
        lambda p: (p.claims(CLAIM), p.article("a.txt", "x"), (p.root / "out").write_text("")),
        ("--report-dir", "out"),
        "crossfact: error: report folder out exists and is not a folder\n",
    ),
    (
        "report dir outside the project, set in the settings file",
        lambda p: (
            p.claims(CLAIM),
            p.article("a.txt", "x"),
            (p.root / "crossfact.toml").write_text('report-dir = "../elsewhere"\n'),
        ),
        (),
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "setup", "argv", "stderr"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_gives_one_clear_message_and_exit_2(
    project: Project, case: str, setup, argv, stderr
) -> None:  # type: ignore[no-untyped-def]
    setup(project)
    result = project.run(*argv)
    assert result.status is ExitStatus.ERROR
    assert "Traceback" not in result.stderr
    if stderr is None:
        assert result.stderr.startswith("crossfact: error: report folder ")
        assert "../elsewhere lies outside the project" in result.stderr
    else:
        assert result.stderr == stderr
    assert not (project.root / "reports").exists()


def test_a_report_folder_named_on_the_command_line_may_lie_outside(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty.")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = project.run("--report-dir", str(elsewhere))
    assert result.status is ExitStatus.OK, result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
    ]


def test_json_report_is_deterministic_and_matches_stdout(seeds_project: Path) -> None:
    first = run_cli("--format", "json")
    saved = (seeds_project / "reports" / "report.json").read_bytes()
    second = run_cli("--format", "json")
    assert first.stdout == second.stdout
    assert (
        first.stdout.encode() == saved == (seeds_project / "reports" / "report.json").read_bytes()
    )
    assert sorted(p.name for p in (seeds_project / "reports").iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
    ]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script" and "type" not in dict(attrs):  # not a JSON data block
            self.scripts.append("")
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1] == "script" and data.lstrip().startswith(("[", "{")):
            return  # the JSON data of the findings table and the filter
        if self.tags and self.tags[-1] == "script" and self.scripts and not self.scripts[-1]:
            self.scripts[-1] = data
            return
        self.text.append(data)


def test_html_escapes_article_and_claim_text(project: Project) -> None:
    project.claims("""
    claims:
      - id: loc
        question: Where <b>exactly</b>?
        values: {Almaty: [Almaty], Astana: [Astana]}
        note: <img src=x onerror=alert(1)>
        sources: ["javascript:alert(1)", "https://example.org/a"]
    """)
    project.article("a.txt", "They met in Almaty <script>alert(1)</script>.")
    project.article("b.txt", "They met in Astana.")
    project.run()
    parser = _Elements()
    parser.feed((project.root / "reports" / "report.html").read_text("utf-8"))
    # The report's own filter script is the only script, and no injected markup became an element.
    assert len(parser.scripts) == 1
    assert "alert" not in parser.scripts[0]
    assert "img" not in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text
    assert "Where <b>exactly</b>?" in text
    assert "https://example.org/a" in parser.hrefs
    assert not any(h.startswith("javascript:") for h in parser.hrefs)
    internal = [h[1:] for h in parser.hrefs if h.startswith("#")]
    assert internal
    assert set(internal) <= set(parser.ids)


def test_markdown_escapes_article_text(project: Project) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "Egypt <script>alert(1)</script> voted | badly.")
    project.run()
    markdown = (project.root / "reports" / "report.md").read_text("utf-8")
    assert "<script>" not in markdown
    assert "\\<script\\>" in markdown


def test_reports_are_replaced_whole_and_leave_no_temporary_files(project: Project) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty.")
    (project.root / "reports").mkdir()
    (project.root / "reports" / "report.json").write_text("old")
    project.run()
    assert (
        json.loads((project.root / "reports" / "report.json").read_text("utf-8"))["schema_version"]
        == SCHEMA_VERSION
    )
    assert sorted(p.name for p in (project.root / "reports").iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
    ]


def test_validate_checks_the_ledger_alone(project: Project) -> None:
    project.claims(CLAIM)
    assert run_cli("validate").stdout == (
        "1 claims in 1 files: OK (no corpus: lint skipped)\n"
        "result: OK, no finding at or above error\n"
    )
    project.claims(
        "claims:\n  - id: x\n    question: q\n    values: {A: [a]}\n    expected: B\n", "b.yaml"
    )
    result = run_cli("validate")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[0] == (
        "claims/b.yaml:5:15: expected value 'B' is not one of the claim's values ('A')"
    )


def test_python_dash_m_runs_the_same_command(seeds_project: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--format", "json", "--no-reports"],
        capture_output=True,
        text=True,
        check=False,
        cwd=seeds_project,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["summary"]["by_kind"]["conflict"] == 4


def test_ci_runs_the_readme_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    commands = [line for line in readme.splitlines() if "python3 -m venv .venv" in line]
    assert len(commands) == 2
    assert "crossfact" in commands[0]
    # The README chains the steps with &&; .ci/run runs each on a line of its own, in order.
    browser, rest = commands[1].split(") && ", 1)
    steps = rest.split(" && ")
    lines = [line.strip() for line in ci.splitlines()]
    assert [line for line in lines if line in steps] == steps
    assert "apt-get install -y -qq chromium" in browser
    assert "apt-get install -y -qq chromium" in lines


@pytest.mark.parametrize(
    ("case", "text", "expected"), LEDGER_ERRORS, ids=[e[0] for e in LEDGER_ERRORS]
)
def test_every_claim_file_error_exits_2_through_the_cli(
    project: Project, case: str, text: str, expected: list[str]
) -> None:
    project.claims(text, "c.yaml")
    project.article("a.txt", "They met in Almaty.")
    result = project.run()
    assert result.status is ExitStatus.ERROR
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *expected,
        f"crossfact: {len(expected)} problem(s) in the claim ledger",
    ]


def test_a_large_corpus_reports_findings_not_every_sentence(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(project, monkeypatch)
    default = json.loads(project.run("--format", "json", "--no-reports").stdout)
    full = json.loads(
        project.run("--format", "json", "--no-reports", "--detail", "sentences").stdout
    )
    assert (default["detail"], full["detail"]) == ("findings", "sentences")
    assert default["summary"] == full["summary"]
    assert default["result"] == full["result"]
    assert [a["sentences"] for a in default["articles"]] == [[], []]
    assert [a["sentences_left_out"] for a in default["articles"]] == [9, 9]
    kinds = [f["kind"] for f in default["findings"]]
    assert kinds.count("conflict") == 1
    assert kinds.count("unsupported") == 4  # two per article
    assert default["findings_left_out"] == len(full["findings"]) - len(default["findings"]) == 12
    text = project.run("--no-reports").stdout
    assert "  12 info-level findings not listed (--detail sentences lists them)" in text


def _archive(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a two-article project that counts as an archive, listing 2 info findings each."""
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 10)
    monkeypatch.setattr("checker.findings.results.INFO_PER_ARTICLE", 2)
    project.claims(CLAIM)
    filler = " ".join(f"Filler sentence number {n} is here." for n in range(8))
    project.article("a.txt", f"They met in Almaty. {filler}\n")
    project.article("b.txt", f"They met in Astana. {filler}\n")


def test_a_waiver_for_an_unlisted_finding_is_applied_not_stale(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(project, monkeypatch)
    assert project.run("baseline").status is ExitStatus.OK  # waives all 17, listed or not
    report = json.loads(project.run("--format", "json", "--no-reports").stdout)
    assert report["summary"]["waived"] == report["summary"]["by_kind"]["unsupported"] + 1 == 17
    assert report["summary"]["by_kind"]["stale-waiver"] == 0
    assert report["findings_left_out"] == 12
    assert all(f["waived"] for f in report["findings"])


def test_info_findings_that_gate_are_all_counted_in_the_result(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(project, monkeypatch)
    default = json.loads(
        project.run("--format", "json", "--no-reports", "--fail-on", "info").stdout
    )
    full = json.loads(
        project.run(
            "--format", "json", "--no-reports", "--fail-on", "info", "--detail", "sentences"
        ).stdout
    )
    assert default["result"] == full["result"]
    assert default["result"]["gating"] == 17  # the conflict and 16 unsupported sentences
    assert default["summary"] == full["summary"]


_LOADED = """
import io, json, sys
from checker.application.cli import run
out = io.StringIO()
status = run(sys.argv[1:], out, io.StringIO())
heavy = ("pydantic", "pydantic_core", "jinja2", "yaml", "orjson", "ahocorasick_rs")
loaded = [m for m in sys.modules if m.split(".")[0] in heavy]
loaded += [m for m in sys.modules if m.startswith(("checker.judgement", "checker.findings",
    "checker.articles", "checker.formats.", "checker.base.claims", "checker.base.ledger",
    "checker.application.app", "checker.application.settings"))]
print(json.dumps([int(status), sorted(loaded), len(out.getvalue())]))
"""


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_load_neither_the_models_nor_the_engine(
    arguments: list[str], tmp_path: Path
) -> None:
    """Issue 23: `crossfact --version` and `--help` (no settings file) start in a few ms."""
    completed = subprocess.run(
        [sys.executable, "-c", _LOADED, *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
    )
    status, loaded, printed = json.loads(completed.stdout)
    assert status == 0
    assert loaded == []
    assert printed > 10


def test_help_with_a_settings_file_still_shows_its_defaults(tmp_path: Path) -> None:
    (tmp_path / "crossfact.toml").write_text('corpus = "articles"\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
    )
    assert "articles from crossfact.toml" in " ".join(completed.stdout.split())
