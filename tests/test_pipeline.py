"""The per-article stage: cache, worker processes and Dask all give the single-process report."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from checker.application import cache as cache_module
from checker.application import pipeline
from checker.application.cache import CACHE_DIR, DATABASE, SNAPSHOTS, AnalysisCache
from checker.application.cli import ExitStatus
from checker.application.reading import raw_articles, read_ledger
from checker.application.records import (
    analysis_from_json,
    analysis_to_json,
    digest_from_json,
    digest_to_json,
)
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import RawArticle
from checker.base.ledger import load_ledger
from checker.judgement.analysis import analyse_raw, digest_analysis
from checker.judgement.index import build_index, matching_hash
from tests.harness import REPO, run_cli

# Extra articles so that workers get more than one chunk and results must be put back in order.
EXTRA = [
    "The ministers met in Almaty on Tuesday.",
    "Officials gathered in Astana; Xi Jinping attended.",
    "Nothing in this piece speaks to any claim at all.",
]


@pytest.fixture
def archive(seeds_project: Path) -> Path:
    """Return the seeds project with 40 more small articles."""
    for n in range(40):
        text = f"Report {n}\n\n{EXTRA[n % len(EXTRA)]} Sentence number {n} follows.\n"
        (seeds_project / "seeds" / f"extra-{n:02d}.txt").write_text(text, encoding="utf-8")
    return seeds_project


def json_report(*flags: str) -> str:
    result = run_cli("check", "--no-reports", "--format", "json", *flags)
    assert result.status is ExitStatus.FINDINGS, result.stderr
    return result.stdout


def cache_run(root: Path) -> AnalysisCache:
    """Run the per-article stage once through the cache and return the cache with its counts."""
    ledger = read_ledger(root / "claims", root)
    boilerplate = Boilerplate()
    cache = AnalysisCache.open(root, matching_hash(ledger), boilerplate.signature)
    assert cache is not None
    list(
        pipeline.analyse_corpus(
            raw_articles(root / "seeds", root),
            build_index(ledger),
            ledger,
            boilerplate,
            cache=cache,
        )
    )
    return cache


def test_cached_and_uncached_runs_give_byte_identical_json(archive: Path) -> None:
    uncached = json_report("--no-cache")
    assert not (archive / CACHE_DIR).exists()
    cold = json_report()
    assert (archive / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    warm = json_report()
    assert uncached == cold == warm
    assert '"conflict"' in warm


def test_editing_one_article_reanalyses_only_that_article(archive: Path) -> None:
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (0, 42)
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (42, 0)
    edited = archive / "seeds" / "extra-07.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (41, 1)


CLAIM_EDITS = [
    # (what is edited, old text, new text, articles re-analysed)
    ("an alias", "Almaty: [Almaty]", "Almaty: [Almaty, Alma-Ata]", 42),
    ("a cue", "about: [met,", "about: [convened, met,", 42),
    # Mention rules read the question (does it ask for a source? does it speak of a unit?) and
    # one-of claims bind one answer per clause, any-of ones do not: both change analyses.
    ("a question", "question: Where", "question: Really, where", 42),
    (
        "the kind",
        "    question: Where did China",
        "    kind: any-of\n    question: Where did China",
        42,
    ),
    ("a note", "Two different", "Perhaps two different", 0),
    ("a source", "https://www.fmprc.gov.cn/eng/", "https://www.fmprc.gov.cn/", 0),
    ("an expected value", "expected: Saturday", "expected: Sunday", 0),
]


@pytest.mark.parametrize(("edit", "old", "new", "misses"), CLAIM_EDITS)
def test_a_claim_edit_invalidates_exactly_the_analyses_it_can_change(
    archive: Path, edit: str, old: str, new: str, misses: int
) -> None:
    cache_run(archive)
    ledger = archive / "claims" / "china-central-asia.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert old in text, edit
    ledger.write_text(text.replace(old, new, 1), encoding="utf-8")
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (42 - misses, misses)
    assert json_report() == json_report("--no-cache")


def test_other_analysing_code_is_a_miss_not_a_stale_answer(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_run(archive)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "edited-between-releases")
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (0, 42)


def test_the_code_fingerprint_follows_source_and_word_lists(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "a.py").write_text("X = 1\n", encoding="utf-8")
    (package / "data" / "words.txt").write_text("alpha\n", encoding="utf-8")
    first = cache_module.fingerprint_of(package)
    assert cache_module.fingerprint_of(package) == first
    (package / "data" / "words.txt").write_text("alpha\nbeta\n", encoding="utf-8")
    second = cache_module.fingerprint_of(package)
    (package / "a.py").write_text("X = 2\n", encoding="utf-8")
    assert len({first, second, cache_module.fingerprint_of(package)}) == 3


def test_a_corrupt_cache_entry_is_recomputed_not_trusted(archive: Path) -> None:
    expected = json_report("--no-cache")
    cache_run(archive)
    database = sqlite3.connect(archive / CACHE_DIR / DATABASE)
    with database:  # payloads replaced: their MACs no longer match
        database.execute("UPDATE analyses SET payload = x'8005676172626167'")
    database.close()
    assert json_report() == expected
    stats = cache_run(archive).stats
    assert (stats.hits, stats.misses) == (42, 0)  # the run above rewrote every entry


def test_old_ledgers_are_pruned_from_the_cache(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.application.cache.KEEP_LEDGERS", 2)
    monkeypatch.setattr("checker.application.cache.KEEP_SNAPSHOTS", 1)  # per claim file
    ledger = archive / "claims" / "china-central-asia.yaml"
    for n in range(4):
        text = ledger.read_text(encoding="utf-8").replace(
            "Almaty: [Almaty", f"Almaty: [Almaty{n}, Almaty", 1
        )
        ledger.write_text(text, encoding="utf-8")
        json_report()
    database = sqlite3.connect(archive / CACHE_DIR / DATABASE)
    ledgers = database.execute(
        "SELECT count(DISTINCT ledger) FROM analyses WHERE ledger != ?", (SNAPSHOTS,)
    ).fetchone()
    snapshots = database.execute(
        "SELECT count(*) FROM analyses WHERE ledger = ?", (SNAPSHOTS,)
    ).fetchone()
    database.close()
    assert ledgers == (2,)
    # A snapshot per claim file seen, pruned apart from the analyses: of the four versions of
    # the edited file only the latest is kept, beside the untouched file's one.
    assert snapshots == (2,)


def test_worker_processes_give_the_single_process_report(archive: Path) -> None:
    assert json_report("--no-cache", "--jobs", "2") == json_report("--no-cache")


@pytest.fixture
def unlisted(archive: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the archive outgrow listing its sentences midway, and the pool work in windows."""
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 30)
    monkeypatch.setattr(pipeline, "_WINDOW", 1)  # a fresh digest-or-not decision per chunk
    monkeypatch.setattr(pipeline, "_CHUNK", 2)
    return archive


