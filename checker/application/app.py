"""The application: settings in; the report, its rendering context and the files to write out.

Every command goes through here: inputs are read once, articles are analysed (from the cache,
in N processes or on Dask), reduced, waived and labelled, and the report is assembled once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from checker import __version__
from checker.application.cache import AnalysisCache, CachedMemo, snapshot_loader
from checker.application.pipeline import analyse_corpus
from checker.application.reading import (
    article_files,
    raw_articles,
    read_boilerplate,
    read_boilerplate_lines,
    read_ledger,
    read_waivers,
)
from checker.application.settings import Settings
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import RawArticle, inline_waivers
from checker.articles.readers import Unread
from checker.articles.sources import InlineWaiver
from checker.base.claims import Ledger, Severity
from checker.base.errors import (
    CorpusError,
    CrossfactError,
    ErrorLocation,
    LocatedError,
    SettingsError,
    UsageError,
)
from checker.base.files import display_path, within
from checker.base.ledger import load_ledger
from checker.findings import results
from checker.findings.results import (
    Finding,
    Judgement,
    Report,
    build_report,
    make_finding,
    trim,
)
from checker.findings.rules import RULES, FindingKind, severity
from checker.formats import REPORT_FILES, OutputFormat, Page, RenderContext, make_context
from checker.formats.context import FILES_FOLDER
from checker.judgement.analysis import MatchObserver
from checker.judgement.index import build_index, matching_hash
from checker.judgement.mention_rules import RuleSet
from checker.judgement.reduction import MemoGap, Reducer
from checker.review.authoring import LedgerLinter, mixed_evidence, self_tests, type_hints
from checker.review.changes import changed_files, extract_at, label_changes
from checker.review.waivers import apply_inline_waivers, apply_waivers, baseline


class Progress(Protocol):
    """Where a long run reports how far it is (the command line draws it; the run never prints)."""

    def start(self, total: int) -> None:
        """Begin: `total` articles are to be analysed."""

    def advance(self) -> None:
        """One more article is analysed."""

    def phase(self, text: str) -> None:
        """The run moved on to another step (judging, writing reports)."""


@dataclass(frozen=True)
class Run:
    """What one command produced: the ledger, the report, its context and files to write."""

    ledger: Ledger
    report: Report
    context: RenderContext
    # The report files to write and their formats (or the page of an archive's HTML report),
    # in order: each is rendered only when it is written, the main HTML page after its pages.
    files: dict[Path, OutputFormat | Page] = field(default_factory=dict)
    # What the run did on the side that a user should hear of once (a cache file rebuilt).
    notes: list[str] = field(default_factory=list)
    # Pages an earlier run wrote into the report folder that this run's report does not link.
    stale: list[Path] = field(default_factory=list)


def read_inputs(settings: Settings, notes: list[str] | None = None) -> tuple[Ledger, Boilerplate]:
    """Read the ledger (from its snapshot when the cache is on) and the boilerplate patterns."""
    said = [] if notes is None else notes
    ledger = read_ledger(
        settings.claims,
        settings.root,
        settings.folders("claims"),
        exclude=(settings.waivers,),
        load=snapshot_loader(settings.root, said) if settings.cache else load_ledger,
    )
    boilerplate_file = read_boilerplate(
        settings.boilerplate_file, settings.root, settings.folders("boilerplate_file")
    )
    patterns = [*boilerplate_file, *settings.boilerplate]
    return ledger, Boilerplate(patterns)


def _analyses(
    settings: Settings,
    ledger: Ledger,
    boilerplate: Boilerplate,
    observe: MatchObserver | None = None,
    detail: str | None = "sentences",
    info_cap: int | None = None,
    keep: Iterable[str] = (),
    notes: list[str] | None = None,
    inputs: RunId | None = None,
    corpus: CorpusSide | None = None,
    progress: Progress | None = None,
) -> Judgement:
    """Analyse the corpus and reduce it; see `Reducer` for `info_cap` and `keep`."""
    index = build_index(ledger, RuleSet(settings.disabled_rules))
    cache = (
        AnalysisCache.open(settings.root, matching_hash(ledger, index.rules), boilerplate.signature)
        if settings.cache and observe is None
        else None
    )
    # The ledger and its index live for the whole run: frozen, the cyclic collector stops
    # walking their millions of objects on every collection (issue 23). Unfrozen after, so a
    # process that runs many checks (the tests, an editor) lets them go.
    gc.freeze()
    try:
        for memoised in (True, False):
            memo = CachedMemo(cache, index.topic_hash) if cache is not None and memoised else None
            reducer = Reducer(
                index, settings.severity, detail=detail, info_cap=info_cap, keep=keep, memo=memo
            )
            side = CorpusSide() if corpus is not None else None
            take_in(settings, ledger, boilerplate, reducer, observe, inputs, side, progress, cache)
            if progress is not None:
                progress.phase("judging claims")
            try:
                with cache.transaction() if cache is not None else contextlib.nullcontext():
                    judgement = reducer.finish()
            except MemoGap:
                # An outlined article's digest was pruned by another run meanwhile: judge
                # again from digests alone, taking the run's id afresh.
                if inputs is not None:
                    inputs.restart()
                continue
            if corpus is not None and side is not None:
                corpus.skipped, corpus.waivers = side.skipped, side.waivers
            return judgement
        raise AssertionError("unreachable: the second pass keeps no memo")  # pragma: no cover
    finally:
        gc.unfreeze()
        if cache is not None:
            cache.prune()
            cache.close()
            if notes is not None:
                notes += cache.notes


@dataclass
class CorpusSide:
    """What reading the corpus finds besides articles: files no reader takes, inline waivers."""

    skipped: list[tuple[str, Unread]] = field(default_factory=list)
    waivers: list[InlineWaiver] = field(default_factory=list)

    def findings(self, overrides: Mapping[FindingKind, Severity]) -> list[Finding]:
        """Return a `skipped-file` finding for each file no reader took."""
        level = severity(FindingKind.SKIPPED_FILE, overrides)
        return [
            make_finding(
                FindingKind.SKIPPED_FILE,
                {"path": path, "reason": f"{unread.suffix}: {unread.reason}"},
                severity=level,
                path=path,
                line=1,
                column=1,
                details={"suffix": unread.suffix, "reason": unread.reason},
            )
            for path, unread in self.skipped
        ]


def _with_inline_waivers(raws: Iterable[RawArticle], side: CorpusSide) -> Iterator[RawArticle]:
    """Pass articles on, collecting the `crossfact: ignore` comments of those that have any."""
    for raw in raws:
        if b"crossfact" in raw.data:  # the comment's marker; most articles have none
            side.waivers += inline_waivers(raw)
        yield raw


class RunId:
    """The run's id as it is taken in: a hash of everything the report depends on."""

    def __init__(self, digest: Any) -> None:
        self.digest = digest
        self.start = digest.copy()

    def update(self, data: bytes) -> None:
        """Take in more of the run's inputs."""
        self.digest.update(data)

    def restart(self) -> None:
        """Forget the articles taken in: the corpus is read again."""
        self.digest = self.start.copy()

    def hexdigest(self) -> str:
        """Return the id so far, in hex."""
        return str(self.digest.hexdigest())


