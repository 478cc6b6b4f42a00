"""Benchmark crossfact's stages against baselines measured in the same run; print ratios.

Usage: python bench/run.py [--mb 50] [--claims 10000] [--aliases 50000] [--work DIR] [--smoke]

Every figure is measured here and now, on this machine, next to its baseline: compare the
ratios, not the seconds, across runs (the machine is shared and noisy). --smoke runs tiny sizes
and only shows that every number is produced (CI does this; it asserts nothing about time).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402 - bench/ is not a package

from checker.articles.boilerplate import Boilerplate  # noqa: E402
from checker.articles.corpus import LineKind, parse_article  # noqa: E402
from checker.articles.segment import split_sentences  # noqa: E402
from checker.base.text import fold_text, match_key  # noqa: E402
from checker.judgement.matcher import PhraseIndex, find_all  # noqa: E402

GOLDEN = [
    HERE.parent.parent / "shared" / "peer" / "golden_rules_en.json",
    HERE.parent / "tests" / "data" / "golden_rules_en.json",
]


@dataclass
class Row:
    """One line of the table."""

    stage: str
    megabytes: float
    seconds: float
    rss_mb: float | None = None
    baseline: str = ""
    ratio: float | None = None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.megabytes / self.seconds if self.seconds else float("inf")


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def run_process(
    argv: list[str], cwd: Path, stdout: int | None = subprocess.DEVNULL
) -> tuple[float, float, int]:
    """Run a command; return its wall seconds, peak RSS in MB and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(
            f"{argv[0]} failed: {process.stderr.read().decode()[:2000] if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024, process.returncode


# -- the corpus ------------------------------------------------------------------------------


def prepare(work: Path, mb: float, claims: int, aliases: int) -> None:
    stamp = work / "params.json"
    generator = hashlib.sha256(Path(make_corpus.__file__).read_bytes()).hexdigest()
    params = {"mb": mb, "claims": claims, "aliases": aliases, "seed": 1, "generator": generator}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return
    shutil.rmtree(work, ignore_errors=True)
    make_corpus.write(work, mb, claims, aliases, 1)
    stamp.write_text(json.dumps(params))


def content_by_article(work: Path) -> list[str]:
    """Return each article's normalised content lines, joined by newlines, as the engine sees it."""
    articles: list[str] = []
    boilerplate = Boilerplate()
    for path in sorted((work / "corpus").glob("*.txt")):
        article = parse_article(path.read_text("utf-8"), path.stem, path.name, boilerplate)
        content = [line.body.text for line in article.lines if line.kind is LineKind.CONTENT]
        articles.append("\n".join(content))
    return articles


# -- matching --------------------------------------------------------------------------------


def trie_regex(words: list[str]) -> str:
    """Return one regex for a word list, factored as a character trie (the classic stdlib trick)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return pattern(trie)


def matching_rows(work: Path, lines: list[str], smoke: bool) -> list[Row]:
    """Match over each article's text (one call per article, as the engine does)."""
    aliases = [a for a in (work / "aliases.txt").read_text("utf-8").splitlines() if a]
    folded = sorted({match_key(fold_text(a)) for a in aliases})
    text = "\n".join(lines)
    keyed = match_key(text)
    megabytes = len(text.encode()) / 1e6
    rows = []

    regex = re.compile(r"(?<!\w)(?:" + trie_regex(folded) + r")(?!\w)")
    seconds, found = timed(lambda: sum(1 for _ in regex.finditer(keyed)))
    rows.append(
        Row(
            f"match {len(folded)} aliases: re trie-regex",
            megabytes,
            seconds,
            note=f"{found} matches",
        )
    )
    base = rows[-1]

    index = PhraseIndex()
    for n, alias in enumerate(aliases):
        index.add(f"c{n}", "v", alias)
    build, _ = timed(index.searcher)
    seconds, found = timed(lambda: sum(len(find_all(index, x)) for x in lines))
    note = f"{found} matches; build {build:.2f}s"
    rows.append(versus("match: crossfact ahocorasick", megabytes, seconds, base, note))

    if importlib.util.find_spec("ahocorasick"):
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for n, key in enumerate(folded):
            automaton.add_word(key, n)
        automaton.make_automaton()
        seconds, found = timed(
            lambda: sum(
                1
                for end, n in automaton.iter(keyed)
                if _clear(keyed, end - len(folded[n]) + 1, end + 1)
            )
        )
        rows.append(
            versus(
                "match: pyahocorasick + boundary check",
                megabytes,
                seconds,
                base,
                f"{found} matches",
            )
        )
    rows += grep_rows(work, folded, keyed, megabytes, base)
    return rows


def _clear(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (
        end >= len(text) or not text[end].isalnum()
    )


def grep_rows(work: Path, folded: list[str], keyed: str, megabytes: float, base: Row) -> list[Row]:
    if not shutil.which("grep"):
        return []
    patterns = work / "aliases.folded.txt"
    patterns.write_text("\n".join(folded) + "\n", encoding="utf-8")
    corpus = work / "corpus.folded.txt"
    corpus.write_text(keyed, encoding="utf-8")
    sample = work / "corpus.sample.txt"
    sample.write_text(keyed[:20_000], encoding="utf-8")
    sample_mb = sample.stat().st_size / 1e6
    plain = _grep(["-F", "-o", "-f", str(patterns)], corpus)
    shell_user = _grep(["-F", "-o", "-i", "-w", "-f", str(patterns)], sample)
    return [
        versus("match: grep -F -o -f aliases", megabytes, plain, base),
        versus("match: grep -F -o -i -w (20 kB sample)", sample_mb, shell_user, base),
    ]


def _grep(flags: list[str], path: Path) -> float:
    """Return grep's wall seconds over a file, its output written to a file."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    # Not /dev/null: GNU grep notices it and stops at the first match, as if given -q.
    with (path.parent / "grep.out").open("wb") as out:
        started = time.perf_counter()
        subprocess.run(["grep", "-a", *flags, str(path)], stdout=out, env=env, check=False)
        return time.perf_counter() - started


def versus(stage: str, megabytes: float, seconds: float, base: Row, note: str = "") -> Row:
    """Return a row whose ratio is its speed over the baseline row's."""
    return Row(
        stage,
        megabytes,
        seconds,
        baseline=base.stage,
        ratio=(megabytes / seconds) / base.rate,
        note=note,
    )


# -- segmentation ----------------------------------------------------------------------------


def golden_rules_passed() -> tuple[int, int]:
    path = next(p for p in GOLDEN if p.exists())
    cases = json.loads(path.read_text("utf-8"))["cases"]
    passed = 0
    for case in cases:
        normalised = fold_text(case["text"])
        got = [normalised[a:b] for a, b in split_sentences(normalised)]
        passed += got == [fold_text(s) for s in case["sentences"]]
    return passed, len(cases)


def segmentation_f1(work: Path) -> float:
    true_positive = predicted = gold_count = 0
    with (work / "gold.jsonl").open(encoding="utf-8") as gold_file:
        for record in map(json.loads, gold_file):
            for paragraph in record["paragraphs"]:
                gold = Counter(fold_text(s) for s in paragraph)
                text = fold_text(" ".join(paragraph))
                got = Counter(text[a:b] for a, b in split_sentences(text))
                true_positive += sum((gold & got).values())
                predicted += sum(got.values())
                gold_count += sum(gold.values())
    precision, recall = true_positive / predicted, true_positive / gold_count
    return 2 * precision * recall / (precision + recall)


def segmentation_rows(lines: list[str]) -> list[Row]:
    megabytes = len("\n".join(lines).encode()) / 1e6
    seconds, count = timed(lambda: sum(len(split_sentences(line)) for line in lines))
    ours = Row(
        "split: crossfact regex + abbreviations", megabytes, seconds, note=f"{count} sentences"
    )
    rows = [ours]
    if importlib.util.find_spec("pysbd"):
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        sample = lines[: max(1, len(lines) // 200)]
        sample_mb = len("\n".join(sample).encode()) / 1e6
        seconds, _ = timed(lambda: [segmenter.segment(line) for line in sample])
        pysbd_row = Row("split: pysbd (sample)", sample_mb, seconds)
        ours.baseline, ours.ratio = pysbd_row.stage, ours.rate / pysbd_row.rate
        rows.insert(0, pysbd_row)
    return rows


# -- end to end ------------------------------------------------------------------------------


def end_to_end_rows(work: Path, grep_seconds: float | None, megabytes: float) -> list[Row]:
    crossfact = [
        sys.executable,
        "-m",
        "checker",
        "check",
        "--corpus",
        "corpus",
        "--claims",
        "claims",
        "--no-reports",
        "--format",
        "json",
        "-o",
        "report.json",
    ]
    rows = []
    one, rss, _ = run_process([*crossfact, "--no-cache"], work)
    rows.append(
        Row(
            "end to end: crossfact check, 1 worker",
            megabytes,
            one,
            rss,
            baseline="grep -F -o -f" if grep_seconds else "",
            ratio=(grep_seconds / one) if grep_seconds else None,
            note="normalise, split, match, verdicts, JSON",
        )
    )
    two, rss2, _ = run_process([*crossfact, "--no-cache", "--jobs", "2"], work)
    rows.append(
        Row("end to end: --jobs 2", megabytes, two, rss2, baseline="1 worker", ratio=one / two)
    )
    shutil.rmtree(work / ".crossfact-cache", ignore_errors=True)
    cold, _, _ = run_process(crossfact, work)
    first, rss_first, _ = run_process(crossfact, work)  # the first run to reuse: keeps the memo
    rows.append(
        Row(
            "end to end: warm cache, first reuse (memo kept)",
            megabytes,
            first,
            rss_first,
            baseline="cold cache",
            ratio=cold / first,
        )
    )
    warm, rss3, _ = run_process(crossfact, work)
    rows.append(
        Row(
            "end to end: warm cache, nothing edited",
            megabytes,
            warm,
            rss3,
            baseline="cold cache",
            ratio=cold / warm,
        )
    )
    edited = sorted((work / "corpus").glob("*.txt"))[0]
    original = edited.read_bytes()
    edited.write_bytes(original + b"\nThe talks in Astana ended on Friday.\n")
    try:
        again, rss4, _ = run_process(crossfact, work)
    finally:
        edited.write_bytes(original)
    rows.append(
        Row(
            "end to end: warm cache, one article edited",
            megabytes,
            again,
            rss4,
            baseline="cold cache",
            ratio=cold / again,
        )
    )
    # A ledger edit that no mention rule reads (a verified answer set): one claim is judged
    # again, every article's analysis stands.
    ledger = sorted((work / "claims").glob("*.yaml"))[0]
    text = ledger.read_text(encoding="utf-8")
    flipped = text.replace("expected: v0", "expected: v1", 1)
    ledger.write_text(flipped, encoding="utf-8")
    try:
        judged, rss5, _ = run_process(crossfact, work)
    finally:
        ledger.write_text(text, encoding="utf-8")
    rows.append(
        Row(
            "end to end: warm cache, one claim's answer edited",
            megabytes,
            judged,
            rss5,
            baseline="cold cache",
            ratio=cold / judged,
            note="changed" if flipped != text else "no claim had an answer to edit",
        )
    )
    if grep_seconds:
        for row in rows[-4:]:
            row.note = f"{row.seconds / grep_seconds:.1f}x grep {row.note}".strip()
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"{'stage':48} {'MB/s':>9} {'wall s':>8} {'RSS MB':>7} {'ratio':>8}  vs / note")
    for r in rows:
        rss = f"{r.rss_mb:7.0f}" if r.rss_mb is not None else f"{'':7}"
        ratio = f"{r.ratio:7.3g}x" if r.ratio is not None else f"{'':8}"
        tail = "; ".join(x for x in (r.baseline, r.note) if x)
        print(f"{r.stage:48} {r.rate:9.2f} {r.seconds:8.2f} {rss} {ratio}  {tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--aliases", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/crossfact-bench"))
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes; only shows numbers are produced"
    )
    args = parser.parse_args()
    if args.smoke:
        args.mb, args.claims, args.aliases = 0.3, 300, 1_500
    work = args.work.resolve() / f"{args.mb:g}mb-{args.claims}c-{args.aliases}a"
    prepare(work, args.mb, args.claims, args.aliases)
    print(
        f"crossfact benchmark: {args.mb:g} MB, {args.claims} claims, {args.aliases} aliases; "
        f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
    )
    articles = content_by_article(work)
    lines = [line for article in articles for line in article.split("\n")]
    megabytes = len("\n".join(lines).encode()) / 1e6
    rows = matching_rows(work, articles, args.smoke)
    grep = next((r for r in rows if r.stage.startswith("match: grep -F -o -f")), None)
    rows += segmentation_rows(lines)
    rows += end_to_end_rows(work, grep.seconds if grep else None, megabytes)
    print_table(rows)
    passed, total = golden_rules_passed()
    print(f"Golden Rules: {passed}/{total} passed")
    print(f"Segmentation F1 on the gold boundaries: {segmentation_f1(work):.4f}")


if __name__ == "__main__":
    main()