def test_digests_give_the_report_of_whole_analyses(unlisted: Path) -> None:
    # Crossing the budget midway: the first articles come whole and are digested later, the
    # rest come as digests from the start. Same report as digests all along (--detail
    # findings), from workers, from the cache, and warm.
    single = json_report("--no-cache")
    assert '"detail": "findings"' in single
    assert json_report("--no-cache", "--detail", "findings") == single
    assert json_report("--no-cache", "--jobs", "2") == single
    assert json_report("--jobs", "2") == single  # cold: workers send the cache payloads
    assert json_report() == single  # warm


def test_digests_find_what_whole_analyses_find(
    unlisted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.findings.results.INFO_PER_ARTICLE", 10_000)  # list every finding
    full = json.loads(json_report("--no-cache", "--detail", "sentences"))
    digested = json.loads(json_report("--no-cache", "--detail", "findings"))
    assert "stray" in {f["kind"] for f in full["findings"]}  # the Egypt sentence
    assert digested["findings"] == full["findings"]
    assert digested["summary"] == full["summary"]

    def counts(report: dict[str, list[dict[str, object]]]) -> list[tuple[object, ...]]:
        fields = ("id", "sentence_count", "supported", "stray", "unsupported")
        return [tuple(a[f] for f in fields) for a in report["articles"]]

    assert counts(digested) == counts(full)


def test_a_warm_archive_run_reads_digests_not_analyses(
    unlisted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = json_report("--no-cache")
    json_report("--jobs", "2")  # cold: workers send analyses and digests to store
    json_report()  # the first run to reuse them keeps outlines and the memo
    decoded: Counter[str] = Counter()
    for name in ("analysis_from_json", "digest_from_json", "outline_from_json"):
        real = getattr(cache_module, name)
        monkeypatch.setattr(
            cache_module,
            name,
            lambda data, real=real, name=name: decoded.update([name]) or real(data),
        )
    assert json_report() == expected
    # The first articles are read whole while the corpus may still list every sentence; the
    # rest as outlines, and with nothing edited no digest is needed: every judgement is memoised.
    assert decoded["outline_from_json"] > 3 * decoded["analysis_from_json"] > 0
    assert decoded["digest_from_json"] == 0
    info = run_cli("cache", "info").stdout
    [(digests, outlines, judged)] = re.findall(
        r": 42 analyses, (\d+) digests, (\d+) outlines, (\d+) memoised judgements "
        r"\(current ledger\)",
        info,
    )
    assert 0 < int(digests) == int(outlines) < 42
    assert int(judged) > int(outlines)  # every claim's judgement and each outlined article's


def test_a_question_edit_recuts_digests_without_analysing_again(unlisted: Path) -> None:
    json_report()
    ledger = unlisted / "claims" / "china-central-asia.yaml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("question: Where", "question: In which city", 1), "utf-8")
    expected = json_report("--no-cache")
    database = sqlite3.connect(unlisted / CACHE_DIR / DATABASE)
    before = database.execute("SELECT count(*) FROM analyses").fetchone()[0]
    assert json_report() == expected  # topic words changed: new digests from stored analyses
    after = database.execute("SELECT count(*) FROM analyses").fetchone()[0]
    database.close()
    assert after > before  # digests for the new topic words were added, no analysis redone


def test_a_corrupt_digest_is_a_miss(unlisted: Path) -> None:
    expected = json_report("--no-cache")
    json_report()
    database = sqlite3.connect(unlisted / CACHE_DIR / DATABASE)
    with database:  # digests replaced: their MACs no longer match
        database.execute("UPDATE analyses SET payload = x'5b5d' WHERE key LIKE 'digest:%'")
    database.close()
    assert json_report() == expected


def test_a_digest_survives_its_json_record_field_for_field() -> None:
    files = sorted((REPO / "claims").glob("*.yaml"))
    ledger = load_ledger([(f"claims/{p.name}", p.read_bytes()) for p in files])
    index = build_index(ledger)
    unspoken = 0
    for path in sorted((REPO / "seeds").glob("*.txt")):
        raw = RawArticle(path.read_bytes(), path.stem, f"seeds/{path.name}", "plain")
        digest = digest_analysis(analyse_raw(raw, index, Boilerplate()), index)
        unspoken += len(digest.unspoken)
        assert digest_from_json(digest_to_json(digest)) == digest
    assert unspoken == 6  # the Egypt and Indo-Pacific sentences, among others
    with pytest.raises(ValueError, match="not a digest record"):
        digest_from_json(b'[1, "a"]')


def test_workers_send_digests_once_sentences_will_not_be_listed(
    unlisted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []
    analysed = pipeline._analysed

    def spy(*args: object) -> pipeline.Analysed:
        record, payload, digested = analysed(*args)  # type: ignore[arg-type]
        sent.append(type(record).__name__)
        return record, payload, digested

    monkeypatch.setattr(pipeline, "_analysed", spy)
    json_report("--no-cache")
    assert sent[0] == "ArticleAnalysis"
    assert sent[-1] == "ArticleDigest"
    assert sent.index("ArticleDigest") < len(sent) // 2  # 30 sentences are soon reached
    assert "ArticleAnalysis" not in sent[sent.index("ArticleDigest") :]


def test_jobs_must_be_a_whole_number(archive: Path) -> None:
    result = run_cli("check", "--jobs", "two")
    assert result.status is ExitStatus.ERROR
    assert "not a whole number: 'two'" in result.stderr


def test_scheduler_without_the_dask_extra_is_a_usage_error(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)
    result = run_cli("check", "--no-cache", "--scheduler", "tcp://127.0.0.1:1")
    assert result.status is ExitStatus.ERROR
    assert "pip install 'crossfact[dask]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dask_cluster_gives_the_single_process_report(archive: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = json_report("--no-cache", "--scheduler", cluster.scheduler_address)
    assert on_dask == json_report("--no-cache")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_article_in_a_worker_is_a_clear_error(archive: Path, jobs: str) -> None:
    (archive / "seeds" / "extra-03.txt").write_bytes(b"caf\xe9 au lait\n")
    result = run_cli("check", "--no-cache", "--no-reports", "--jobs", jobs)
    assert result.status is ExitStatus.ERROR
    assert "seeds/extra-03.txt: not valid UTF-8 at byte offset 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_analysis_survives_its_json_record_field_for_field() -> None:
    files = sorted((REPO / "claims").glob("*.yaml"))
    ledger = load_ledger([(f"claims/{p.name}", p.read_bytes()) for p in files])
    index = build_index(ledger)
    text = (
        "Summit Ends\n\nASTANA, June 17 (Xinhua) -- Leaders met in Astana.\n"
        "- Pursue ties\nMost critically, it sought to rebuild Egypt's ties.\nAst\u200eana.\n"
    )
    analysis = analyse_raw(
        RawArticle(text.encode(), "a", "seeds/a.txt", "plain"), index, Boilerplate()
    )
    assert analysis_from_json(analysis_to_json(analysis)) == analysis
    assert {s.role for s in analysis.sentences} >= {"title", "prose", "list-item"}
    assert analysis.hidden
    # The name in the Egypt sentence is recorded for the stray test, and survives the round trip.
    assert [s.named for s in analysis.sentences if "Egypt" in s.text] == [True]
    assert analysis.metadata["dateline_place"] == "ASTANA"