def take_in(
    settings: Settings,
    ledger: Ledger,
    boilerplate: Boilerplate,
    reducer: Reducer,
    observe: MatchObserver | None = None,
    inputs: RunId | None = None,
    corpus: CorpusSide | None = None,
    progress: Progress | None = None,
    cache: AnalysisCache | None = None,
) -> None:
    """Analyse every article (cached, in N processes or on Dask) into the reducer, as a stream.

    `inputs` takes in each article's name and bytes as it is read (the run's id); `corpus`
    collects the files no reader takes and the articles' inline waivers. With a reducer that
    keeps a memo, cached articles come as outlines.
    """
    raws: Iterable[RawArticle] = raw_articles(
        settings.corpus,
        settings.root,
        settings.folders("corpus"),
        max_bytes=settings.max_bytes,
        skipped=corpus.skipped if corpus is not None else None,
        exclude=(settings.report_dir,),
    )
    if inputs is not None:
        raws = _hashed(raws, inputs)
    if corpus is not None and settings.inline_waivers:
        raws = _with_inline_waivers(raws, corpus)
    analyses = analyse_corpus(
        raws,
        reducer.index,
        ledger,
        boilerplate,
        jobs=settings.jobs,
        cache=cache,
        scheduler=settings.scheduler,
        observe=observe,
        compact=lambda: not reducer.listing,
        outlines=reducer.memo is not None,
    )
    if progress is not None:
        try:
            progress.start(len(article_files(settings.corpus)))
        except OSError:
            progress.start(0)  # listing fails again below, with the error a user should see
    for record in analyses:
        reducer.add(record)
        if progress is not None:
            progress.advance()


