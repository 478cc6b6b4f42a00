"""The hostile-repository threat model (docs/security.md), one test per attack.

Each attack is committed to a throwaway git repository and cloned fresh, as a pull request
reaches CI; the run must stay safe: no code run, nothing outside touched, no forged line,
exit 2 with one line, or a correct result.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from checker.application import cache as cache_module
from checker.application.cache import CACHE_DIR, AnalysisCache
from checker.application.cli import ExitStatus
from checker.application.records import analysis_to_json
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import RawArticle
from checker.base.files import remove_stale_temporaries
from checker.base.ledger import load_ledger
from checker.judgement.analysis import analyse_raw
from checker.judgement.index import build_index, matching_hash
from tests.harness import REPO, Project, check_texts, location, run_cli

GIT_ENV = {
    "GIT_AUTHOR_NAME": "attacker",
    "GIT_AUTHOR_EMAIL": "a@example.org",
    "GIT_COMMITTER_NAME": "attacker",
    "GIT_COMMITTER_EMAIL": "a@example.org",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def pull_request(
    tmp_path: Path, plant: dict[str, bytes], links: dict[str, str] | None = None
) -> Path:
    """Commit the seeds plus planted files (and symlinks), clone fresh, return the clone."""
    origin = tmp_path / "origin"
    shutil.copytree(REPO / "seeds", origin / "seeds")
    shutil.copytree(REPO / "claims", origin / "claims")
    for name, data in plant.items():
        (origin / name).parent.mkdir(parents=True, exist_ok=True)
        (origin / name).write_bytes(data)
    for name, target in (links or {}).items():
        (origin / name).parent.mkdir(parents=True, exist_ok=True)
        (origin / name).symlink_to(target)
    git(origin, "init", "-q")
    git(origin, "add", "-f", ".")
    git(origin, "commit", "-qm", "pull request")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    return clone


def seeds_cache_names() -> tuple[str, dict[str, RawArticle]]:
    """Compute what an attacker can: the ledger id and each article's entry key."""
    files = sorted((REPO / "claims").glob("*.yaml"))
    ledger = load_ledger([(f"claims/{p.name}", p.read_bytes()) for p in files])
    cache = AnalysisCache(Path(), matching_hash(ledger), Boilerplate().signature, b"x")
    raws = {}
    for path in sorted((REPO / "seeds").glob("*.txt")):
        raw = RawArticle(path.read_bytes(), path.stem, f"seeds/{path.name}", "plain")
        raws[cache.key(raw)] = raw
    return cache.ledger, raws


def forged_database(
    tmp_path: Path, rows: list[tuple[str, str, str, bytes]], extra: str = ""
) -> bytes:
    """Build the SQLite file an attacker would commit: our schema, rows, and extra SQL."""
    path = tmp_path / "forged.sqlite3"
    connection = sqlite3.connect(path)
    for statement in cache_module.SCHEMA:
        connection.execute(statement)
    connection.execute("INSERT INTO meta VALUES ('owner', ?)", ("0" * 64,))
    connection.executemany("INSERT INTO analyses VALUES (?, ?, ?, ?, 0)", rows)
    if extra:
        connection.executescript(extra)
    connection.commit()
    connection.close()
    return path.read_bytes()


class _Payload:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("touch PWNED",))


def test_a_committed_pickle_or_sql_payload_runs_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, raws = seeds_cache_names()
    pickled = pickle.dumps(_Payload())
    rows = [(ledger, key, "0" * 64, pickled) for key in raws]
    trigger = (
        "CREATE TABLE loot (x); CREATE TRIGGER steal AFTER INSERT ON analyses "
        "BEGIN INSERT INTO loot VALUES (new.payload); END;"
    )
    plant = {
        f"{CACHE_DIR}/{cache_module.DATABASE}": forged_database(tmp_path, rows, trigger),
        # the file-per-entry layout of earlier versions, pickles included
        **{f"{CACHE_DIR}/v0.1.0/x/{key}.pickle": pickled for key in raws},
    }
    clone = pull_request(tmp_path, plant)
    monkeypatch.chdir(clone)
    for _ in range(2):
        result = run_cli("--no-reports")
        assert result.status is ExitStatus.FINDINGS
        assert "result: FAIL, 5 finding(s) at or above error" in result.stdout
    assert not list(tmp_path.rglob("PWNED"))
    database = clone / CACHE_DIR / cache_module.DATABASE
    assert database.read_bytes() == plant[f"{CACHE_DIR}/{cache_module.DATABASE}"]  # untouched
    assert "not made on this machine: never used" in run_cli("cache", "info").stdout


