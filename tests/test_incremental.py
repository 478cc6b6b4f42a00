"""The incremental warm path: a warm run re-judges only what changed, and reports the same bytes.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.application import app as app_module
from checker.application.cache import CACHE_DIR, DATABASE
from checker.application.cli import ExitStatus
from checker.judgement import reduction
from tests.harness import REPO, run_cli

SENTENCES = [
    "Rivera beat Osei in the runoff in Lisbon on Sunday.",
    "Osei won the runoff, officials in Porto said.",
    "Rivera won 58% of the vote in the runoff.",
    "Osei took 39% of the vote in the runoff.",
    "The ministers met in Almaty on Tuesday.",
    "Officials gathered in Astana; Xi Jinping attended.",
    "Foreign Minister Wang Yi attended the meeting in Almaty.",
    "A new bridge over the Nile opened in Cairo, Egyptian engineers said.",
    "Nothing in this piece speaks to any claim at all.",
    "Rivera and Osei met in a hall where the victory was told.",
    "The runoff was not held in Porto.",
]

RUNOFF = """\
topic: The Rivera runoff
claims:
  - id: runoff-winner
    question: Who won the runoff?
    values:
      Rivera: [Rivera]
      Osei: [Osei]
    about: [won, beat, victory, runoff]
{expected}    note: {note}
  - id: runoff-place
    question: Where was the runoff held?
    values:
      Lisbon: [Lisbon]
      Porto: [Porto]
    about: [runoff, held]
{extra}"""
SHARE = """\
  - id: runoff-share
    question: What share of the vote did Rivera win?
    values:
      58%: [58%]
      39%: [39%]
    about: [won, took, vote]
"""
LEDGERS = [
    RUNOFF.format(expected="", note="Counted on Sunday.", extra=""),
    RUNOFF.format(expected="    expected: Rivera\n", note="Counted on Sunday.", extra=""),
    RUNOFF.format(expected="    expected: Osei\n", note="A recount was asked.", extra=SHARE),
    RUNOFF.format(expected="", note="Counted on Sunday.", extra=SHARE),
]

articles = st.lists(st.sampled_from(range(len(SENTENCES))), min_size=1, max_size=4)
steps = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 20), articles),
    st.tuples(st.just("add"), articles),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("ledger"), st.integers(0, len(LEDGERS) - 1)),
)


def write_article(path: Path, picked: list[int]) -> None:
    body = " ".join(SENTENCES[i] for i in picked)
    path.write_text(f"Runoff and talks, part {len(picked)}\n\n{body}\n", encoding="utf-8")


def apply(root: Path, step: tuple[object, ...], serial: int) -> None:
    """Make one edit to the project: an article edited, added or deleted, or the ledger."""
    extra = sorted((root / "seeds").glob("extra-*.txt"))
    kind = step[0]
    if kind == "edit" and extra:
        write_article(extra[int(step[1]) % len(extra)], list(step[2]))  # type: ignore[call-overload]
    elif kind == "add":
        write_article(root / "seeds" / f"extra-{100 + serial:03d}.txt", list(step[1]))  # type: ignore[call-overload]
    elif kind == "delete" and extra:
        extra[int(step[1]) % len(extra)].unlink()  # type: ignore[call-overload]
    elif kind == "ledger":
        (root / "claims" / "runoff.yaml").write_text(LEDGERS[int(step[1])], encoding="utf-8")  # type: ignore[call-overload]


# The HTML pages say how long the run took: the one thing two runs may not share.
ELAPSED = re.compile(rb"checked in [0-9.]+ s")


def reports(*flags: str) -> dict[str, bytes]:
    """Check the project, writing every report; return each report file's bytes."""
    result = run_cli("check", "--fail-on", "never", "-q", *flags)
    assert result.status is ExitStatus.OK, result.stderr
    files = sorted(p for p in Path("reports").rglob("*") if p.is_file())
    return {p.name: ELAPSED.sub(b"checked in - s", p.read_bytes()) for p in files}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder where each example builds its project afresh."""
    # Small articles: past 30 sentences the report stops listing them, midway through the
    # corpus, so outlines, digests and whole analyses all meet in one reduction.
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 30)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fresh(root: Path) -> None:
    for name in ("seeds", "claims", "reports", CACHE_DIR):
        shutil.rmtree(root / name, ignore_errors=True)
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "claims", root / "claims")
    (root / "claims" / "runoff.yaml").write_text(LEDGERS[0], encoding="utf-8")
    for n in range(12):
        write_article(root / "seeds" / f"extra-{n:03d}.txt", [n % len(SENTENCES), 8, (3 * n) % 11])


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(steps, min_size=1, max_size=4),
    detail=st.sampled_from([(), ("--detail", "findings")]),
)
def test_a_warm_run_after_any_edits_reports_the_bytes_of_a_cold_run(
    project: Path, history: list[tuple[object, ...]], detail: tuple[str, ...]
) -> None:
    fresh(project)
    reports(*detail)  # fills the cache with analyses
    reports(*detail)  # and, reusing them, with outlines and the memo
    gaps = len(GAPS)
    for serial, step in enumerate(history):
        apply(project, step, serial)
        warm = reports(*detail)
        cold = reports("--no-cache", *detail)
        assert warm.keys() == cold.keys()
        for name in warm:
            assert warm[name] == cold[name], f"{name} differs after {history[: serial + 1]}"
    # Every outline a run read had its digest beside it: no run fell back to judging afresh.
    assert len(GAPS) == gaps


GAPS: list[str] = []


@pytest.fixture(autouse=True)
def _count_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every memo gap (an outline read whose digest was missing)."""
    real = reduction.MemoGap.__init__

    def counted(self: reduction.MemoGap, *args: object) -> None:
        GAPS.append(str(args))
        real(self, *args)

    monkeypatch.setattr(reduction.MemoGap, "__init__", counted)


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the id of every claim judged afresh."""
    calls: list[str] = []
    real = reduction.judge_claim

    def spy(located, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(located.claim.id)
        return real(located, *args, **kwargs)

    monkeypatch.setattr(reduction, "judge_claim", spy)
    return calls


def json_report(*flags: str) -> str:
    """Check the project into a JSON report, listing findings only (the memo's mode)."""
    argv = ["check", "--no-reports", "--format", "json", "--detail", "findings"]
    result = run_cli(*argv, "--fail-on", "never", *flags)
    assert result.status is ExitStatus.OK, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("change", "rejudged"),
    [
        # An edited article re-judges the claims its old and new mentions touch, no others.
        ("edit", {"runoff-winner", "runoff-place", "meeting-location"}),
        # A new article that names no claim value changes only the scope counts: patched in.
        ("add-unrelated", set()),
        ("delete-unrelated", set()),
        # A note is not read by any mention rule: only its claim is judged again.
        ("note", {"runoff-winner"}),
        ("nothing", set()),
    ],
)
def test_a_warm_run_judges_again_only_the_claims_an_edit_touches(
    project: Path, judged: list[str], change: str, rejudged: set[str]
) -> None:
    fresh(project)
    write_article(project / "seeds" / "extra-edited.txt", [0])  # Rivera, Osei, Lisbon
    write_article(project / "seeds" / "extra-unrelated.txt", [8])
    json_report()
    json_report()  # the first run to reuse analyses keeps the memo
    judged.clear()
    if change == "edit":
        write_article(project / "seeds" / "extra-edited.txt", [4])  # now: Almaty
    elif change == "add-unrelated":
        write_article(project / "seeds" / "extra-new.txt", [8, 8])
    elif change == "delete-unrelated":
        (project / "seeds" / "extra-unrelated.txt").unlink()
    elif change == "note":
        ledger = LEDGERS[0].replace("Counted on Sunday.", "Counted on Monday.")
        (project / "claims" / "runoff.yaml").write_text(ledger, encoding="utf-8")
    warm = json_report()
    assert set(judged) == rejudged
    assert warm == json_report_cold()