def _findings_at(settings: Settings, ref: str) -> list[Finding] | None:
    """Check REF's corpus and claims in a scratch folder; None when REF had none to check."""
    with tempfile.TemporaryDirectory(prefix="crossfact-ref-") as scratch:
        extract_at(settings.root, ref, [settings.corpus, settings.claims], Path(scratch))
        moved = settings.relocated(Path(scratch))
        if not moved.claims.exists() or not moved.corpus.exists():
            return None
        try:
            return _analyses(moved, *read_inputs(moved), detail="findings").findings
        except CrossfactError:
            return None  # REF's own corpus or ledger was broken: everything counts as new


def _report(
    settings: Settings,
    ledger: Ledger,
    judgement: Judgement,
    findings: list[Finding],
    *,
    fail_on: Severity | None,
    changed: bool = False,
    run_id: str = "",
) -> Report:
    return build_report(
        judgement,
        findings,
        fail_on,
        tool_version=__version__,
        ledger_hash=ledger.content_hash,
        changed=changed,
        mention_rules=[rule.code for rule in RuleSet(settings.disabled_rules).enabled],
        disabled_rules=settings.disabled_rules,
        run_id=run_id,
    )


def require_report_dir(settings: Settings) -> None:
    """Refuse a report folder that is a file, or lies outside the project unless allowed."""
    report_dir = settings.report_dir
    if report_dir.exists() and not report_dir.is_dir():
        raise UsageError(f"report folder {report_dir} exists and is not a folder")
    if not within(report_dir, settings.folders("report_dir")):
        raise UsageError(
            f"report folder {report_dir} lies outside the project {settings.root}; "
            "pass --allow-outside to permit it"
        )


def _hashed(raws: Iterable[RawArticle], inputs: RunId) -> Iterator[RawArticle]:
    """Pass articles on, taking each one's path and content digest into the run's id."""
    for raw in raws:
        # Spelled as before the reader seam, so a plain or Markdown corpus keeps its run id.
        reader = {"plain": "False", "markdown": "True"}.get(raw.reader, raw.reader)
        inputs.update(f"{raw.path}\x1f{reader}\x1f".encode("utf-8", "surrogateescape"))
        inputs.update(hashlib.sha256(raw.data).digest())
        yield raw


def _run_inputs(settings: Settings, boilerplate: Boilerplate, *parts: object) -> RunId:
    """Start the run's id: everything a report depends on besides the articles."""
    inputs = hashlib.sha256()
    # The tool's version, not its code's fingerprint: a snapshot of the reports stays put
    # across edits that change nothing in them.
    fixed = (
        __version__,
        boilerplate.signature,
        sorted((kind.value, level.value) for kind, level in settings.severity.items()),
        settings.fail_on,
        sorted(settings.disabled_rules),
        *parts,
    )
    inputs.update(repr(fixed).encode("utf-8", "surrogateescape"))
    return RunId(inputs)