def test_a_forged_analysis_cannot_pass_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_id, raws = seeds_cache_names()
    ledger = load_ledger(
        [(f"claims/{p.name}", p.read_bytes()) for p in sorted((REPO / "claims").glob("*.yaml"))]
    )
    index = build_index(ledger)
    rows = []
    for key, raw in raws.items():
        # A real analysis of an empty article under this article's name: no sentences, no hits.
        empty = analyse_raw(
            RawArticle(b"", raw.article_id, raw.path, "plain"), index, Boilerplate()
        )
        rows.append((ledger_id, key, "0" * 64, analysis_to_json(empty)))
    clone = pull_request(
        tmp_path, {f"{CACHE_DIR}/{cache_module.DATABASE}": forged_database(tmp_path, rows)}
    )
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.FINDINGS
    assert "result: FAIL, 5 finding(s) at or above error" in result.stdout


def test_a_cache_symlink_cannot_make_prune_delete_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim"
    for n in range(8):
        (victim / f"folder{n}").mkdir(parents=True)
        (victim / f"folder{n}" / "keep.txt").write_text("precious")
    clone = pull_request(tmp_path, {}, {f"{CACHE_DIR}/v9": "../../victim"})
    monkeypatch.chdir(clone)
    for _ in range(3):
        assert run_cli("--no-reports").status is ExitStatus.FINDINGS
    assert run_cli("cache", "clear").status is ExitStatus.OK
    assert sorted(p.name for p in victim.iterdir()) == [f"folder{n}" for n in range(8)]
    assert all((victim / f"folder{n}" / "keep.txt").exists() for n in range(8))


@pytest.mark.parametrize("link", [CACHE_DIR, f"{CACHE_DIR}/{cache_module.DATABASE}"])
def test_a_symlinked_cache_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / cache_module.DATABASE).write_bytes(b"precious")
    target = "../outside" if link == CACHE_DIR else f"../../outside/{cache_module.DATABASE}"
    clone = pull_request(tmp_path, {}, {link: target})
    monkeypatch.chdir(clone)
    assert run_cli("--no-reports").status is ExitStatus.FINDINGS
    assert run_cli("cache", "clear").status is ExitStatus.OK
    assert sorted(p.name for p in outside.iterdir()) == [cache_module.DATABASE]
    assert (outside / cache_module.DATABASE).read_bytes() == b"precious"


def test_no_cache_is_kept_in_the_file_system_root() -> None:
    assert AnalysisCache.open(Path("/"), "m", "s") is None


def test_entries_written_here_are_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {})
    monkeypatch.chdir(clone)
    first = run_cli("--format", "json", "--no-reports").stdout
    info = run_cli("cache", "info").stdout
    assert "2 analyses, 0 digests, 0 outlines, 0 memoised judgements (current ledger)" in info
    assert run_cli("--format", "json", "--no-reports").stdout == first
    assert run_cli("cache", "clear").stdout.endswith("removed\n")
    assert "no cache yet" in run_cli("cache", "info").stdout


def test_two_runs_at_once_share_the_cache(tmp_path: Path) -> None:
    clone = pull_request(tmp_path, {})
    for name in ("a", "b", "c", "d"):
        (clone / "seeds" / f"extra-{name}.txt").write_text(f"They met in Almaty, said {name}.\n")

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "checker", "--no-reports", "--format", "json"],
            cwd=clone,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    for _ in range(2):  # cold, then warm: both pairs run at the same time
        runs = [start(), start()]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [1, 1]
        assert outputs[0][0] == outputs[1][0]
        assert [err for _, err in outputs] == ["", ""]
    connection = sqlite3.connect(clone / CACHE_DIR / cache_module.DATABASE)
    counted = "SELECT count(*) FROM analyses WHERE ledger {} ?"
    snapshots = cache_module.SNAPSHOTS
    assert connection.execute(counted.format("!="), (snapshots,)).fetchone() == (6,)
    # One snapshot per claim file of the seeds ledger.
    assert connection.execute(counted.format("="), (snapshots,)).fetchone() == (2,)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


