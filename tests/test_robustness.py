"""Hostile and broken input: one clear message and exit 2, or a correct result; and fuzzing."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.application.cache import CACHE_DIR, DATABASE
from checker.application.cli import ExitStatus
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import decode_article, parse_article
from checker.base.errors import ClaimFileError, CorpusError
from checker.base.ledger import parse_claim_file
from tests.harness import REPO, Project, location, run_cli

# CI runs this many cases per fuzz target; set CROSSFACT_FUZZ_EXAMPLES higher for a long run.
FUZZ_EXAMPLES = int(os.environ.get("CROSSFACT_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLAIM = """
claims:
  - id: loc
    question: Where?
    values: {Almaty: [Almaty], Astana: [Astana]}
"""
YAML_PIECES = [
    "claims:",
    "\n",
    "  ",
    "- ",
    "id: ",
    "a",
    "question: ",
    "values:",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "&x ",
    "*x",
    "!!python/object ",
    "!!str ",
    "<<: ",
    "'",
    '"',
    "#",
    "\t",
    "kind: any-of",
    "expected: ",
    "~",
    "- id: a",
    "\ufeff",
    "é",
    "---\n",
    "...\n",
    "|\n",
    ">\n",
]


def run_isolated(project: Project, *argv: str) -> tuple[ExitStatus, str, str]:
    result = project.run(*argv)
    return result.status, result.stdout, result.stderr


# -- fuzzing -------------------------------------------------------------------------------


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.sampled_from(YAML_PIECES), max_size=40).map(lambda p: "".join(p).encode()),
    )
)
def test_fuzz_claim_loader_raises_only_its_own_error(data: bytes) -> None:
    problems = []
    try:
        parse_claim_file(data, "c.yaml")
    except ClaimFileError as exc:
        problems = [str(p) for p in exc.problems]
    assert all(re.fullmatch(r"c\.yaml:\d+:\d+: .+", p, re.S) for p in problems)


@FUZZ
@given(st.one_of(st.binary(max_size=600), st.text(max_size=600).map(str.encode)))
def test_fuzz_article_reader_raises_only_its_own_error(data: bytes) -> None:
    try:
        text = decode_article(data, "a.txt")
    except CorpusError as exc:
        text, error = None, str(exc)
    if text is None:
        assert error.startswith("a.txt: ")
        return
    for markdown in (False, True):
        article = parse_article(text, "a", "a.txt", Boilerplate(), markdown=markdown)
        for sentence in article.sentences:
            assert sentence.text.strip()
            assert sentence.text in sentence.line.text


# -- hostile claim files ------------------------------------------------------------------


def test_deep_nesting_is_refused(project: Project) -> None:
    project.claims("claims: " + "[" * 20000 + "]" * 20000)
    project.article("a.txt", "x")
    status, _, stderr = run_isolated(project)
    assert status is ExitStatus.ERROR
    assert stderr.splitlines()[0] == "claims/claims.yaml:1:1: YAML nesting is too deep"


def test_a_huge_claim_file_is_refused_before_parsing(project: Project) -> None:
    path = project.root / "claims" / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    project.article("a.txt", "x")
    status, _, stderr = run_isolated(project)
    assert status is ExitStatus.ERROR
    assert stderr.splitlines()[0] == (
        "claims/huge.yaml:1:1: claim file 52428800 bytes is over the size limit of 10485760 "
        "bytes; split it into several files"
    )


# -- broken articles ----------------------------------------------------------------------


def test_a_huge_article_is_refused_unless_the_limit_is_raised(project: Project) -> None:
    project.claims(CLAIM)
    with (project.root / "corpus" / "big.txt").open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    status, _, stderr = run_isolated(project)
    assert status is ExitStatus.ERROR
    assert stderr == (
        "crossfact: error: corpus/big.txt: 104857600 bytes is over the size limit of "
        "8388608 bytes; raise it with --max-article-mb\n"
    )
    status, _, stderr = run_isolated(project, "--max-article-mb", "200")
    assert stderr == (
        "crossfact: error: corpus/big.txt: binary content (NUL byte at byte offset 0); "
        "not a text article\n"
    )


@pytest.mark.parametrize(
    ("content", "sentences"),
    [
        (b"", 0),
        (b"Tags\nClose\nVisited 3 times, 1 visit(s) today\n", 0),
        (b"\xef\xbb\xbfThey met in Almaty.\r\nThen Astana.\rEnd.", 3),
    ],
)
def test_empty_chrome_only_and_mixed_line_ending_articles(
    project: Project, content: bytes, sentences: int
) -> None:
    project.claims(CLAIM)
    project.article("a.txt", content)
    status, stdout, _ = run_isolated(project, "--format", "json", "--no-reports")
    assert status is ExitStatus.OK
    assert f'"sentences": {sentences},' in stdout


# -- bad paths ----------------------------------------------------------------------------


def test_a_symlink_out_of_the_project_is_refused_unless_allowed(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("They met in Astana.", encoding="utf-8")
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty.")
    (project.root / "corpus" / "b.txt").symlink_to(outside)
    status, _, stderr = run_isolated(project)
    assert status is ExitStatus.ERROR
    assert stderr == (
        "crossfact: error: corpus/b.txt: links outside the project; pass --allow-outside to permit it\n"
    )
    status, stdout, _ = run_isolated(project, "--allow-outside", "--no-reports")
    assert status is ExitStatus.FINDINGS
    assert "articles disagree" in stdout


def test_an_unreadable_article_names_the_file(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "x")
    real = os.open

    def refuse(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).name == "a.txt":  # root reads any file, so the refusal is simulated
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)

    monkeypatch.setattr("checker.base.files.os.open", refuse)
    status, _, stderr = run_isolated(project)
    assert (status, stderr) == (
        ExitStatus.ERROR,
        "crossfact: error: corpus/a.txt: cannot read: Permission denied\n",
    )


def test_a_dangling_symlink_names_the_file(project: Project) -> None:
    project.claims(CLAIM)
    (project.root / "corpus" / "gone.txt").symlink_to(project.root / "corpus" / "missing.txt")
    status, _, stderr = run_isolated(project)
    assert (status, stderr) == (
        ExitStatus.ERROR,
        "crossfact: error: corpus/gone.txt: cannot read: No such file or directory\n",
    )


# -- expensive patterns -------------------------------------------------------------------


def test_a_pathological_boilerplate_glob_cannot_hang_a_run(project: Project) -> None:
    project.claims(CLAIM)
    (project.root / "claims" / "boilerplate.txt").write_text("*a*a*a*a*a*a*a*a*a*a*a*a*b\n" * 50)
    project.article("a.txt", ("a" * 119 + "\n") * 2000 + "They met in Almaty.")
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--corpus", "corpus", "--no-reports", "--format", "json"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert completed.returncode == ExitStatus.OK
    assert '"asserted": [\n            "Almaty"' in completed.stdout


RUN_ON_LEDGER = """
claims:
  - id: who
    question: Who spoke?
    values: {Lee: [Lee], Kim: [Kim]}
    about: [said, met]
  - id: when
    question: When was the summit held?
    values: {June 16: [June 16], June 18: [June 18]}
    about: [summit, held]