def check(
    settings: Settings,
    *,
    today: dt.date,
    changed_since: str | None = None,
    write_reports: bool = True,
    color: bool = False,
    detail: str | None = None,
    progress: Progress | None = None,
) -> Run:
    """Check the corpus against the ledger; return the report and the report files to write."""
    if write_reports:
        require_report_dir(settings)
    started = time.perf_counter()
    notes: list[str] = []
    ledger, boilerplate = read_inputs(settings, notes)
    waivers = read_waivers(settings.waivers, settings.root, settings.folders("waivers"))
    # An unlisted info finding is only counted, unless info findings gate the run (then each
    # must be made, to be waived or labelled) or a waiver names it.
    info_gates = settings.fail_on is Severity.INFO
    # Every report of one run carries its id, so that files from different runs (one killed
    # between renames) can be told apart; the same inputs give the same id and the same bytes.
    inputs = _run_inputs(
        settings,
        boilerplate,
        ledger.content_hash,
        waivers.model_dump_json(),
        today,
        changed_since,
    )
    corpus = CorpusSide()
    judgement = _analyses(
        settings,
        ledger,
        boilerplate,
        notes=notes,
        inputs=inputs,
        detail=detail,
        info_cap=None if info_gates else results.INFO_PER_ARTICLE,
        keep=[waiver.fingerprint for waiver in waivers.waivers],
        corpus=corpus,
        progress=progress,
    )
    found = [*judgement.findings, *corpus.findings(settings.severity)]
    findings = apply_waivers(found, waivers, today, settings.severity)
    if settings.inline_waivers:
        claim_files = {claim.path for claim in ledger.claims}
        findings = apply_inline_waivers(findings, corpus.waivers, claim_files)
    changed = None
    if changed_since:
        if progress is not None:
            progress.phase(f"checking {changed_since} for new findings")
        findings = label_changes(findings, _findings_at(settings, changed_since))
        changed = changed_files(settings.root, changed_since)
    report = _report(
        settings,
        ledger,
        judgement,
        findings,
        fail_on=settings.fail_on,
        changed=changed_since is not None,
        run_id=inputs.hexdigest()[:16],
    )
    report = trim(report, detail)
    names = list(REPORT_FILES) if write_reports else []
    context = make_context(
        report,
        [display_path(settings.report_dir / name, settings.root) for name in names],
        time.perf_counter() - started,
        color=color,
        changed_since=changed_since,
        changed_files=changed,
    )
    files, stale = _report_files(settings.report_dir, names, context)
    return Run(ledger, report, context, files, notes, stale)


# Only files that look like this and say they are crossfact's are ever removed as stale pages.
_PAGE_NAME = re.compile(r"(findings|claims|articles)-[0-9]{3,}\.html")
_GENERATOR = b'<meta name="generator" content="crossfact">'


def _report_files(
    report_dir: Path, names: list[str], context: RenderContext
) -> tuple[dict[Path, OutputFormat | Page], list[Path]]:
    """Return the report files to write, an archive's HTML pages first, and stale pages."""
    files: dict[Path, OutputFormat | Page] = {}
    folder = report_dir / FILES_FOLDER
    if OutputFormat.HTML in (REPORT_FILES[name] for name in names):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise UsageError(f"{folder} exists and is not a folder of the report's pages")
        files.update((report_dir / page.path, page) for page in context.pages)
    files.update((report_dir / name, REPORT_FILES[name]) for name in names)
    stale: list[Path] = []
    if names and folder.is_dir() and not folder.is_symlink():
        for path in sorted(folder.iterdir()):
            if path in files or not _PAGE_NAME.fullmatch(path.name) or not path.is_file():
                continue
            with path.open("rb") as handle:
                if _GENERATOR in handle.read(1024):
                    stale.append(path)
    return files, stale


