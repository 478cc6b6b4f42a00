"""Run the per-article stage: from the cache, in this process, over N processes, or on Dask."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

from checker.analysis import (
    ArticleAnalysis,
    ArticleDigest,
    MatchObserver,
    analyse_raw,
    analysis_to_json,
    digest_analysis,
)
from checker.boilerplate import Boilerplate
from checker.cache import AnalysisCache
from checker.claims import Ledger
from checker.corpus import RawArticle
from checker.errors import UsageError
from checker.index import LedgerIndex, build_index

_CHUNK = 16  # articles a worker takes at a time: amortises pickling, keeps the load even
_WINDOW = 8 * _CHUNK  # articles sent to the pool at a time, per worker
_DASK_BATCH = 2_000  # futures in flight at a time, so a huge archive does not sit in memory
# Per-process state of a worker: the compiled index is built (or inherited) once, not per task.
_WORKER: dict[str, Any] = {}


# What the per-article stage hands the reduction: the whole analysis, or its digest once the
# report will not list sentences; with the cache on, also the analysis as the cache stores it.
Analysed = tuple[ArticleAnalysis | ArticleDigest, bytes | None]


def analyse_corpus(
    raws: Iterable[RawArticle],
    index: LedgerIndex,
    ledger: Ledger,
    boilerplate: Boilerplate,
    *,
    jobs: int = 1,
    cache: AnalysisCache | None = None,
    scheduler: str | None = None,
    observe: MatchObserver | None = None,
    compact: Callable[[], bool] = lambda: False,
) -> Iterator[ArticleAnalysis | ArticleDigest]:
    """Yield every article's analysis: cached ones as they are, the rest computed and cached.

    Analyses come out as a stream, in no particular order, so the reduction can take each one
    and drop it. While `compact()` is true, workers send digests instead of whole analyses
    (far less to pickle and to take in). An observer sees every sentence's raw matches, so it
    needs every article analysed here: it runs in this process, without the cache.
    """
    if observe is not None:
        yield from (analyse_raw(raw, index, boilerplate, observe) for raw in raws)
        return
    ready: deque[ArticleAnalysis] = deque()  # cache hits met while looking for misses
    waiting: deque[str] = deque()  # cache keys of the articles sent out, in order

    def misses() -> Iterator[RawArticle]:
        for raw in raws:
            key = cache.key(raw) if cache is not None else ""
            cached = cache.get(key) if cache is not None else None
            if cached is not None:
                ready.append(cached)
            else:
                waiting.append(key)
                yield raw

    def drain() -> Iterator[ArticleAnalysis]:
        while ready:
            yield ready.popleft()

    pending = misses()
    first = next(pending, None)
    yield from drain()
    if first is None:
        return
    todo = chain([first], pending)
    stored = cache is not None
    if scheduler:
        computed = _on_dask(scheduler, todo, ledger, boilerplate, compact, stored)
    elif jobs > 1:
        computed = _on_processes(jobs, todo, index, ledger, boilerplate, compact, stored)
    else:
        computed = (_analysed(raw, index, boilerplate, compact(), stored) for raw in todo)
    for record, payload in computed:
        yield from drain()
        key = waiting.popleft()  # results come back in the order the articles went out
        if cache is not None and payload is not None:
            cache.put_payload(key, payload)
        yield record
    yield from drain()


def _analysed(
    raw: RawArticle, index: LedgerIndex, boilerplate: Boilerplate, compact: bool, stored: bool
) -> Analysed:
    """Analyse one article; return it whole or as a digest, and its cache payload if asked."""
    analysis = analyse_raw(raw, index, boilerplate)
    payload = analysis_to_json(analysis) if stored else None
    return (digest_analysis(analysis, index) if compact else analysis), payload


def _on_processes(
    jobs: int,
    raws: Iterator[RawArticle],
    index: LedgerIndex,
    ledger: Ledger,
    boilerplate: Boilerplate,
    compact: Callable[[], bool],
    stored: bool,
) -> Iterator[Analysed]:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        # Forked workers inherit the compiled automaton instead of rebuilding it.
        _WORKER.update(index=index, boilerplate=boilerplate)
        context = multiprocessing.get_context("fork")
        initializer, initargs = None, ()
    else:  # pragma: no cover - macOS and Windows spawn
        context = multiprocessing.get_context("spawn")
        initializer, initargs = _start_worker, (ledger, boilerplate)
    with context.Pool(jobs, initializer, initargs) as pool:
        # In windows: the pool's feeder thread would otherwise read the whole corpus ahead,
        # and each window asks afresh whether digests will do.
        while window := list(islice(raws, _WINDOW * jobs)):
            tasks = [(raw, compact(), stored) for raw in window]
            yield from pool.imap(_analyse_in_worker, tasks, chunksize=_CHUNK)
    _WORKER.clear()


def _start_worker(ledger: Ledger, boilerplate: Boilerplate) -> None:
    _WORKER.update(index=build_index(ledger), boilerplate=boilerplate)


def _analyse_in_worker(task: tuple[RawArticle, bool, bool]) -> Analysed:
    raw, compact, stored = task
    return _analysed(raw, _WORKER["index"], _WORKER["boilerplate"], compact, stored)


def _analyse_on_dask_worker(
    raw: RawArticle, ledger: Ledger, boilerplate: Boilerplate, compact: bool, stored: bool
) -> Analysed:
    """Analyse one article on a Dask worker, compiling the ledger once per worker process."""
    index = _WORKER.get(ledger.content_hash)
    if index is None:
        _WORKER.clear()
        index = _WORKER[ledger.content_hash] = build_index(ledger)
    return _analysed(raw, index, boilerplate, compact, stored)


def _on_dask(
    scheduler: str,
    raws: Iterator[RawArticle],
    ledger: Ledger,
    boilerplate: Boilerplate,
    compact: Callable[[], bool],
    stored: bool,
) -> Iterator[Analysed]:
    try:
        from dask.distributed import Client  # an optional extra
    except ImportError:
        raise UsageError(
            "--scheduler needs the dask extra: pip install 'crossfact[dask]'"
        ) from None
    with Client(scheduler) as client:
        [ledger_future] = client.scatter([ledger], broadcast=True)
        [boilerplate_future] = client.scatter([boilerplate], broadcast=True)
        while batch := list(islice(raws, _DASK_BATCH)):
            futures = client.map(
                _analyse_on_dask_worker,
                batch,
                ledger=ledger_future,
                boilerplate=boilerplate_future,
                compact=compact(),
                stored=stored,
                pure=False,
            )
            yield from client.gather(futures)