SECRET = "TOP-SECRET-TOKEN 1234"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "secret"
    path.parent.mkdir()
    path.write_text(f"waivers:\n  - {SECRET}\n")
    return path


def test_a_waiver_symlink_to_a_secret_is_not_read(
    tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {}, {"claims/waivers.yaml": str(secret)})
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[0] == (
        "claims/waivers.yaml:1:1: waiver file links outside the project"
    )
    assert SECRET not in result.stdout + result.stderr


def test_a_settings_path_cannot_point_outside(
    tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = f'[tool.crossfact]\nwaivers = "{secret}"\n'.encode()
    clone = pull_request(tmp_path, {"pyproject.toml": toml})
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert SECRET not in result.stdout + result.stderr
    assert "waiver file links outside the project" in result.stderr


def test_baseline_never_writes_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = b'[tool.crossfact]\nwaivers = "../../outside/w.yaml"\n'
    clone = pull_request(tmp_path, {"pyproject.toml": toml})
    monkeypatch.chdir(clone)
    result = run_cli("baseline")
    assert result.status is ExitStatus.ERROR
    assert "lies outside the project" in result.stderr
    assert not (tmp_path.parent / "outside").exists()
    assert not (tmp_path / "outside").exists()


def test_a_boilerplate_symlink_outside_is_refused(
    tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {}, {"claims/boilerplate.txt": str(secret)})
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr == (
        "crossfact: error: claims/boilerplate.txt: boilerplate file links outside the project\n"
    )


@pytest.mark.parametrize(
    ("planted", "refusal"),
    [
        ("claims/waivers.yaml", "not a regular file"),
        ("claims/boilerplate.txt", "not a regular file"),
        ("crossfact.toml", "links outside the project"),  # settings never leave the project
        ("seeds/zero.txt", "not a regular file"),
    ],
)
def test_a_device_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: str, refusal: str
) -> None:
    clone = pull_request(tmp_path, {})
    (clone / planted).unlink(missing_ok=True)
    (clone / planted).symlink_to("/dev/zero")
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports", "--allow-outside")  # even where outside is allowed
    assert result.status is ExitStatus.ERROR
    assert refusal in result.stderr
    assert len(result.stderr.splitlines()) <= 2


def test_a_fifo_does_not_hang_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clone = pull_request(tmp_path, {})
    os.mkfifo(clone / "seeds" / "pipe.txt")
    monkeypatch.chdir(clone)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr == "crossfact: error: seeds/pipe.txt: not a regular file\n"


# File names an attacker can commit, and what each tries to forge.
HOSTILE_NAMES = [
    (b"z\n::error title=X::forged\n.txt", "a workflow command on a line of its own"),
    (b"::add-mask::secret.txt", "a workflow command at the start of a line"),
    (b"\x1b[31mred\x1b[0m.txt", "ANSI escapes in the terminal"),
    (b"ctl\x01\x0b.txt", "control characters that make JUnit XML malformed"),
    (b"**Result:** \xe2\x9c\x85 no finding `x`.txt", "a forged Markdown result line"),
    (b"caf\xe9.txt", "a file name that is not UTF-8"),
]


def _forbidden_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("::")]


@pytest.mark.parametrize(("name", "attack"), HOSTILE_NAMES, ids=[a for _, a in HOSTILE_NAMES])
def test_a_hostile_file_name_forges_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: bytes, attack: str
) -> None:
    clone = pull_request(tmp_path, {})
    path = os.path.join(bytes(clone / "seeds"), name)  # noqa: PTH118 - bytes, not str
    with open(path, "wb") as handle:  # noqa: PTH123 - a bytes path: the name is not UTF-8
        handle.write(b"They met in Almaty. Zanzibar voted.\n")
    monkeypatch.chdir(clone)
    text = run_cli("--no-reports")
    assert text.status is ExitStatus.FINDINGS, text.stderr
    assert "\x1b" not in text.stdout
    assert not _forbidden_lines(text.stdout)
    github = run_cli("--no-reports", "--format", "github").stdout
    assert all(
        line.startswith(("::error file=", "::warning file=", "::notice file="))
        for line in github.splitlines()
    )
    junit = run_cli("--no-reports", "--format", "junit").stdout
    ElementTree.fromstring(junit)  # well-formed XML 1.0
    markdown = run_cli("--no-reports", "--format", "markdown").stdout
    assert [line for line in markdown.splitlines() if line.startswith("**Result:**")] == [
        "**Result:** ❌ FAIL, 5 finding(s) at or above error"
    ]
    assert "\n::" not in markdown
    # A broken article of the same name: the error line forges nothing either.
    with open(path, "wb") as handle:  # noqa: PTH123
        handle.write(b"\xff\xfe broken")
    broken = run_cli("--no-reports")
    assert broken.status is ExitStatus.ERROR
    assert len(broken.stderr.splitlines()) == 1
    assert not _forbidden_lines(broken.stderr)
    assert "\x1b" not in broken.stderr


