"""A first project: init, settings found upward, help, rule details, usage errors, the module."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.application.cli import ExitStatus
from checker.application.reading import find_root
from checker.findings.rules import RULES
from checker.schema import schema_text
from tests.harness import REPO, run_cli

INIT_FILES = [
    "crossfact.toml",
    "claims/claims.yaml",
    "claims/claims.schema.json",
    "articles/example.md",
    ".pre-commit-config.yaml",
]


def test_init_then_check_and_validate_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init")
    assert result.status is ExitStatus.OK, result.stderr
    assert sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
    ) == sorted(INIT_FILES)
    assert [line.removeprefix("wrote ") for line in result.stdout.splitlines()[:5]] == INIT_FILES
    assert (tmp_path / "claims" / "claims.schema.json").read_text("utf-8") == schema_text()
    ledger = (tmp_path / "claims" / "claims.yaml").read_text("utf-8")
    assert ledger.startswith("# yaml-language-server: $schema=claims.schema.json\n")
    assert run_cli("validate").status is ExitStatus.OK
    check = run_cli()
    assert check.status is ExitStatus.OK, check.stdout + check.stderr
    assert "1 articles" in check.stdout


def _symlinked_claims(root: Path, outside: Path) -> None:
    (root / "claims").symlink_to(outside, target_is_directory=True)


# (case, what the folder holds before, arguments, exit status, what stderr says, files after)
INIT_CASES: list[
    tuple[str, Callable[[Path, Path], object], list[str], ExitStatus, str, list[str]]
] = [
    ("an empty folder", lambda root, out: None, [], ExitStatus.OK, "", INIT_FILES),
    (
        "a project that has settings already: nothing is written",
        lambda root, out: (root / "crossfact.toml").write_text("# mine\n"),
        [],
        ExitStatus.ERROR,
        "crossfact: error: crossfact.toml already exist(s) in .: init never overwrites",
        ["crossfact.toml"],
    ),
    (
        "a ledger of the same name: nothing is written",
        lambda root, out: (
            (root / "claims").mkdir(),
            (root / "claims" / "claims.yaml").write_text("x"),
        ),
        [],
        ExitStatus.ERROR,
        "claims/claims.yaml already exist(s)",
        ["claims/claims.yaml"],
    ),
    (
        "a pre-commit config is kept; the hook is printed instead",
        lambda root, out: (root / ".pre-commit-config.yaml").write_text("repos: []\n"),
        [],
        ExitStatus.OK,
        "",
        INIT_FILES,
    ),
    (
        "an existing corpus gets no sample article",
        lambda root, out: ((root / "news").mkdir(), (root / "news" / "a.txt").write_text("Hi.")),
        ["--corpus", "news"],
        ExitStatus.OK,
        "",
        [*INIT_FILES[:3], "news/a.txt", ".pre-commit-config.yaml"],
    ),
    (
        "a claims folder symlinked outside the project",
        _symlinked_claims,
        [],
        ExitStatus.ERROR,
        "claims/claims.yaml would be written outside",
        [],
    ),
    (
        "a corpus outside the project",
        lambda root, out: None,
        ["--corpus", "../elsewhere"],
        ExitStatus.ERROR,
        "crossfact: error: --corpus ../elsewhere: give a folder inside the project",
        [],
    ),
]


@pytest.mark.parametrize(
    ("case", "before", "argv", "status", "stderr", "after"),
    INIT_CASES,
    ids=[c[0] for c in INIT_CASES],
)
def test_init_writes_only_new_files_inside_its_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    before: Callable[[Path, Path], object],
    argv: list[str],
    status: ExitStatus,
    stderr: str,
    after: list[str],
) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    before(root, outside)
    kept = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    monkeypatch.chdir(root)
    result = run_cli("init", *argv)
    assert result.status is status
    assert stderr in result.stderr
    assert "Traceback" not in result.stderr
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == sorted(after)
    assert list(outside.iterdir()) == []
    for path, content in kept.items():
        assert path.read_bytes() == content
    if case.startswith("a pre-commit config"):
        assert "entry: crossfact check --no-reports" in result.stdout


def test_init_into_a_named_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "desk").mkdir()
    result = run_cli("init", "desk")
    assert result.status is ExitStatus.OK
    assert "next: cd desk && crossfact" in result.stdout
    assert (tmp_path / "desk" / "crossfact.toml").is_file()
    assert not (tmp_path / "crossfact.toml").exists()


def _layout(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith("/"):
            path.mkdir(exist_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


# (case, files under a private top folder, where the run starts, the root found, relative to it)
DISCOVERY = [
    ("settings in the working folder", {"crossfact.toml": ""}, ".", "."),
    ("settings two levels up", {"crossfact.toml": "", "a/b/": ""}, "a/b", "../.."),
    (
        "a pyproject.toml with [tool.crossfact]",
        {"pyproject.toml": "[tool.crossfact]\ncorpus = 'x'\n", "a/": ""},
        "a",
        "..",
    ),
    (
        "a pyproject.toml without [tool.crossfact] is passed over",
        {"crossfact.toml": "", "a/pyproject.toml": "[tool.ruff]\n", "a/b/": ""},
        "a/b",
        "../..",
    ),
    (
        "the nearest settings win",
        {"crossfact.toml": "", "a/crossfact.toml": "", "a/b/": ""},
        "a/b",
        "..",
    ),
    (
        "the search stops at the top of the git checkout",
        {"crossfact.toml": "", "repo/.git/": "", "repo/sub/": ""},
        "repo/sub",
        ".",
    ),
    (
        "the checkout's own settings are found at its top",
        {"repo/.git/": "", "repo/crossfact.toml": "", "repo/sub/": ""},
        "repo/sub",
        "..",
    ),
    ("nothing found: the working folder", {"a/b/": ""}, "a/b", "."),
]


@pytest.mark.parametrize(
    ("case", "files", "start", "found"), DISCOVERY, ids=[c[0] for c in DISCOVERY]
)
def test_settings_are_found_upward(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    files: dict[str, str],
    start: str,
    found: str,
) -> None:
    top = tmp_path / "top"
    top.mkdir(mode=0o755)
    _layout(top, files)
    monkeypatch.chdir(top / start)
    assert find_root(Path()) == Path(found)


def test_the_search_never_reads_a_folder_others_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A planted crossfact.toml in a shared folder (/tmp) must not configure a user's run.
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "crossfact.toml").write_text('fail-on = "never"\n')
    shared.chmod(0o1777)
    (shared / "mine").mkdir(mode=0o755)
    monkeypatch.chdir(shared / "mine")
    assert find_root(Path()) == Path()
    shared.chmod(0o755)
    assert find_root(Path()) == Path("..")


def _seeds_below(tmp_path: Path, settings: str) -> Path:
    import shutil

    shutil.copytree(REPO / "seeds", tmp_path / "articles")
    shutil.copytree(REPO / "claims", tmp_path / "claims")
    (tmp_path / "crossfact.toml").write_text(settings, encoding="utf-8")
    (tmp_path / "articles" / "deep").mkdir()
    return tmp_path / "articles" / "deep"


def test_a_run_from_a_subfolder_uses_the_project_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_seeds_below(tmp_path, 'corpus = "articles"\nfail-on = "never"\n'))
    result = run_cli("--no-reports", "--no-cache")
    assert result.status is ExitStatus.OK  # fail-on = never, from the file two levels up
    assert "articles/000_e909acf5820e5662.txt:1:60: error CF001 conflict" in result.stdout
    # --isolated ignores it: no settings, the working folder is the root, and has no claims/.
    isolated = run_cli("--no-reports", "--no-cache", "--isolated")
    assert isolated.status is ExitStatus.ERROR
    assert isolated.stderr == "crossfact: error: claims folder not found: claims\n"


@pytest.mark.parametrize(
    ("settings", "wanted", "unwanted"),
    [
        (
            'corpus = "articles"\nfail-on = "warning"\n',
            ["../../articles from ../../crossfact.toml", "(default: warning from"],
            ["(default: seeds)"],
        ),
        (
            "",
            [
                "(default: ../../articles)" if False else "(default: ../../claims)",
                "(default: error)",
            ],
            ["claims from ../../crossfact.toml"],
        ),
    ],
)
def test_help_shows_the_effective_defaults(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: str,
    wanted: list[str],
    unwanted: list[str],
) -> None:
    monkeypatch.chdir(_seeds_below(tmp_path, settings))
    monkeypatch.setenv("COLUMNS", "400")  # one line per option, so phrases are not wrapped
    result = run_cli("check", "--help")
    assert result.status is ExitStatus.OK
    for phrase in wanted:
        assert phrase in result.stdout
    for phrase in unwanted:
        assert phrase not in result.stdout


# (arguments, exit status, lines that must be in stdout or stderr)
RULE_DETAILS = [
    (
        ["CF001"],
        ExitStatus.OK,
        [
            "CF001 conflict: Articles disagree on a claim (error or the claim's own severity)",
            "example:",
            "fix:",
            "waive the finding",
        ],
    ),
    (["conflict"], ExitStatus.OK, ["CF001 conflict:"]),
    (
        ["cf005"],
        ExitStatus.OK,
        [
            "CF005 stray:",
            "(warning by default)",
            "salient words critically, sought, rebuild, Egypt,",
        ],
    ),
    (
        ["MR002"],
        ExitStatus.OK,
        [
            "MR002 speaker: mention rule, phase drop, outcome source",
            "claim fields it reads: about, question",
            "--disable-rules MR002",
        ],
    ),
    (
        ["of-its-kind"],
        ExitStatus.OK,
        ["MR004 of-its-kind:", "claim fields it reads: none beyond the aliases"],
    ),
    (
        ["conflct"],
        ExitStatus.ERROR,
        ["crossfact: error: no finding kind or mention rule 'conflct'; did you mean 'conflict'?"],
    ),
    (
        ["ZZZ999"],
        ExitStatus.ERROR,
        ["crossfact: error: no finding kind or mention rule 'ZZZ999' (crossfact rules lists them)"],
    ),
]


@pytest.mark.parametrize(
    ("argv", "status", "lines"), RULE_DETAILS, ids=[a[0][0] for a in RULE_DETAILS]
)
def test_rules_code_explains_one_rule(
    argv: list[str], status: ExitStatus, lines: list[str]
) -> None:
    result = run_cli("rules", *argv)
    assert result.status is status
    for line in lines:
        assert line in result.stdout + result.stderr


def test_every_finding_kind_has_an_example_of_its_own_line() -> None:
    for rule in RULES.values():
        assert f" {rule.code} {rule.kind.value}: " in rule.example, rule.code


# (arguments, stderr): one "crossfact: error:" prefix, then the help to read.
USAGE_ERRORS = [
    (
        ["chek"],
        "crossfact: error: unknown command 'chek'; did you mean 'check'?\ncrossfact: see 'crossfact --help' for usage\n",
    ),
    (
        ["valdate"],
        "crossfact: error: unknown command 'valdate'; did you mean 'validate'?\ncrossfact: see 'crossfact --help' for usage\n",
    ),
    (
        ["frobnicate"],
        "crossfact: error: unknown command 'frobnicate'; commands: check, validate, baseline, init, schema, rules, suggest, explain, show, cache\ncrossfact: see 'crossfact --help' for usage\n",
    ),
    (
        ["validate", "--frob"],
        "crossfact: error: unrecognized arguments: --frob\ncrossfact: see 'crossfact validate --help' for usage\n",
    ),
    (
        ["--jobs", "x"],
        "crossfact: error: argument -j/--jobs: not a whole number: 'x'\ncrossfact: see 'crossfact check --help' for usage\n",
    ),
    (
        ["explain"],
        "crossfact: error: the following arguments are required: CLAIM_ID\ncrossfact: see 'crossfact explain --help' for usage\n",
    ),
]


@pytest.mark.parametrize(
    ("argv", "stderr"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS]
)
def test_usage_errors_have_one_prefix_and_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], stderr: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(*argv)
    assert (result.status, result.stderr, result.stdout) == (ExitStatus.ERROR, stderr, "")


def test_help_and_version_print_to_the_given_stream() -> None:
    assert run_cli("--version").stdout == "crossfact 0.1.0\n"
    assert "crossfact COMMAND --help" in run_cli("--help").stdout.replace("\n", " ")


def test_schema_dash_o_writes_it_into_the_project_with_the_modeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "claims").mkdir()
    monkeypatch.chdir(tmp_path)
    for output, modeline in [
        ("claims/claims.schema.json", "claims.schema.json"),
        ("schemas/claims.json", "../schemas/claims.json"),
    ]:
        result = run_cli("schema", "-o", output)
        assert result.status is ExitStatus.OK
        assert (tmp_path / output).read_text("utf-8") == schema_text()
        assert f"# yaml-language-server: $schema={modeline}\n" in result.stdout


def test_python_dash_m_crossfact_runs_the_command(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "crossfact", "rules", "CF001"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("CF001 conflict:")
