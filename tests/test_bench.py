"""The benchmark's smoke run produces every figure (CI asserts numbers appear, never speeds)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import REPO

pytestmark = pytest.mark.slow

STAGES = [
    "match 1500 aliases: re trie-regex",
    "match: crossfact ahocorasick",
    "match: grep -F -o -f aliases",
    "split: crossfact regex + abbreviations",
    "end to end: crossfact check, 1 worker",
    "end to end: --jobs 2",
    "end to end: warm cache, one article edited",
]
NUMBER = r"\d+(?:\.\d+)?"


def _bench(script: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run a bench script to its end; fail the test if it fails."""
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    return completed


def test_the_smoke_benchmark_prints_a_figure_for_every_stage(tmp_path: Path) -> None:
    completed = _bench("run.py", "--smoke", "--work", str(tmp_path))
    for stage in STAGES:
        row = re.search(rf"^{re.escape(stage)} +({NUMBER}) +({NUMBER})", completed.stdout, re.M)
        assert row, f"no figures for {stage!r}:\n{completed.stdout}"
        assert float(row.group(1)) > 0  # MB/s; the wall time may round to 0.00 at this size
    passed = re.search(r"^Golden Rules: (\d+)/48 passed$", completed.stdout, re.M)
    assert passed
    assert int(passed.group(1)) >= 47
    assert re.search(
        r"^Segmentation F1 on the gold boundaries: [01]\.\d{4}$", completed.stdout, re.M
    )
    assert not list(REPO.glob("bench/*.txt"))  # generated data stays out of the repository


STAGE_LINES = [
    "read and validate the ledger",
    "compile the index",
    "map, each article taken in (Reducer.add)",
    "judge claims and sentences (finish)",
    "waivers, report, trim",
    "write the JSON",
]


