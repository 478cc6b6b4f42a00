"""The command line: a thin layer that reads, checks, renders, writes and returns an exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import NoReturn, TextIO

from checker import __version__
from checker.authoring import lint_ledger, self_tests
from checker.boilerplate import Boilerplate
from checker.cache import AnalysisCache
from checker.changes import extract_at, label_changes
from checker.claims import Ledger, Severity
from checker.config import FAIL_ON, Config, load_config
from checker.engine import build_index, check, matching_hash, reduce
from checker.errors import ClaimFileError, CrossfactError, UsageError
from checker.pipeline import analyse_corpus
from checker.render import RENDERERS, REPORT_FILES, OutputFormat, make_context, render_markdown
from checker.results import FindingKind, Report
from checker.schema import schema_text
from checker.sources import (
    DEFAULT_MAX_ARTICLE_BYTES,
    display_path,
    inside,
    raw_articles,
    read_articles,
    read_boilerplate,
    read_ledger,
    read_waivers,
    remove_stale_temporaries,
    write_atomically,
)
from checker.suggest import render_suggestions, suggest
from checker.views import explain, show
from checker.waivers import apply_waivers, baseline

COMMANDS = ("check", "validate", "baseline", "schema", "suggest", "explain", "show")
DEFAULT_PATHS = {"corpus": "seeds", "claims": "claims", "report-dir": "reports"}
BASELINE_REVIEWER = "crossfact baseline"


class ExitStatus(IntEnum):
    """What the process exit code means."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