def test_an_overlong_alias_is_a_located_error(project_root: Path) -> None:
    periodic = "word " * 20_000  # took 39 s to compile into the automaton
    (project_root / "claims" / "c.yaml").write_text(
        "claims:\n  - id: x\n    question: q\n    values:\n"
        f"      A: [a, '{periodic.strip()}']\n    about: [met, '{'m' * 201}']\n"
    )
    result = run_cli("validate")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.splitlines()[:2] == [
        "claims/c.yaml:5:14: alias of value 'A' is 99999 characters long; the limit is 200",
        "claims/c.yaml:6:18: about cue is 201 characters long; the limit is 200",
    ]


@pytest.fixture
def project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "claims").mkdir()
    (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


BOMB = "\n".join(
    ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        (BOMB, "YAML expands to more than 2000000 nodes (alias bomb?)"),
        ("x: " + "[" * 10_000 + "]" * 10_000, "YAML nesting is too deep"),
        ("title: !!python/object/apply:os.system ['touch PWNED']", "unsupported YAML tag"),
        ("title: a\ntitle: b", "duplicate key 'title'"),
    ],
    ids=["alias bomb", "deep nesting", "python tag", "duplicate key"],
)
def test_front_matter_goes_through_the_guarded_loader(
    project_root: Path, front_matter: str, problem: str
) -> None:
    (project_root / "claims" / "c.yaml").write_text(
        "claims:\n  - id: x\n    question: q\n    values: {A: [a]}\n"
    )
    (project_root / "seeds" / "a.md").write_text(f"---\n{front_matter}\n---\n# Title\n\nText.\n")
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    [line] = result.stderr.splitlines()
    assert line.startswith("crossfact: error: seeds/a.md: front matter line ")
    assert problem in line
    assert not (project_root / "PWNED").exists()


def test_an_article_of_millions_of_sentences_is_refused_with_a_message(project_root: Path) -> None:
    (project_root / "claims" / "c.yaml").write_text(
        "claims:\n  - id: x\n    question: q\n    values: {A: [a]}\n"
    )
    (project_root / "seeds" / "a.txt").write_text("A b. " * 300_000)
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr == (
        "crossfact: error: seeds/a.txt: more than 200000 sentences in one article; "
        "split the article\n"
    )


# Every Default_Ignorable_Code_Point kind the issue tried: bidi marks and embeddings, isolates,
# invisible operators, CGJ, variation selectors, tags, Mongolian separators, fillers.
INVISIBLES = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u034f",
    "\ufe00",
    "\ufe0f",
    "\ufeff",
    "\u180e",
    "\u061c",
    "\U000e0041",
    "\U000e0100",
    "\u3164",
]