def json_report_cold() -> str:
    return json_report("--no-cache")


def test_a_tampered_memo_row_is_a_miss_not_a_wrong_answer(project: Path, judged: list[str]) -> None:
    fresh(project)
    json_report()
    json_report()
    database = project / CACHE_DIR / DATABASE
    with sqlite3.connect(database) as connection:
        # A hostile edit of a stored judgement: the claim now reads as having no findings.
        rows = connection.execute(
            "SELECT key, payload FROM analyses WHERE key LIKE 'memo:claim:%'"
        ).fetchall()
        assert rows
        for key, payload in rows:
            connection.execute(
                "UPDATE analyses SET payload = ? WHERE key = ?",
                (payload.replace(b'"conflict"', b'"consistent"'), key),
            )
    judged.clear()
    assert json_report() == json_report_cold()
    tampered = {key for key, payload in rows if b'"conflict"' in payload}
    assert tampered  # the seeds have conflicts: those rows were changed, so judged again
    assert len(judged) >= len(tampered)


def test_a_digest_pruned_under_a_run_falls_back_to_judging_afresh(
    project: Path, judged: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh(project)
    json_report()
    json_report()
    write_article(project / "seeds" / "extra-000.txt", [1, 2])  # a claim's memo misses
    real = app_module.CachedMemo.digest
    monkeypatch.setattr(app_module.CachedMemo, "digest", lambda self, key: None)
    gaps = len(GAPS)
    warm = json_report()
    monkeypatch.setattr(app_module.CachedMemo, "digest", real)
    assert len(GAPS) > gaps  # the memo's digest was missing, and the run judged again without it
    assert warm == json_report_cold()


def memo_rows(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / CACHE_DIR / DATABASE) as connection:
        rows = connection.execute("SELECT key FROM analyses").fetchall()
    kinds = {"memo:": 0, "outline:": 0}
    for (key,) in rows:
        for prefix in kinds:
            kinds[prefix] += key.startswith(prefix)
    return kinds


def test_a_run_that_finds_nothing_cached_keeps_no_memo(project: Path, judged: list[str]) -> None:
    # A fresh CI machine's cache ends with its run: it must not pay for a memo nobody reads.
    fresh(project)
    cold = json_report()
    assert memo_rows(project) == {"memo:": 0, "outline:": 0}
    assert json_report() == cold  # reuses the analyses: keeps outlines and the memo
    kept = memo_rows(project)
    assert kept["memo:"] > 0
    assert kept["outline:"] > 0
    judged.clear()
    assert json_report() == cold
    assert judged == []  # the third run judges nothing again