def validate(settings: Settings, *, strict: bool = False, progress: Progress | None = None) -> Run:
    """Validate the ledger: run its examples, and lint it against the corpus when there is one."""
    ledger, boilerplate = read_inputs(settings)
    # A broken waiver file is a ledger error too.
    read_waivers(settings.waivers, settings.root, settings.folders("waivers"))
    findings = self_tests(ledger, settings.severity)
    judgement = Judgement(articles=[], claims=[], pairs=[], findings=[])
    if settings.corpus.is_dir():
        linter = LedgerLinter(boilerplate)
        judgement = _analyses(
            settings, ledger, boilerplate, observe=linter, detail="findings", progress=progress
        )
        findings += linter.pattern_findings(_glob_places(settings), settings.severity)
        unmentioned = {c.id for c in judgement.claims if not c.cells and not c.cells_left_out}
        findings += linter.findings(ledger, unmentioned, settings.severity)
        findings += mixed_evidence(ledger, judgement.claims, settings.severity)
        findings += type_hints(ledger, judgement.claims, settings.severity)
    fail_on = Severity.WARNING if strict else Severity.ERROR
    report = _report(settings, ledger, judgement, findings, fail_on=fail_on)
    context = make_context(
        report,
        command="validate",
        corpus_found=settings.corpus.is_dir(),
        claim_files=len({c.path for c in ledger.claims}),
        claims_defined=len(ledger.claims),
    )
    return Run(ledger, report, context)


def _glob_places(settings: Settings) -> dict[str, tuple[str, int]]:
    """Return where each user boilerplate glob is written: its file and line."""
    shown = display_path(settings.boilerplate_file, settings.root)
    places = dict.fromkeys(settings.boilerplate, ("settings", 1))
    lines = read_boilerplate_lines(
        settings.boilerplate_file, settings.root, settings.folders("boilerplate_file")
    )
    places.update({glob: (shown, number) for number, glob in lines})
    return places


def make_baseline(
    settings: Settings, *, today: dt.date, reviewer: str
) -> tuple[Path, str, int, int]:
    """Return the waiver file with every current finding waived, its waivers and the added."""
    ledger, boilerplate = read_inputs(settings)
    judgement = _analyses(settings, ledger, boilerplate, detail="findings")
    if not within(settings.waivers, settings.folders("waivers")):
        shown = display_path(settings.waivers, settings.root)
        raise UsageError(f"waiver file {shown} lies outside the project; pass --allow-outside")
    existing = read_waivers(settings.waivers, settings.root, settings.folders("waivers"))
    current = [f for f in judgement.findings if f.kind is not FindingKind.STALE_WAIVER]
    text, added = baseline(current, existing, today, reviewer)
    return settings.waivers, text, len(existing.waivers) + added, added


def load_error_run(error: LocatedError | CorpusError) -> Run:
    """Return a run whose report holds an input's problems as findings (load-error kinds)."""
    if isinstance(error, CorpusError):
        kind, problems = FindingKind.CORPUS, [ErrorLocation(error.path, 1, 1, error.message)]
    else:
        kind = FindingKind.SETTINGS if isinstance(error, SettingsError) else FindingKind.CLAIM_FILE
        problems = error.problems
    findings = [
        make_finding(
            kind,
            {"problem": problem.message},
            severity=RULES[kind].severity,
            path=problem.path,
            line=problem.line,
            column=problem.column,
        )
        for problem in problems
    ]
    judgement = Judgement(articles=[], claims=[], pairs=[], findings=[])
    report = build_report(
        judgement, findings, Severity.ERROR, tool_version=__version__, ledger_hash=""
    )
    return Run(Ledger(claims=(), content_hash=""), report, make_context(report))


def open_cache(settings: Settings) -> AnalysisCache | None:
    """Return the project's cache for the current ledger and settings (for cache info/clear)."""
    ledger, boilerplate = read_inputs(settings)
    rules = RuleSet(settings.disabled_rules)
    return AnalysisCache.open(settings.root, matching_hash(ledger, rules), boilerplate.signature)