@pytest.mark.parametrize("invisible", INVISIBLES, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_cannot_hide_a_contradiction(invisible: str) -> None:
    report = check_texts(
        location("expected: Almaty"), {"a": f"They met in Ast{invisible}ana on Friday."}
    )
    [contradiction] = [f for f in report.findings if f.kind.value == "contradiction"]
    assert (contradiction.line, contradiction.column) == (1, 13)
    assert report.claims[0].cells[0].evidence[0].text == f"Ast{invisible}ana"
    assert report.result.status == "fail"
    hidden = [f for f in report.findings if f.kind.value == "hidden-character"]
    assert [(f.line, f.column, f.code, f.severity.value) for f in hidden] == [
        (1, 16, "CF008", "warning")
    ]
    assert f"U+{ord(invisible):04X}" in hidden[0].message


HARMLESS = [
    ("soft hyphen", "They met in Al\u00admaty."),
    ("emoji joiner", "Flags \U0001f3f3\ufe0f\u200d\U0001f308 waved."),
    ("Persian joiner", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 in Almaty."),
    ("between words", "Almaty \u200b is cold."),
]


@pytest.mark.parametrize(("case", "text"), HARMLESS, ids=[c for c, _ in HARMLESS])
def test_invisible_characters_with_a_use_are_not_flagged(case: str, text: str) -> None:
    report = check_texts(location(), {"a": text})
    assert [f for f in report.findings if f.kind.value == "hidden-character"] == []


def test_a_new_article_joining_a_waived_conflict_is_a_new_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {})
    monkeypatch.chdir(clone)
    assert run_cli("baseline").status is ExitStatus.OK
    assert run_cli("--no-reports").status is ExitStatus.OK  # everything reviewed is waived
    (clone / "seeds" / "002_new.txt").write_text(
        "China and Central Asian Foreign Ministers Met in Astana\n\nThey met in Astana.\n"
    )
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.FINDINGS
    assert "error CF001 conflict: meeting-location:" in result.stdout
    assert "'Astana' in 001_8ca5992aafb509e6, 002_new" in result.stdout
    stale = [line for line in result.stdout.splitlines() if "stale" in line]
    assert stale == [] or all("info" in line for line in stale)


def test_changed_since_labels_a_joined_conflict_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {})
    monkeypatch.chdir(clone)
    (clone / "seeds" / "002_new.txt").write_text("They met in Astana.\n")
    report = json.loads(
        run_cli("--changed-since", "HEAD", "--format", "json", "--no-reports").stdout
    )
    [conflict] = [f for f in report["findings"] if f["claim"] == "meeting-location"]
    assert conflict["change"] == "new"


def test_isolated_ignores_a_pull_requests_own_gate_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {"pyproject.toml": b'[tool.crossfact]\nfail-on = "never"\n'})
    monkeypatch.chdir(clone)
    assert run_cli("--no-reports").status is ExitStatus.OK  # the file turned the gate off
    assert run_cli("--no-reports", "--fail-on", "error").status is ExitStatus.FINDINGS
    assert run_cli("--no-reports", "--isolated").status is ExitStatus.FINDINGS


def test_eight_parallel_runs_share_one_report_folder(tmp_path: Path) -> None:
    clone = pull_request(tmp_path, {})
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "checker", "--no-cache"],
            cwd=clone,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert outcomes == [(1, "")] * 8
    reports = clone / "reports"
    assert sorted(p.name for p in reports.iterdir()) == ["report.html", "report.json", "report.md"]
    assert json.loads((reports / "report.json").read_text())["schema_version"] == 4


def test_only_a_dead_processs_temporaries_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".report.html.{dead.stdout.strip()}.abc.tmp"
    live = tmp_path / f".report.html.{os.getppid()}.abc.tmp"
    stale.write_text("x")
    live.write_text("x")
    remove_stale_temporaries(tmp_path, ["report.html"])
    assert not stale.exists()
    assert live.exists()


TRACEBACKS = [
    (
        "report.html is a folder",
        lambda root: (root / "reports" / "report.html").mkdir(parents=True),
        (),
        "cannot write reports/report.html: Is a directory",
    ),
    (
        "-o is a folder",
        lambda root: (root / "out").mkdir(),
        ("-o", "out", "--no-reports"),
        "cannot write out: Is a directory",
    ),
    (
        "crossfact.toml is not UTF-8",
        lambda root: (root / "crossfact.toml").write_bytes(b"fail-on = '\xff'\n"),
        (),
        "crossfact.toml:1:1: cannot read: not UTF-8",
    ),
    (
        "crossfact.toml is a folder",
        lambda root: (root / "crossfact.toml").mkdir(),
        (),
        "crossfact.toml:1:1: cannot read: Is a directory",
    ),
    (
        "a severity list",
        lambda root: (root / "crossfact.toml").write_text('[severity]\nconflict = ["error"]\n'),
        (),
        "crossfact.toml:2:1: severity of conflict must be one of error, warning, info, not ['error']",
    ),
    (
        "corpus with .. and --changed-since",
        lambda root: (root / "crossfact.toml").write_text('corpus = "seeds/.."\n'),
        ("--changed-since", "HEAD", "--no-reports"),
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "setup", "argv", "message"), TRACEBACKS, ids=[t[0] for t in TRACEBACKS]
)
def test_bad_input_is_one_line_and_exit_2_never_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    setup,
    argv,
    message,  # type: ignore[no-untyped-def]
) -> None:
    clone = pull_request(tmp_path, {})
    setup(clone)
    monkeypatch.chdir(clone)
    result = run_cli(*argv)
    assert "Traceback" not in result.stderr
    if message is None:
        assert result.status in (ExitStatus.ERROR, ExitStatus.FINDINGS)
        assert len(result.stderr.splitlines()) <= 2
        return
    assert result.status is ExitStatus.ERROR
    assert message in result.stderr.splitlines()[0]