class _HelpShown(Exception):
    """Raised instead of exiting after --help or --version."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so run() stays in-process."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            raise UsageError(message.strip())
        raise _HelpShown


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--claims", type=Path, metavar="DIR", help="claim ledger (default: claims)")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="project root: settings are read here and every path must stay inside (default: .)",
    )
    parser.add_argument(
        "--allow-outside",
        action="store_true",
        help="allow folders and symlinked files outside the project root",
    )


def _add_checking(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="articles (default: seeds)")
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help="waiver file (default: claims/waivers.yaml)"
    )
    parser.add_argument(
        "--boilerplate",
        type=Path,
        metavar="FILE",
        help="extra boilerplate globs, one per line (default: claims/boilerplate.txt)",
    )
    parser.add_argument(
        "--max-article-mb",
        type=float,
        default=DEFAULT_MAX_ARTICLE_BYTES / 2**20,
        metavar="MB",
        help="refuse articles larger than this (default: 32)",
    )


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return jobs or os.cpu_count() or 1


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = _Parser(prog="crossfact", description="Check news articles against a claim ledger.")
    parser.add_argument("--version", action="version", version=f"crossfact {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    checker = commands.add_parser("check", help="check the corpus against the claims (default)")
    _add_common(checker)
    _add_checking(checker)
    checker.add_argument(
        "--report-dir",
        type=Path,
        metavar="DIR",
        help="where report.html, report.md and report.json go (default: reports)",
    )
    checker.add_argument("--no-reports", action="store_true", help="write no report files")
    checker.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=[f.value for f in OutputFormat],
        help="what to print (default: text; github under GitHub Actions)",
    )
    checker.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the --format output to FILE instead of stdout",
    )
    checker.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format (auto: on a terminal, unless NO_COLOR)",
    )
    checker.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    checker.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with gating findings (review-only runs)",
    )
    checker.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="analyse articles in N processes (0: one per CPU; default: 1)",
    )
    checker.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the per-article cache in .crossfact-cache/",
    )
    checker.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse articles on this Dask scheduler (needs crossfact[dask])",
    )
    checker.add_argument(
        "--changed-since",
        metavar="REF",
        help="gate only on findings that are new since the git commit REF",
    )
    validate = commands.add_parser(
        "validate", help="validate the ledger, run claim examples, lint it against the corpus"
    )
    _add_common(validate)
    _add_checking(validate)
    validate.add_argument("--strict", action="store_true", help="make lint warnings gate")
    commands.add_parser("schema", help="print the JSON Schema of claim files")
    suggesting = commands.add_parser(
        "suggest", help="propose claims for unsupported and stray sentences (claim YAML)"
    )
    _add_common(suggesting)
    _add_checking(suggesting)
    suggesting.add_argument("article", nargs="?", help="only this article (id or path)")
    explaining = commands.add_parser("explain", help="explain one claim in the terminal")
    _add_common(explaining)
    _add_checking(explaining)
    explaining.add_argument("claim_id", metavar="CLAIM_ID")
    showing = commands.add_parser("show", help="show one article, sentence by sentence")
    _add_common(showing)
    _add_checking(showing)
    showing.add_argument("article", metavar="ARTICLE", help="article id or path")
    base = commands.add_parser("baseline", help="waive every current finding (reason: baseline)")
    _add_common(base)
    _add_checking(base)
    base.add_argument("--reviewer", default=BASELINE_REVIEWER, help="who the waivers name")
    return parser


@dataclass(frozen=True)
class Settings:
    """Flags, then the config file, then defaults: where everything is and how to judge it."""

    root: Path
    corpus: Path
    claims: Path
    report_dir: Path
    waivers: Path
    boilerplate_file: Path
    fail_on: Severity | None
    config: Config
    allow_outside: bool
    max_bytes: int
    jobs: int = 1
    cache: bool = True
    scheduler: str | None = None

    def relocated(self, root: Path) -> Settings:
        """Return the same settings for a copy of the project at another root."""

        def move(path: Path) -> Path:
            return root / path.absolute().relative_to(self.root.absolute())

        return Settings(
            root,
            move(self.corpus),
            move(self.claims),
            move(self.report_dir),
            move(self.waivers),
            move(self.boilerplate_file),
            self.fail_on,
            self.config,
            self.allow_outside,
            self.max_bytes,
            self.jobs,
            cache=False,  # a scratch copy's analyses are of no use later
            scheduler=self.scheduler,
        )


def _settings(args: argparse.Namespace) -> Settings:
    root: Path = args.root
    config = load_config(root)

    def path(flag: str, key: str) -> Path:
        given = getattr(args, flag, None)
        return given if given is not None else config.paths.get(key, root / DEFAULT_PATHS[key])

    claims = path("claims", "claims")
    waivers = getattr(args, "waivers", None) or config.paths.get("waivers", claims / "waivers.yaml")
    fail_on = getattr(args, "fail_on", None) or config.fail_on or "error"
    return Settings(
        root=root,
        corpus=path("corpus", "corpus"),
        claims=claims,
        report_dir=path("report_dir", "report-dir"),
        waivers=waivers,
        boilerplate_file=getattr(args, "boilerplate", None) or claims / "boilerplate.txt",
        fail_on=None if fail_on == "never" else Severity(fail_on),
        config=config,
        allow_outside=args.allow_outside,
        max_bytes=int(getattr(args, "max_article_mb", 32) * 2**20),
        jobs=getattr(args, "jobs", 1),
        cache=not getattr(args, "no_cache", True),
        scheduler=getattr(args, "scheduler", None),
    )


def _analyse(settings: Settings, today: dt.date) -> Report:
    ledger = read_ledger(
        settings.claims,
        settings.root,
        allow_outside=settings.allow_outside,
        exclude=(settings.waivers,),
    )
    boilerplate = _boilerplate(settings)
    raws = raw_articles(
        settings.corpus,
        settings.root,
        allow_outside=settings.allow_outside,
        max_bytes=settings.max_bytes,
    )
    cache = (
        AnalysisCache(settings.root, matching_hash(ledger), boilerplate.signature)
        if settings.cache
        else None
    )
    index = build_index(ledger)
    analyses = analyse_corpus(
        raws,
        index,
        ledger,
        boilerplate,
        jobs=settings.jobs,
        cache=cache,
        scheduler=settings.scheduler,
    )
    if cache is not None:
        cache.prune()
    report = reduce(index, analyses, settings.config.severity)
    return apply_waivers(report, read_waivers(settings.waivers, settings.root), today)


def _boilerplate(settings: Settings) -> Boilerplate:
    return Boilerplate([*read_boilerplate(settings.boilerplate_file), *settings.config.boilerplate])


def _previous(settings: Settings, ref: str, today: dt.date) -> Report | None:
    """Check REF's corpus and claims in a scratch folder; None when REF had no claims."""
    with tempfile.TemporaryDirectory(prefix="crossfact-ref-") as scratch:
        folders = [settings.corpus, settings.claims]
        extract_at(settings.root, ref, folders, Path(scratch))
        moved = settings.relocated(Path(scratch))
        if not moved.claims.exists() or not moved.corpus.exists():
            return None
        try:
            return _analyse(moved, today)
        except CrossfactError:
            return None  # REF's own corpus or ledger was broken: everything counts as new


def _color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


