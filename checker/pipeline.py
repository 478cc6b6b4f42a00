"""Run the per-article stage: from the cache, in this process, over N processes, or on Dask."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any

from checker.analysis import ArticleAnalysis, MatchObserver, analyse_raw
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
) -> Iterator[ArticleAnalysis]:
    """Yield every article's analysis: cached ones as they are, the rest computed and cached.

    Analyses come out as a stream, in no particular order, so the reduction can take each one
    and drop it. An observer sees every sentence's raw matches, so it needs every article
    analysed here: it runs in this process, without the cache.
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
    if scheduler:
        computed = _on_dask(scheduler, todo, ledger, boilerplate)
    elif jobs > 1:
        computed = _on_processes(jobs, todo, index, ledger, boilerplate)
    else:
        computed = (analyse_raw(raw, index, boilerplate) for raw in todo)
    for analysis in computed:
        yield from drain()
        key = waiting.popleft()  # results come back in the order the articles went out
        if cache is not None:
            cache.put(key, analysis)
        yield analysis
    yield from drain()


def _on_processes(
    jobs: int,
    raws: Iterator[RawArticle],
    index: LedgerIndex,
    ledger: Ledger,
    boilerplate: Boilerplate,
) -> Iterator[ArticleAnalysis]:
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
        # In windows: the pool's feeder thread would otherwise read the whole corpus ahead.
        while window := list(islice(raws, _WINDOW * jobs)):
            yield from pool.imap(_analyse_in_worker, window, chunksize=_CHUNK)
    _WORKER.clear()


def _start_worker(ledger: Ledger, boilerplate: Boilerplate) -> None:
    _WORKER.update(index=build_index(ledger), boilerplate=boilerplate)


def _analyse_in_worker(raw: RawArticle) -> ArticleAnalysis:
    return analyse_raw(raw, _WORKER["index"], _WORKER["boilerplate"])


def _analyse_on_dask_worker(
    raw: RawArticle, ledger: Ledger, boilerplate: Boilerplate
) -> ArticleAnalysis:
    """Analyse one article on a Dask worker, compiling the ledger once per worker process."""
    index = _WORKER.get(ledger.content_hash)
    if index is None:
        _WORKER.clear()
        index = _WORKER[ledger.content_hash] = build_index(ledger)
    return analyse_raw(raw, index, boilerplate)


def _on_dask(
    scheduler: str, raws: Iterator[RawArticle], ledger: Ledger, boilerplate: Boilerplate
) -> Iterator[ArticleAnalysis]:
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
                pure=False,
            )
            yield from client.gather(futures)