def test_the_stage_timer_times_every_stage_of_a_check(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import make_corpus  # bench/ is not a package
    finally:
        sys.path.remove(str(REPO / "bench"))
    make_corpus.write(tmp_path, 0.05, 60, 300, 1)
    completed = _bench("stages.py", str(tmp_path), "--jobs", "2")
    for stage in STAGE_LINES:
        row = re.search(
            rf"^{re.escape(stage)}.* ({NUMBER}) s +peak +(\d+) MB$", completed.stdout, re.M
        )
        assert row, f"no figures for {stage!r}:\n{completed.stdout}"
        assert int(row.group(2)) > 0


def test_the_pull_request_comment_tells_the_truth_on_a_generated_archive(tmp_path: Path) -> None:
    # 1 MB is enough to overflow the comment many times over (about 11,000 findings).
    completed = _bench("pr_comment.py", str(tmp_path), "--mb", "1", "--claims", "1500")
    assert "report.md tells the truth" in completed.stdout
    size = re.search(r"^report\.md: (\d+) characters", completed.stdout, re.M)
    assert size
    assert int(size.group(1)) <= 65_536
    assert re.search(r"^report\.md left out: \d+ errors, \d+ warnings", completed.stdout, re.M)


# --- bench/accuracy.py: precision and recall per finding kind on a labelled set -----------

ACCURACY_LEDGER = """\
topic: A regional summit
claims:
  - id: summit-city
    question: In which city was the summit held?
    values:
      Astana: [Astana]
      Almaty: [Almaty]
    expected: Astana
    about: [summit, held, hosted]
  - id: summit-delegations
    question: How many delegations attended the summit?
    values:
      "five": [five delegations]
      "six": [six delegations]
    expected: "five"
    about: [attended, delegations]
"""
B_TEXT = (
    "Summit closes in Astana\n\n"
    "The summit, hosted in Astana, was attended by {n} delegations from across the region.\n"
)
ACCURACY_CORPUS = {
    "a.txt": (
        "Leaders meet in Astana\n\n"
        "The summit was held in Astana on Tuesday, and five delegations attended the talks.\n\n"
        "Egypt's foreign ministry sought to rebuild relations with its Arab neighbours in Cairo.\n"
    ),
    "b.txt": B_TEXT.format(n="five"),
    # The labeller reads Astana here (say, the article corrects itself later): the tool's
    # conflict and contradiction on summit-city are false by the labels.
    "c.txt": "Regional summit ends\n\nThe summit was held in Almaty this week, officials said.\n",
    "b-planted.txt": B_TEXT.format(n="six"),  # the planted error: six for five
}
ACCURACY_LABELS = """\
claim,article_path,answer
summit-city,corpus/a.txt,Astana
summit-city,corpus/b.txt,Astana
summit-city,corpus/c.txt,Astana
summit-city,corpus/b-planted.txt,Astana
summit-delegations,corpus/a.txt,five
summit-delegations,corpus/b.txt,five
summit-delegations,corpus/c.txt,silent
summit-delegations,corpus/b-planted.txt,six
"""


def _accuracy_set(root: Path) -> Path:
    """A tiny labelled set: four articles, a ledger, labels, a planted error, a stray line."""
    set_dir = root / "summit"
    (set_dir / "corpus").mkdir(parents=True)
    (set_dir / "claims").mkdir()
    (set_dir / "claims" / "summit.yaml").write_text(ACCURACY_LEDGER, encoding="utf-8")
    for name, text in ACCURACY_CORPUS.items():
        (set_dir / "corpus" / name).write_text(text, encoding="utf-8")
    (set_dir / "labels.csv").write_text(ACCURACY_LABELS, encoding="utf-8")
    (set_dir / "planted.csv").write_text(
        "article,claim,planted_value,original_value,copied_from\n"
        "corpus/b-planted.txt,summit-delegations,six,five,corpus/b.txt\n",
        encoding="utf-8",
    )
    (set_dir / "stray.csv").write_text(
        "article_path,line,kind,planted_sentence\ncorpus/a.txt,5,off-topic,\n", encoding="utf-8"
    )
    return set_dir


def _accuracy(root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run bench/accuracy.py with this checkout's crossfact (through a wrapper script)."""
    wrapper = root / "crossfact"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crossfact "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "CROSSFACT": str(wrapper), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "accuracy.py"), *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )


def test_accuracy_counts_each_finding_kind_against_the_labels(tmp_path: Path) -> None:
    set_dir = _accuracy_set(tmp_path)
    completed = _accuracy(tmp_path, str(set_dir), "--json")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    rows = {(r["kind"], r["level"]): r for r in result["kinds"]}
    # The planted "six delegations" is a true contradiction and a true conflict; the
    # tool's Almaty reading of c.txt gives a false conflict and a false contradiction.
    assert rows["conflict", "warn+"] == {
        "kind": "conflict",
        "level": "warn+",
        "found": 2,
        "true": 1,
        "false": 1,
        "expected": 1,
        "expected_found": 1,
    }
    assert rows["contradiction", "warn+"] == {
        "kind": "contradiction",
        "level": "warn+",
        "found": 2,
        "true": 1,
        "false": 1,
        "expected": 1,
        "expected_found": 1,
    }
    assert rows["stray", "warn+"] == {
        "kind": "stray",
        "level": "warn+",
        "found": 1,
        "true": 1,
        "false": 0,
        "expected": 1,
        "expected_found": 1,
    }
    assert rows["mixed", "warn+"]["found"] == 0
    assert result["cells"] == {
        "pairs": 8,
        "right": 6,
        "missed": 0,
        "wrong": 1,
        "silent_right": 1,
        "accuracy": 0.875,
    }
    assert result["planted"] == {"found": 1, "total": 1}
    assert result["stray_lines"] == {
        "off-topic": {"listed": 1, "flagged": 1, "set_aside": 0, "kept": 0}
    }
    assert "disagreements" not in result
    summary = result["summary"]
    for pair in ("conflict_p=1/2", "conflict_r=1/1", "contradiction_p=1/2", "stray_p=1/1"):
        assert pair in summary.split()
    assert "planted_found=1/1" in summary.split()


def test_accuracy_prints_nothing_article_specific_without_explain(tmp_path: Path) -> None:
    set_dir = _accuracy_set(tmp_path)
    plain = _accuracy(tmp_path, str(set_dir))
    assert plain.returncode == 0, plain.stderr
    last = plain.stdout.splitlines()[-1]
    assert last.startswith("pairs=8 cell_accuracy=0.875 ")
    assert all("=" in field for field in last.split())
    for name in ACCURACY_CORPUS:
        assert name not in plain.stdout
    explained = _accuracy(tmp_path, str(set_dir), "--explain")
    assert explained.returncode == 0, explained.stderr
    assert "false conflict (warn+): summit-city (4 articles)" in explained.stdout
    assert "false contradiction (warn+): summit-city c" in explained.stdout
    assert explained.stdout.splitlines()[-1] == last


def test_accuracy_without_a_labels_file_says_so_and_exits_2(tmp_path: Path) -> None:
    set_dir = tmp_path / "no-such-set"
    (set_dir / "corpus").mkdir(parents=True)
    (set_dir / "corpus" / "a.txt").write_text("A sentence.\n", encoding="utf-8")
    completed = _accuracy(tmp_path, str(set_dir))
    assert completed.returncode == 2
    assert "accuracy.py: no labels file" in completed.stderr
    assert "labels.csv" in completed.stderr
    assert "Traceback" not in completed.stderr
    given = _accuracy(tmp_path, str(set_dir), "--labels", str(tmp_path / "nowhere"))
    assert given.returncode == 2
    assert "accuracy.py: no labels file" in given.stderr


def test_the_json_writer_bench_checks_both_writers_give_the_files_bytes(tmp_path: Path) -> None:
    from tests.harness import check_texts

    report = check_texts(
        "claims:\n  - id: loc\n    question: Where?\n    values: {Almaty: [Almaty], Astana: [Astana]}\n",
        {"a": "They met in Almaty.", "b": "They met in Astana, Аlmаty."},
    )
    path = tmp_path / "report.json"
    path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    completed = _bench("json_writer.py", str(path), "--rounds", "2")
    assert "same bytes from both writers" in completed.stdout
    assert re.search(rf"^pydantic / orjson, .*: {NUMBER}x$", completed.stdout, re.M)