def test_a_read_only_report_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = pull_request(tmp_path, {})
    monkeypatch.chdir(clone)

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # root may write anywhere: simulated

    monkeypatch.setattr("checker.base.files.tempfile.mkstemp", refuse)
    result = run_cli()
    assert result.status is ExitStatus.ERROR
    assert (
        result.stderr == "crossfact: error: cannot write reports/report.html: Permission denied\n"
    )


def planted_key_and_cache(tmp_path: Path) -> tuple[bytes, bytes]:
    """Build what a pull request can commit: a key of its own and a cache that key signs.

    The cache holds, under each seed article's entry, the analysis of an empty article: with it
    the gate would see no mention and pass.
    """
    ledger = load_ledger(
        [(f"claims/{p.name}", p.read_bytes()) for p in sorted((REPO / "claims").glob("*.yaml"))]
    )
    index = build_index(ledger)
    secret = b"k" * cache_module.KEY_BYTES
    scratch = tmp_path / "attacker"
    scratch.mkdir()
    cache = AnalysisCache(scratch, matching_hash(ledger), Boilerplate().signature, secret)
    for path in sorted((REPO / "seeds").glob("*.txt")):
        raw = RawArticle(path.read_bytes(), path.stem, f"seeds/{path.name}", "plain")
        empty = analyse_raw(
            RawArticle(b"", raw.article_id, raw.path, "plain"), index, Boilerplate()
        )
        cache.put(cache.key(raw), empty)
    cache.close()
    return secret, (scratch / CACHE_DIR / cache_module.DATABASE).read_bytes()


@pytest.mark.parametrize(
    ("variable", "value", "key_at"),
    [
        ("XDG_CACHE_HOME", "xdg", "xdg/crossfact/cache.key"),  # relative: read in the checkout
        ("XDG_CACHE_HOME", "{clone}/xdg", "xdg/crossfact/cache.key"),  # absolute, but inside
        ("HOME", "{clone}", ".cache/crossfact/cache.key"),  # the checkout as the home folder
    ],
)
def test_a_cache_key_committed_in_the_checkout_cannot_pass_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key_at: str
) -> None:
    secret, database = planted_key_and_cache(tmp_path)
    plant = {key_at: secret, f"{CACHE_DIR}/{cache_module.DATABASE}": database}
    clone = pull_request(tmp_path, plant)
    (clone / key_at).chmod(0o600)  # as if the runner kept the mode
    monkeypatch.chdir(clone)
    if variable == "HOME":
        monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv(variable, value.format(clone=clone))
    result = run_cli("--no-reports")
    assert result.status is ExitStatus.FINDINGS
    assert "result: FAIL, 5 finding(s) at or above error" in result.stdout
    info = run_cli("cache", "info").stdout
    assert info.startswith("no cache here: ")
    assert ("is inside the project" in info) or ("not an absolute folder" in info)


