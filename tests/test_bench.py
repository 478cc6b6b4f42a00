"""The benchmark's smoke run produces every figure (CI asserts numbers appear, never speeds)."""

from __future__ import annotations

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