"""
# One "sentence" of thousands of clauses, each with values, cues, speech, occasion words and
# years: binding every mention to every cue across the whole text was cubic (minutes at 90 kB).
RUN_ON_CLAUSES = [
    '"Yes," Lee said, Kim met, ',
    "the first summit in 2019 met Lee, which Kim met in June 16 to ",
    "according to Lee Kim met summit held June 16, ",
    # Slots and lists (issue 20): every cue a verb with values on both sides, lists that never end.
    "Lee beat Kim and Kim, who met Lee, beat Lee, Kim and Lee, ",
    # One token of thousands of capitalised pieces: name runs are read by tokens, not by regex.
    "Aa'Bb'Cc'Lee'",
]


@pytest.mark.parametrize("clause", RUN_ON_CLAUSES)
def test_a_run_on_sentence_full_of_mentions_cannot_hang_a_run(
    project: Project, clause: str
) -> None:
    project.claims(RUN_ON_LEDGER)
    project.article("a.txt", clause * 3000 + "and they met.")
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--corpus", "corpus", "--no-reports", "--no-cache"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,  # seconds now; it used to take many minutes
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert completed.returncode in (ExitStatus.OK, ExitStatus.FINDINGS), completed.stderr
    assert "1 articles, 1 sentences" in completed.stdout


# -- interrupted writes -------------------------------------------------------------------

KILL_ON_FIRST_RENAME = """
import os, signal, sys
from pathlib import Path
original = Path.replace
def killed(self, target):
    if Path(target).parent.name != "reports":  # the analysis cache renames too; let it
        return original(self, target)
    os.kill(os.getpid(), signal.SIGKILL)