def test_the_planted_cache_would_pass_the_gate_if_its_key_were_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control for the test above: the same forged cache, read with its own key from a
    # folder outside the checkout, does hide the findings, so the refusal is what stops it.
    secret, database = planted_key_and_cache(tmp_path)
    clone = pull_request(tmp_path, {f"{CACHE_DIR}/{cache_module.DATABASE}": database})
    outside = tmp_path / "runner-cache" / "crossfact"
    outside.mkdir(parents=True)
    (outside / "cache.key").write_bytes(secret)
    (outside / "cache.key").chmod(0o600)
    monkeypatch.chdir(clone)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "runner-cache"))
    assert run_cli("--no-reports").status is ExitStatus.OK


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda key: (key.write_bytes(b"k" * 32), key.chmod(0o644)), "has mode 0o644"),
        (lambda key: key.write_bytes(b"short"), "is 5 bytes"),
        (lambda key: key.mkdir(), "is not a regular file"),
        (lambda key: os.mkfifo(key), "is not a regular file"),
    ],
)
def test_a_key_file_that_is_not_private_and_whole_is_not_used_and_named(
    project: Project,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    make: Any,
    problem: str,
) -> None:
    home = tmp_path_factory.mktemp("outside") / "user-cache"  # not inside the project
    (home / "crossfact").mkdir(parents=True)
    key = home / "crossfact" / "cache.key"
    make(key)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    project.claims(location())
    project.article("a.txt", "They met in Astana.")
    assert project.run("--no-reports").status in (ExitStatus.OK, ExitStatus.FINDINGS)
    assert not (project.root / CACHE_DIR / cache_module.DATABASE).exists()
    info = run_cli("cache", "info").stdout
    assert info == f"no cache here: the cache key {key} {problem}" + info.split(problem, 1)[1]
    assert info.endswith(": not used\n")


