"""Run the per-article stage: from the cache, in this process, over N processes, or on Dask."""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

from checker.application.cache import AnalysisCache
from checker.application.records import analysis_to_json, digest_to_json
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import RawArticle
from checker.base.claims import Ledger
from checker.base.errors import UsageError
from checker.judgement.analysis import (
    ArticleAnalysis,
    ArticleDigest,
    MatchObserver,
    analyse_raw,
    digest_analysis,
)
from checker.judgement.index import LedgerIndex, build_index
from checker.judgement.mention_rules import RuleSet
from checker.judgement.reduction import Outline

_CHUNK = 16  # articles a worker takes at a time: amortises pickling, keeps the load even
_WINDOW = 8 * _CHUNK  # articles sent to the pool at a time, per worker
_DASK_BATCH = 2_000  # futures in flight at a time, so a huge archive does not sit in memory
# Per-process state of a worker: the compiled index is built (or inherited) once, not per task.
_WORKER: dict[str, Any] = {}


# What the per-article stage hands the reduction: the whole analysis, or its digest once the
# report will not list sentences; with the cache on, also the analysis and the digest as the
# cache stores them.
Analysed = tuple[ArticleAnalysis | ArticleDigest, bytes | None, bytes | None]


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
    outlines: bool = False,
) -> Iterator[ArticleAnalysis | ArticleDigest | Outline]:
    """Yield every article's analysis: cached ones as they are, the rest computed and cached.

    Analyses come out as a stream, in no particular order, so the reduction can take each one
    and drop it: a cached one as soon as it is read, computed ones batch by batch, with the
    next batch already queued. While `compact()` is true, workers send digests instead of
    whole analyses (far less to pickle and to take in). With `outlines` (the reduction keeps
    a judgement memo), a cached article comes as its outline, and its digest is read only if
    the memo misses. Every record carries its cache key. An observer sees every sentence's raw
    matches, so it needs every article analysed here: it runs in this process, without the
    cache.
    """
    if observe is not None:
        yield from (analyse_raw(raw, index, boilerplate, observe) for raw in raws)
        return
    with _Backend(jobs, scheduler, index, ledger, boilerplate, cache is not None) as backend:
        in_flight: deque[tuple[list[str], Iterator[Analysed]]] = deque()
        keys: list[str] = []
        batch: list[RawArticle] = []
        for raw in raws:
            key = cache.key(raw) if cache is not None else ""
            cached = _cached(cache, key, index, compact(), outlines) if cache is not None else None
            if cached is not None:
                yield cached
                continue
            keys.append(key)
            batch.append(raw)
            if len(batch) >= backend.batch_size:
                in_flight.append((keys, backend.submit(batch, compact())))
                keys, batch = [], []
                if len(in_flight) > 1:  # take one batch's results while the next one runs
                    yield from _taken(*in_flight.popleft(), cache, index.topic_hash)
        if batch:
            in_flight.append((keys, backend.submit(batch, compact())))
        while in_flight:
            yield from _taken(*in_flight.popleft(), cache, index.topic_hash)


def _cached(
    cache: AnalysisCache, key: str, index: LedgerIndex, compact: bool, outlines: bool
) -> ArticleAnalysis | ArticleDigest | Outline | None:
    """Return an article from the cache: its outline or its digest when that will do, else its
    analysis.

    A warm run over an archive reads only outlines (or digests: mentions, word sets and the
    sentences no claim speaks to); a digest missing beside its analysis is cut and stored for
    next time, and the reduction stores the outline of every digest it takes in.
    """
    if not compact:
        analysis = cache.get(key)
        return None if analysis is None else replace(analysis, key=key)
    topic = index.topic_hash
    if outlines:
        outline = cache.get_outline(key, topic)
        if outline is not None:
            return outline
    digest = cache.get_digest(key, topic)
    if digest is None:
        analysis = cache.get(key)
        if analysis is None:
            return None
        digest = digest_analysis(analysis, index)
        cache.put_digest(key, topic, digest_to_json(digest))
    return digest._replace(key=key)  # its outline is the reduction's to store


def _taken(
    keys: list[str],
    results: Iterator[Analysed],
    cache: AnalysisCache | None,
    topic: str,
) -> Iterator[ArticleAnalysis | ArticleDigest]:
    """Yield a batch's records, storing their payloads (results come in submission order)."""
    for key, (record, payload, digested) in zip(keys, results, strict=True):
        if not key:  # no cache
            keyed = record
        elif isinstance(record, ArticleDigest):
            keyed = record._replace(key=key)
        else:
            keyed = replace(record, key=key)
        if cache is not None and payload is not None:
            cache.put_payload(key, payload)
        if cache is not None and digested is not None:
            cache.put_digest(key, topic, digested)  # its outline is the reduction's to store
        yield keyed