Path.replace = killed
from checker.application.cli import main
sys.argv = ["crossfact", "--corpus", "corpus"]
main()
"""


def test_a_run_killed_while_writing_leaves_the_previous_reports_intact(project: Project) -> None:
    project.claims(CLAIM)
    project.article("a.txt", "They met in Almaty.")
    reports = project.root / "reports"
    reports.mkdir()
    old = {name: f"previous {name}" for name in ("report.html", "report.md", "report.json")}
    for name, text in old.items():
        (reports / name).write_text(text)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_ON_FIRST_RENAME],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL
    assert {name: (reports / name).read_text() for name in old} == old
    assert any(p.name.endswith(".tmp") for p in reports.iterdir())  # the kill really hit mid-write
    status, _, _ = run_isolated(project)
    assert status is ExitStatus.OK
    assert sorted(p.name for p in reports.iterdir()) == sorted(old)
    assert (reports / "report.json").read_text().startswith("{")


# -- the robustness table stays in step with this module -------------------------------------

CLASSES = {
    "unsafe YAML tags": "tests/test_ledger.py::test_bad_claim_files_give_located_messages",
    "alias bomb": "tests/test_ledger.py::test_alias_bombs_are_refused_quickly",
    "deep nesting": "tests/test_robustness.py::test_deep_nesting_is_refused",
    "50 MB claim file": "tests/test_robustness.py::test_a_huge_claim_file_is_refused_before_parsing",
    "claim file not a mapping, tabs, duplicate keys": "tests/test_ledger.py::test_bad_claim_files_give_located_messages",
    "claim file fuzz": "tests/test_robustness.py::test_fuzz_claim_loader_raises_only_its_own_error",
    "article fuzz": "tests/test_robustness.py::test_fuzz_article_reader_raises_only_its_own_error",
    "invalid UTF-8, UTF-16, NUL bytes, BOM": "tests/test_corpus.py::test_decoding",
    "CRLF and lone CR": "tests/test_corpus.py::test_line_numbers_hold_for_every_line_ending",
    "empty and chrome-only articles": "tests/test_robustness.py::test_empty_chrome_only_and_mixed_line_ending_articles",
    "100 MB article": "tests/test_robustness.py::test_a_huge_article_is_refused_unless_the_limit_is_raised",
    "symlink outside the project": "tests/test_robustness.py::test_a_symlink_out_of_the_project_is_refused_unless_allowed",
    "unreadable article": "tests/test_robustness.py::test_an_unreadable_article_names_the_file",
    "dangling symlink": "tests/test_robustness.py::test_a_dangling_symlink_names_the_file",
    "report dir is a file": "tests/test_cli.py::test_bad_input_gives_one_clear_message_and_exit_2",
    "HTML injection": "tests/test_cli.py::test_html_escapes_article_and_claim_text",
    "Markdown injection": "tests/test_cli.py::test_markdown_escapes_article_text",
    "non-http source URLs": "tests/test_cli.py::test_html_escapes_article_and_claim_text",
    "expensive patterns": "tests/test_robustness.py::test_a_pathological_boilerplate_glob_cannot_hang_a_run",
    "run-on sentence full of mentions": "tests/test_robustness.py::test_a_run_on_sentence_full_of_mentions_cannot_hang_a_run",
    "interrupted writes": "tests/test_robustness.py::test_a_run_killed_while_writing_leaves_the_previous_reports_intact",
    "engine vs reference matcher": "tests/test_properties.py::test_the_matcher_finds_exactly_what_the_reference_matcher_finds",
    "offset round-trip": "tests/test_properties.py::test_evidence_offsets_round_trip_to_the_original_text",
    "order independence": "tests/test_properties.py::test_shuffling_claims_aliases_or_articles_leaves_json_identical",
    "idempotence": "tests/test_cli.py::test_json_report_is_deterministic_and_matches_stdout",
    "corrupt analysis cache": "tests/test_pipeline.py::test_a_corrupt_cache_entry_is_recomputed_not_trusted",
    "broken article in a worker": "tests/test_pipeline.py::test_a_broken_article_in_a_worker_is_a_clear_error",
    "Ctrl-C, one job or two": "tests/test_robustness.py::test_ctrl_c_prints_one_line_and_exits_130",
    "stdout a closed pipe": "tests/test_robustness.py::test_a_closed_pipe_ends_the_run_quietly",
    "stdout full or closed": "tests/test_robustness.py::test_a_failed_write_to_stdout_is_one_line_and_exit_2_even_with_exit_zero",
    "a stream that cannot encode": "tests/test_robustness.py::test_a_stream_that_cannot_encode_gets_escapes_not_a_traceback",
    "folders 1,000 deep": "tests/test_robustness.py::test_folders_nested_a_thousand_deep_are_read",
    "cache file left by a killed run": "tests/test_robustness.py::test_a_cache_file_left_by_a_killed_run_is_rebuilt_and_said_once",
    "reports from different runs": "tests/test_robustness.py::test_every_report_of_a_run_carries_the_same_run_id_and_another_run_another",
    "`--changed-since` to a ref that cannot be read": "tests/test_gate.py::test_changed_since_a_ref_that_cannot_be_read_says_why",
}


def test_docs_robustness_lists_every_class_and_each_names_a_real_test() -> None:
    doc = (REPO / "docs" / "robustness.md").read_text("utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| `([^`]+)` \|", doc, re.M)
    assert dict(rows) == CLASSES
    for test_id in set(CLASSES.values()):
        path, name = test_id.split("::")
        assert re.search(rf"^def {name}\(", (REPO / path).read_text("utf-8"), re.M), test_id


def crossfact_process(*argv: str, **options: Any) -> subprocess.Popen[bytes]:
    """Start crossfact as its own process in the current folder."""
    return subprocess.Popen([sys.executable, "-m", "checker", *argv], **options)


def busy_project(project: Project, articles: int = 400) -> None:
    """Write a corpus that takes a few seconds to check (with the cache off)."""
    project.claims(location())
    line = "The ministers met in Almaty on Tuesday, officials said, and talks went on. "
    for n in range(articles):
        project.article(f"a{n:03d}.txt", f"Report {n}\n\n" + line * 60 + "\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_prints_one_line_and_exits_130(project: Project, jobs: str) -> None:
    busy_project(project)
    started = crossfact_process(
        "--corpus", "corpus", "--no-cache", "--no-reports", "--jobs", jobs,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(2.0)  # well into the analysis
    started.send_signal(signal.SIGINT)
    _, err = started.communicate(timeout=60)
    assert started.returncode == 130, err
    assert err.decode() == "crossfact: interrupted\n"


def test_a_closed_pipe_ends_the_run_quietly(seeds_project: Path) -> None:
    started = crossfact_process(
        "--format", "json", "--no-reports", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert started.stdout is not None
    assert started.stdout.read(10) == b'{\n  "schem'
    started.stdout.close()
    started.wait(timeout=60)
    assert started.stderr is not None
    assert started.stderr.read() == b""
    assert started.returncode == 141  # as a shell reports a process ended by SIGPIPE


@pytest.mark.parametrize("target", ["/dev/full", "closed"])
def test_a_failed_write_to_stdout_is_one_line_and_exit_2_even_with_exit_zero(
    seeds_project: Path, target: str
) -> None:
    argv = [sys.executable, "-m", "checker", "--exit-zero", "--no-reports"]
    if target == "closed":
        completed = subprocess.run(
            ["sh", "-c", '"$@" >&-', "sh", *argv], capture_output=False, stderr=subprocess.PIPE
        )
        reason = "Bad file descriptor"
    else:
        with Path(target).open("w") as full:
            completed = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE)
        reason = "No space left on device"
    assert completed.returncode == 2
    assert (
        completed.stderr.decode()
        == f"crossfact: error: cannot write to standard output: {reason}\n"
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_stream_that_cannot_encode_gets_escapes_not_a_traceback(
    seeds_project: Path, encoding: str
) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0", "LC_ALL": "C"}
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "explain", "meeting-location"],
        capture_output=True,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    assert b"Traceback" not in completed.stderr
    assert b"\\u2019" in completed.stdout  # the seeds' curly apostrophe, escaped
    completed.stdout.decode(encoding)  # every byte is the stream's own encoding


def test_folders_nested_a_thousand_deep_are_read(project: Project) -> None:
    project.claims(location())
    deep = project.root / "corpus"
    for _ in range(1000):  # one level at a time: mkdir(parents=True) itself recurses
        deep /= "d"
        deep.mkdir()
    (deep / "a.txt").write_text("They met in Astana.\n", encoding="utf-8")
    try:
        result = project.run("--no-reports", "--format", "json")
    finally:
        # pytest's own clean-up of old temporary folders recurses: leave no deep tree behind.
        (deep / "a.txt").unlink()
        while deep != project.root / "corpus":
            deep.rmdir()
            deep = deep.parent
    assert result.status is ExitStatus.OK, result.stderr[:300]
    [article] = json.loads(result.stdout)["articles"]
    assert article["path"].endswith("/d/a.txt")
    assert article["path"].count("/d") == 1000


@pytest.mark.parametrize("left", ["empty", "schema-less"])
def test_a_cache_file_left_by_a_killed_run_is_rebuilt_and_said_once(
    project: Project, left: str
) -> None:
    project.claims(location())
    project.article("a.txt", "They met in Astana.")
    database = project.root / CACHE_DIR / DATABASE
    database.parent.mkdir()
    if left == "empty":
        database.write_bytes(b"")
    else:  # what SQLite writes before the first table: a header page and nothing else
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA user_version = 1")
        connection.close()
        assert database.stat().st_size == 4096
    first = project.run("--no-reports")
    assert first.stderr == (
        f"crossfact: note: {CACHE_DIR}/{DATABASE} was empty or never initialised "
        "(a run cut short?): rebuilt\n"
    )
    assert "bytes" in run_cli("cache", "info").stdout
    assert "never used" not in run_cli("cache", "info").stdout
    second = project.run("--no-reports")
    assert second.stderr == ""


def report_ids(root: Path) -> dict[str, str]:
    """Return the run id each report file carries."""
    reports = root / "reports"
    json_id = json.loads((reports / "report.json").read_text("utf-8"))["run_id"]
    html = re.search(r"· run <code>(\w+)</code>", (reports / "report.html").read_text("utf-8"))
    markdown = re.search(r"· run `(\w+)`", (reports / "report.md").read_text("utf-8"))
    assert html is not None
    assert markdown is not None
    return {"json": json_id, "html": html.group(1), "md": markdown.group(1)}


def test_every_report_of_a_run_carries_the_same_run_id_and_another_run_another(
    project: Project,
) -> None:
    project.claims(location())
    project.article("a.txt", "They met in Astana.")
    project.run()
    first = report_ids(project.root)
    assert len(set(first.values())) == 1
    assert len(first["json"]) == 16
    project.run()
    assert report_ids(project.root) == first  # the same inputs: the same id (and bytes)
    project.article("b.txt", "They met in Almaty.")
    project.run()
    second = report_ids(project.root)
    assert len(set(second.values())) == 1
    assert second["json"] != first["json"]