def _check(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    settings = _settings(args)
    if not args.no_reports:
        _require_report_dir(settings.report_dir, settings.root, allow_outside=args.allow_outside)
    started = time.perf_counter()
    today = dt.date.today()
    report = _analyse(settings, today)
    if args.changed_since:
        report = label_changes(report, _previous(settings, args.changed_since, today))
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    output_format = OutputFormat(args.format or ("github" if in_actions else "text"))
    written = (
        []
        if args.no_reports
        else [
            display_path(settings.report_dir / name, settings.root)
            for name in REPORT_FILES.values()
        ]
    )
    color = output_format is OutputFormat.TEXT and args.output is None and _color(args.color, out)
    context = make_context(
        report,
        settings.fail_on,
        written,
        time.perf_counter() - started,
        color=color,
        changed_since=args.changed_since,
    )
    if not args.no_reports:
        rendered = {name: RENDERERS[fmt](context) for fmt, name in REPORT_FILES.items()}
        remove_stale_temporaries(settings.report_dir, list(rendered))
        for name, content in rendered.items():
            write_atomically(settings.report_dir / name, content)
    text = RENDERERS[output_format](context)
    if args.output is not None:
        write_atomically(args.output, text)
    else:
        out.write(text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_actions and summary:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(render_markdown(context))
    return ExitStatus.FINDINGS if context.gating and not args.exit_zero else ExitStatus.OK


def _require_report_dir(report_dir: Path, root: Path, *, allow_outside: bool) -> None:
    if report_dir.exists() and not report_dir.is_dir():
        raise UsageError(f"report folder {report_dir} exists and is not a folder")
    if not allow_outside and not inside(report_dir, root):
        raise UsageError(
            f"report folder {report_dir} lies outside the project {root}; "
            "pass --allow-outside to permit it"
        )


def _validate(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    settings = _settings(args)
    ledger = read_ledger(
        settings.claims,
        settings.root,
        allow_outside=args.allow_outside,
        exclude=(settings.waivers,),
    )
    read_waivers(settings.waivers, settings.root)
    failures = self_tests(ledger)
    lints = []
    if settings.corpus.is_dir():
        articles = list(
            read_articles(
                settings.corpus,
                settings.root,
                _boilerplate(settings),
                allow_outside=args.allow_outside,
                max_bytes=settings.max_bytes,
            )
        )
        report = check(ledger, articles)
        unmentioned = {c.id for c in report.claims if c.status.value == "unmentioned"}
        lints = lint_ledger(ledger, articles, unmentioned)
    for problem in sorted([*failures, *lints]):
        out.write(f"{problem}\n")
    files = len({c.path for c in ledger.claims})
    verdict = (
        "OK"
        if not failures and not lints
        else (f"{len(failures)} example failure(s), {len(lints)} lint warning(s)")
    )
    if not settings.corpus.is_dir():
        verdict += " (no corpus: lint skipped)"
    out.write(f"{len(ledger.claims)} claims in {files} files: {verdict}\n")
    gating = failures or (args.strict and lints)
    return ExitStatus.FINDINGS if gating else ExitStatus.OK


def _ledger_and_report(args: argparse.Namespace) -> tuple[Ledger, Report]:
    settings = _settings(args)
    ledger = read_ledger(
        settings.claims,
        settings.root,
        allow_outside=args.allow_outside,
        exclude=(settings.waivers,),
    )
    return ledger, _analyse(settings, dt.date.today())


def _suggest(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    ledger, report = _ledger_and_report(args)
    out.write(render_suggestions(suggest(report, ledger, args.article)))
    return ExitStatus.OK


def _explain(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    ledger, report = _ledger_and_report(args)
    located = next((c for c in ledger.claims if c.claim.id == args.claim_id), None)
    out.write(explain(report, located, args.claim_id))
    return ExitStatus.OK


def _show(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    _, report = _ledger_and_report(args)
    out.write(show(report, args.article))
    return ExitStatus.OK


def _schema(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    out.write(schema_text())
    return ExitStatus.OK


def _baseline(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    settings = _settings(args)
    today = dt.date.today()
    report = _analyse(settings, today)
    existing = read_waivers(settings.waivers, settings.root)
    text = baseline(report, existing, today, args.reviewer)
    write_atomically(settings.waivers, text)
    waivable = [f for f in report.findings if f.kind is not FindingKind.STALE_WAIVER]
    added = sum(1 for f in waivable if not f.waived and f.waiver_reason is None)
    shown = display_path(settings.waivers, settings.root)
    out.write(
        f"{shown}: {len(existing.waivers) + added} waivers ({added} added by this baseline)\n"
    )
    return ExitStatus.OK


def run(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> ExitStatus:
    """Run the command line and return its exit status; print only to the given streams."""
    out = out or sys.stdout
    err = err or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*COMMANDS, "-h", "--help", "--version"):
        arguments.insert(0, "check")
    try:
        args = build_parser().parse_args(arguments)
        commands = {
            "check": _check,
            "validate": _validate,
            "baseline": _baseline,
            "schema": _schema,
            "suggest": _suggest,
            "explain": _explain,
            "show": _show,
        }
        command = commands[args.command]
        return command(args, out)
    except _HelpShown:
        return ExitStatus.OK
    except ClaimFileError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        err.write(f"crossfact: {len(exc.problems)} problem(s) in the claim ledger or settings\n")
        return ExitStatus.ERROR
    except CrossfactError as exc:
        err.write(f"crossfact: error: {exc}\n")
        return ExitStatus.ERROR


def main() -> NoReturn:
    """Run the command line and exit with its status."""
    sys.exit(run())