def _analysed(
    raw: RawArticle, index: LedgerIndex, boilerplate: Boilerplate, compact: bool, stored: bool
) -> Analysed:
    """Analyse one article; return it whole or as a digest, and its cache payloads if asked."""
    analysis = analyse_raw(raw, index, boilerplate)
    payload = analysis_to_json(analysis) if stored else None
    if not compact:
        return analysis, payload, None
    digest = digest_analysis(analysis, index)
    return digest, payload, digest_to_json(digest) if stored else None


class _Backend:
    """Where articles are analysed: this process, a pool of N, or Dask; started when first used."""

    def __init__(
        self,
        jobs: int,
        scheduler: str | None,
        index: LedgerIndex,
        ledger: Ledger,
        boilerplate: Boilerplate,
        stored: bool,
    ) -> None:
        self.jobs, self.scheduler = jobs, scheduler
        self.index, self.ledger, self.boilerplate, self.stored = index, ledger, boilerplate, stored
        self.batch_size = _DASK_BATCH if scheduler else _WINDOW * jobs if jobs > 1 else 1
        self.stack = ExitStack()
        self.pool: Any = None
        self.client: Any = None

    def __enter__(self) -> _Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
        _WORKER.clear()

    def submit(self, raws: list[RawArticle], compact: bool) -> Iterator[Analysed]:
        """Start analysing a batch; return its results, in order, as they come."""
        if self.scheduler:
            return self._on_dask(raws, compact)
        if self.jobs > 1:
            return self._on_processes(raws, compact)
        return (_analysed(raw, self.index, self.boilerplate, compact, self.stored) for raw in raws)

    def _on_processes(self, raws: list[RawArticle], compact: bool) -> Iterator[Analysed]:
        if self.pool is None:
            if "fork" in multiprocessing.get_all_start_methods():
                # Forked workers inherit the compiled automaton instead of rebuilding it.
                _WORKER.update(index=self.index, boilerplate=self.boilerplate)
                context = multiprocessing.get_context("fork")
                initializer, initargs = _ignore_interrupts, ()
            else:  # pragma: no cover - macOS and Windows spawn
                context = multiprocessing.get_context("spawn")
                initializer = _start_worker
                initargs = (self.ledger, self.boilerplate, self.index.rules)
            self.pool = self.stack.enter_context(context.Pool(self.jobs, initializer, initargs))
        tasks = [(raw, compact, self.stored) for raw in raws]
        return self.pool.imap(_analyse_in_worker, tasks, chunksize=_CHUNK)  # type: ignore[no-any-return]

    def _on_dask(self, raws: list[RawArticle], compact: bool) -> Iterator[Analysed]:
        if self.client is None:
            try:
                from dask.distributed import Client  # an optional extra
            except ImportError:
                raise UsageError(
                    "--scheduler needs the dask extra: pip install 'crossfact[dask]'"
                ) from None
            self.client = self.stack.enter_context(Client(self.scheduler))
            [self.ledger_future] = self.client.scatter([self.ledger], broadcast=True)
            [self.boilerplate_future] = self.client.scatter([self.boilerplate], broadcast=True)
        futures = self.client.map(
            _analyse_on_dask_worker,
            raws,
            ledger=self.ledger_future,
            boilerplate=self.boilerplate_future,
            rules=self.index.rules,
            compact=compact,
            stored=self.stored,
            pure=False,
        )
        return _gathered(self.client, futures)


def _gathered(client: Any, futures: list[Any]) -> Iterator[Analysed]:
    """Wait for a batch's futures only when its results are taken."""
    yield from client.gather(futures)


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the main process: it stops the pool and prints one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(ledger: Ledger, boilerplate: Boilerplate, rules: RuleSet) -> None:
    _ignore_interrupts()
    _WORKER.update(index=build_index(ledger, rules), boilerplate=boilerplate)


def _analyse_in_worker(task: tuple[RawArticle, bool, bool]) -> Analysed:
    raw, compact, stored = task
    return _analysed(raw, _WORKER["index"], _WORKER["boilerplate"], compact, stored)


def _analyse_on_dask_worker(
    raw: RawArticle,
    ledger: Ledger,
    boilerplate: Boilerplate,
    rules: RuleSet,
    compact: bool,
    stored: bool,
) -> Analysed:
    """Analyse one article on a Dask worker, compiling the ledger once per worker process."""
    key = f"{ledger.content_hash}:{','.join(sorted(rules.disabled))}"
    index = _WORKER.get(key)
    if index is None:
        _WORKER.clear()
        index = _WORKER[key] = build_index(ledger, rules)
    return _analysed(raw, index, boilerplate, compact, stored)