@pytest.mark.parametrize("home", ["/nonexistent-crossfact-home", "", "relative/home"])
def test_no_home_folder_means_no_cache_and_none_is_created(
    project: Project, monkeypatch: pytest.MonkeyPatch, home: str
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", home)
    project.claims(location())
    project.article("a.txt", "They met in Astana.")
    assert project.run("--no-reports").status in (ExitStatus.OK, ExitStatus.FINDINGS)
    assert not Path("/nonexistent-crossfact-home").exists()
    assert not (project.root / "relative").exists()
    assert not (project.root / CACHE_DIR / cache_module.DATABASE).exists()
    assert run_cli("cache", "info").stdout.startswith("no cache here: HOME ")


SPOOF_LEDGER = """
claims:
  - id: c
    question: Where did they meet?
    values: {{A: [{alias}], B: [Astana]}}
    expected: B
    about: [met]
"""
# (the value's alias, how a hostile article spells it, whether CF008 must warn)
SPOOFS = [
    ("Almaty", "Аlmаty", True),  # Cyrillic а
    ("Wang Yi", "Wang Yі", True),  # Cyrillic і
    ("Almaty", "ᴀʟᴍᴀᴛʏ", True),  # small capitals
    ("Almaty", "A\u0332l\u0332m\u0332a\u0332t\u0332y\u0332", False),  # a mark on every letter
    ("Almaty", "A\u0336l\u0336m\u0336a\u0336t\u0336y\u0336", False),
    ("Almaty", "Almaty\u0332", False),  # a mark on the last letter only: the same rule
    ("Wang Yi", "Wang\u2800Yi", False),  # the Braille blank for a space
    ("Xi'an", "Xi`an", False),
    ("Xi'an", "Xi´an", False),
    ("Xi'an", "Xiʹan", False),
    ("Alma-Ata", "Alma\u2043Ata", False),  # hyphen lookalikes
    ("Alma-Ata", "Alma\u02d7Ata", False),
]


@pytest.mark.parametrize(("alias", "spelled", "warns"), SPOOFS)
def test_a_lookalike_spelling_cannot_hide_a_contradiction(
    project: Project, alias: str, spelled: str, warns: bool
) -> None:
    project.claims(SPOOF_LEDGER.format(alias=json.dumps(alias)))
    project.article("a.txt", f"They met in {spelled} on Friday.\n")
    result = project.run("--no-reports", "--format", "json")
    assert result.status is ExitStatus.FINDINGS, result.stdout[-400:]
    report = json.loads(result.stdout)
    [contradiction] = [f for f in report["findings"] if f["kind"] == "contradiction"]
    [cell] = report["claims"][0]["cells"]
    [evidence] = cell["evidence"]
    assert evidence["text"] == spelled  # the span is exactly the word as written
    assert evidence["column"] == len("They met in ") + 1
    assert evidence["confusable"] is warns  # matched through lookalike letters
    assert contradiction["line"] == 1
    hidden = [f for f in report["findings"] if f["kind"] == "hidden-character"]
    if warns:
        [warning] = hidden
        assert warning["message"].startswith("lookalike letters U+")
        assert warning["details"]["word"] == spelled.split()[-1]  # the word, not the phrase
    else:
        assert hidden == []


def test_a_word_in_another_script_keeps_its_letters_and_no_warning(project: Project) -> None:
    project.claims(SPOOF_LEDGER.format(alias="Almaty"))
    project.article("a.txt", "They met in Алматы, Москва said.\n")
    report = json.loads(project.run("--no-reports", "--format", "json").stdout)
    assert report["claims"][0]["cells"] == []
    assert [f for f in report["findings"] if f["kind"] == "hidden-character"] == []


CHROME_LEDGER = """
claims:
  - id: c
    question: Where did they meet?
    values: {A: [Almaty], B: [Astana]}
    expected: B
    about: [met]
"""
# A prose sentence after something that starts like chrome is still prose.
CHROME_PREFIXES = [
    "Tags: They met in Almaty on Friday.",
    "Photo: They met in Almaty on Friday.",
    "Copyright 2025 They met in Almaty on Friday.",
    "(c) 2025 They met in Almaty on Friday.",
    "Written by staff. They met in Almaty on Friday.",
    "Posted on June 2, 2025. They met in Almaty on Friday.",
    "Home / World / They met in Almaty on Friday.",
    "Related:\nThey met in Almaty on Friday, officials said.",
    "References:\nThey met in Almaty on Friday, officials said.",
]


@pytest.mark.parametrize("text", CHROME_PREFIXES)
def test_prose_after_a_chrome_prefix_cannot_hide_a_contradiction(
    project: Project, text: str
) -> None:
    project.claims(CHROME_LEDGER)
    project.article("a.txt", f"Talks in Central Asia\n\n{text}\n")
    result = project.run("--no-reports", "--format", "json")
    assert result.status is ExitStatus.FINDINGS, result.stdout[-300:]
    kinds = [f["kind"] for f in json.loads(result.stdout)["findings"]]
    assert "contradiction" in kinds


@pytest.mark.parametrize(
    "line",
    [
        "Tags: China, Kazakhstan, Diplomacy",
        "Photo: Xinhua",
        "Copyright 2025 Reuters. All rights reserved.",
        "Written by staff",
        "Home / World / Asia",
        "⚠ Price Alert! Which shares will climb next?",
    ],
)
def test_chrome_without_a_sentence_stays_chrome(line: str) -> None:
    assert Boilerplate().matches(line)


@pytest.mark.parametrize("glob", ["*", "**", "*?*", "* *", "*a*"])
def test_a_glob_that_would_drop_every_line_is_refused_with_its_place(
    project: Project, glob: str
) -> None:
    project.claims(CHROME_LEDGER)
    project.article("a.txt", "They met in Almaty on Friday.\n")
    (project.root / "claims" / "boilerplate.txt").write_text(
        f"# chrome\nShare on Facebook\n{glob}\n"
    )
    result = project.run("--no-reports")
    assert result.status is ExitStatus.ERROR
    assert result.stderr.startswith(
        f"crossfact: error: claims/boilerplate.txt:3:1: the pattern {glob!r} would match almost"
    )


@pytest.mark.parametrize(
    "spelled",
    ["**Wang** Yi", "W*an*g Yi", "Wang&nbsp;Yi", "Wa<!-- -->ng Yi", "W\\ang Yi", "`Wang Yi`",
     "[Wang Yi](https://example.org/wang)"],
)  # fmt: skip
def test_markdown_markup_inside_an_alias_cannot_hide_a_contradiction(
    project: Project, spelled: str
) -> None:
    project.claims(SPOOF_LEDGER.format(alias=json.dumps("Wang Yi")))
    project.article("a.md", f"# Talks\n\nThey met with {spelled} on Friday.\n")
    result = project.run("--no-reports", "--format", "json")
    assert result.status is ExitStatus.FINDINGS, result.stdout[-300:]
    report = json.loads(result.stdout)
    [evidence] = report["claims"][0]["cells"][0]["evidence"]
    assert evidence["line"] == 3
    assert spelled.startswith(evidence["text"][:1]) or evidence["text"] in spelled
    assert "contradiction" in [f["kind"] for f in report["findings"]]


def test_markdown_markup_is_text_in_a_plain_text_article(project: Project) -> None:
    project.claims(SPOOF_LEDGER.format(alias=json.dumps("Wang Yi")))
    project.article("a.txt", "They met with **Wang** Yi on Friday.\n")
    report = json.loads(project.run("--no-reports", "--format", "json").stdout)
    assert report["claims"][0]["cells"] == []  # a .txt file is not read as Markdown
