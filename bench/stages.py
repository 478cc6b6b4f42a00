"""Time each stage of one check, in one process, with the peak memory reached so far.

Usage: python bench/stages.py CORPUS_DIR [--jobs N] [--cache]

CORPUS_DIR holds `corpus/` and `claims/` (as `bench/run.py` generates them, e.g.
/tmp/crossfact-bench/10mb-10000c-50000a). The stages are the application's own, called in
turn: ledger, index, the map with the reduction taking each article in, the judging, waivers
and report, and the JSON writer. Seconds are wall time on a shared machine: read them as
shares of the run, not as absolutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from checker.application import app  # noqa: E402 - bench/ is not a package
from checker.application.cache import AnalysisCache, CachedMemo  # noqa: E402
from checker.application.cli import _settings, build_parser  # noqa: E402
from checker.application.reading import read_waivers  # noqa: E402
from checker.findings.results import INFO_PER_ARTICLE, trim  # noqa: E402
from checker.formats import OutputFormat, make_context, stream  # noqa: E402
from checker.judgement.index import build_index, matching_hash  # noqa: E402
from checker.judgement.reduction import Reducer  # noqa: E402
from checker.review.waivers import apply_waivers  # noqa: E402


class Clock:
    """Print each stage's wall seconds and the process's peak RSS so far."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.started = self.last

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{stage:40} {now - self.last:8.2f} s  peak {peak:6d} MB", flush=True)
        self.last = now

    def total(self) -> None:
        print(f"{'total':40} {time.perf_counter() - self.started:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--cache", action="store_true", help="read and write the cache")
    args = parser.parse_args()
    os.chdir(args.folder)
    flags = ["check", "--corpus", "corpus", "--claims", "claims", "--jobs", args.jobs]
    settings = _settings(build_parser().parse_args(flags if args.cache else [*flags, "--no-cache"]))
    clock = Clock()
    ledger, boilerplate = app.read_inputs(settings)
    clock.mark("read and validate the ledger")
    index = build_index(ledger)
    clock.mark("compile the index")
    cache = (
        AnalysisCache.open(settings.root, matching_hash(ledger, index.rules), boilerplate.signature)
        if args.cache
        else None
    )
    memo = CachedMemo(cache, index.topic_hash) if cache is not None else None
    reducer = Reducer(index, settings.severity, info_cap=INFO_PER_ARTICLE, memo=memo)
    app.take_in(settings, ledger, boilerplate, reducer, cache=cache)
    clock.mark("map, each article taken in (Reducer.add)")
    judgement = reducer.finish()
    clock.mark("judge claims and sentences (finish)")
    if cache is not None:
        cache.prune()
        cache.close()
    waivers = read_waivers(settings.waivers, settings.root, settings.folders("waivers"))
    findings = apply_waivers(judgement.findings, waivers, dt.date.today(), settings.severity)
    report = trim(app._report(settings, ledger, judgement, findings, fail_on=settings.fail_on))
    clock.mark("waivers, report, trim")
    with tempfile.TemporaryFile("w", encoding="utf-8") as out:
        for chunk in stream(OutputFormat.JSON, make_context(report)):
            out.write(chunk)
        size = out.tell()
    clock.mark(f"write the JSON ({size / 1e6:.0f} MB)")
    clock.total()


if __name__ == "__main__":
    main()
