"""The command line: a thin layer that reads, checks, renders, writes and returns an exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import IntEnum
from pathlib import Path
from typing import NoReturn, TextIO

from checker import __version__
from checker.application import app
from checker.application.cache import AnalysisCache
from checker.application.reading import read_settings
from checker.application.settings import (
    DEFAULT_MAX_ARTICLE_BYTES,
    FAIL_ON,
    FileSettings,
    Settings,
    resolve,
)
from checker.base.errors import CorpusError, CrossfactError, LocatedError, UsageError
from checker.base.files import (
    append_text,
    display_path,
    printable,
    printable_name,
    remove_stale_temporaries,
    write_atomically,
)
from checker.findings.rules import RULES
from checker.formats import OutputFormat, render, stream
from checker.judgement.mention_rules import RULES as MENTION_RULES
from checker.judgement.mention_rules import RuleSet
from checker.judgement.mention_rules import resolve as resolve_rules
from checker.review.suggest import render_suggestions, suggest
from checker.review.views import explain, show
from checker.schema import report_schema_text, schema_text

COMMANDS = (
    "check",
    "validate",
    "baseline",
    "schema",
    "rules",
    "suggest",
    "explain",
    "show",
    "cache",
)
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
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="ignore crossfact.toml and [tool.crossfact]: flags and defaults only (CI policy)",
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
        "--disable-rules",
        type=_rule_names,
        default=(),
        metavar="CODES",
        help="switch mention rules off, by code or name, comma-separated (crossfact rules)",
    )
    parser.add_argument(
        "--max-article-mb",
        type=float,
        default=DEFAULT_MAX_ARTICLE_BYTES / 2**20,
        metavar="MB",
        help="refuse articles larger than this (default: 8)",
    )


def _rule_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    try:
        resolve_rules(names)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return names


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return jobs or os.cpu_count() or 1


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=[f.value for f in OutputFormat],
        help="what to print (default: text; github under GitHub Actions)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the --format output to FILE instead of stdout",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format (auto: on a terminal, unless NO_COLOR)",
    )


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
        "--detail",
        choices=("sentences", "findings"),
        help="list every sentence, or only findings (default: sentences up to 5,000 sentences)",
    )
    _add_output(checker)
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
    _add_output(validate)
    validate.add_argument("--strict", action="store_true", help="make lint warnings gate")
    schema = commands.add_parser("schema", help="print the JSON Schema of claim files")
    schema.add_argument(
        "--report", action="store_true", help="print the JSON report's schema instead"
    )
    commands.add_parser("rules", help="list the finding kinds and the mention rules")
    caching = commands.add_parser("cache", help="show or delete the per-article analysis cache")
    _add_common(caching)
    caching.add_argument("action", choices=("info", "clear"))
    reading = {
        "suggest": "propose claims for unsupported and stray sentences (claim YAML)",
        "explain": "explain one claim in the terminal",
        "show": "show one article, sentence by sentence",
        "baseline": "waive every current finding (reason: baseline)",
    }
    sub = {}
    for name, description in reading.items():
        sub[name] = commands.add_parser(name, help=description)
        _add_common(sub[name])
        _add_checking(sub[name])
    sub["suggest"].add_argument("article", nargs="?", help="only this article (id or path)")
    sub["explain"].add_argument("claim_id", metavar="CLAIM_ID")
    sub["show"].add_argument("article", metavar="ARTICLE", help="article id or path")
    sub["baseline"].add_argument(
        "--reviewer", default=BASELINE_REVIEWER, help="who the waivers name"
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    root: Path = args.root
    return resolve(
        root,
        FileSettings() if args.isolated else read_settings(root),
        corpus=getattr(args, "corpus", None),
        claims=getattr(args, "claims", None),
        report_dir=getattr(args, "report_dir", None),
        waivers=getattr(args, "waivers", None),
        boilerplate_file=getattr(args, "boilerplate", None),
        fail_on=getattr(args, "fail_on", None),
        disable_rules=getattr(args, "disable_rules", ()),
        allow_outside=args.allow_outside,
        max_bytes=int(getattr(args, "max_article_mb", 32) * 2**20),
        jobs=getattr(args, "jobs", 1),
        cache=not getattr(args, "no_cache", True),
        scheduler=getattr(args, "scheduler", None),
    )


def _color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


def _output_format(args: argparse.Namespace) -> OutputFormat:
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return OutputFormat(args.format or ("github" if in_actions else "text"))


def _write(path: Path, content: str | Iterable[str]) -> None:
    try:
        write_atomically(path, content)
    except OSError as exc:
        raise UsageError(f"cannot write {printable_name(str(path))}: {exc.strerror}") from None


def _emit(run: app.Run, args: argparse.Namespace, out: TextIO) -> None:
    """Write the report files, then the chosen format to stdout or to -o FILE."""
    for folder in dict.fromkeys(path.parent for path in run.files):
        remove_stale_temporaries(folder, [path.name for path in run.files if path.parent == folder])
    plain = replace(run.context, color=False)  # report files never carry terminal colour
    for path, output_format in run.files.items():
        _write(path, stream(output_format, plain))
    for path in run.stale:  # pages of an earlier run that this report no longer links
        path.unlink(missing_ok=True)
    pieces = stream(_output_format(args), run.context)
    if args.output is not None:
        _write(args.output, pieces)
    else:
        for piece in pieces:
            out.write(piece)


def _wants_color(args: argparse.Namespace, out: TextIO) -> bool:
    plain_text = _output_format(args) is OutputFormat.TEXT and args.output is None
    return plain_text and _color(args.color, out)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    result = app.check(
        _settings(args),
        today=dt.date.today(),
        changed_since=args.changed_since,
        write_reports=not args.no_reports,
        color=_wants_color(args, out),
        detail=args.detail,
    )
    for note in result.notes:
        err.write(f"crossfact: note: {printable(note)}\n")
    _emit(result, args, out)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if os.environ.get("GITHUB_ACTIONS") == "true" and summary:
        append_text(Path(summary), render(OutputFormat.MARKDOWN, result.context))
    failed = result.report.result.failed and not args.exit_zero
    return ExitStatus.FINDINGS if failed else ExitStatus.OK


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    result = app.validate(_settings(args), strict=args.strict)
    _emit(
        replace(result, context=replace(result.context, color=_wants_color(args, out))), args, out
    )
    return ExitStatus.FINDINGS if result.report.result.failed else ExitStatus.OK


def _check_run(args: argparse.Namespace) -> app.Run:
    # explain, show and suggest read sentences: they always get every one
    return app.check(
        _settings(args), today=dt.date.today(), write_reports=False, detail="sentences"
    )


def _suggest(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    result = _check_run(args)
    out.write(render_suggestions(suggest(result.report, result.ledger, args.article)))
    return ExitStatus.OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    result = _check_run(args)
    located = next((c for c in result.ledger.claims if c.claim.id == args.claim_id), None)
    out.write(explain(result.report, located, args.claim_id, dim=_color("auto", out)))
    return ExitStatus.OK


def _show(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    out.write(show(_check_run(args).report, args.article, dim=_color("auto", out)))
    return ExitStatus.OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    out.write(report_schema_text() if args.report else schema_text())
    return ExitStatus.OK


def _rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    out.write("finding kinds: code, kind, default severity, summary\n")
    width = max(len(rule.kind.value) for rule in RULES.values())
    for rule in RULES.values():
        kind = rule.kind.value.ljust(width)
        out.write(f"{rule.code}  {kind}  {rule.severity.value:<7}  {rule.summary}\n")
    out.write("\nmention rules: code, name, phase, outcome, claim fields read, summary\n")
    out.write("(switch one off with --disable-rules CODE or disable-rules in the settings)\n")
    width = max(len(rule.name) for rule in MENTION_RULES)
    for mention_rule in RuleSet().enabled:
        reads = ",".join(sorted(mention_rule.reads)) or "-"
        out.write(
            f"{mention_rule.code}  {mention_rule.name.ljust(width)}  "
            f"{mention_rule.phase.value:<7}  {mention_rule.outcome.value:<11}  {reads:<22}  "
            f"{mention_rule.summary}\n"
        )
    return ExitStatus.OK


def _cache(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    settings = _settings(args)
    cache = app.open_cache(settings)
    if cache is None:
        why = AnalysisCache.unavailable(settings.root) or "the project cannot hold one safely"
        out.write(f"no cache here: {printable(why)}\n")
        return ExitStatus.OK
    shown = display_path(cache.path, settings.root)
    if args.action == "clear":
        removed = cache.clear()
        out.write(f"{shown}: {'removed' if removed else 'nothing to remove'}\n")
        return ExitStatus.OK
    info = cache.info()
    if not info["exists"]:
        out.write(f"{shown}: no cache yet\n")
    elif not info["trusted"]:
        out.write(f"{shown}: {info['bytes']} bytes, not made on this machine: never used\n")
    else:
        out.write(f"{shown}: {info['bytes']} bytes\n")
        for entry in info["ledgers"]:  # type: ignore[attr-defined]
            mark = " (current ledger)" if entry["current"] else ""
            counts = f"{entry['analyses']} analyses, {entry['digests']} digests"
            out.write(f"  ledger {entry['ledger'][:12]}: {counts}{mark}\n")
    cache.close()
    return ExitStatus.OK


def _baseline(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    settings = _settings(args)
    path, text, total, added = app.make_baseline(
        settings, today=dt.date.today(), reviewer=args.reviewer
    )
    _write(path, text)
    shown = display_path(path, settings.root)
    out.write(f"{shown}: {total} waivers ({added} added by this baseline)\n")
    return ExitStatus.OK


def _emit_load_error(
    error: LocatedError | CorpusError, args: argparse.Namespace | None, out: TextIO
) -> None:
    """Send input problems to a machine format as findings too: CI reads those, not stderr."""
    if args is not None and getattr(args, "format", None) not in (None, "text"):
        _emit(app.load_error_run(error), args, out)


def run(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> ExitStatus:
    """Run the command line and return its exit status; print only to the given streams."""
    out = out or sys.stdout
    err = err or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*COMMANDS, "-h", "--help", "--version"):
        arguments.insert(0, "check")
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(arguments)
        commands = {
            "check": _check,
            "validate": _validate,
            "baseline": _baseline,
            "schema": _schema,
            "rules": _rules,
            "cache": _cache,
            "suggest": _suggest,
            "explain": _explain,
            "show": _show,
        }
        command = commands[args.command]
        return command(args, out, err)
    except _HelpShown:
        return ExitStatus.OK
    except LocatedError as exc:
        for problem in exc.problems:
            err.write(f"{printable(str(problem))}\n")
        err.write(f"crossfact: {len(exc.problems)} problem(s) in {exc.what}\n")
        _emit_load_error(exc, args, out)
        return ExitStatus.ERROR
    except CrossfactError as exc:
        err.write(f"crossfact: error: {printable(str(exc))}\n")
        if isinstance(exc, CorpusError):
            _emit_load_error(exc, args, out)
        return ExitStatus.ERROR


# Exit statuses of a run cut short, as shells report a process ended by the signal.
INTERRUPTED = 130  # 128 + SIGINT
PIPE_CLOSED = 141  # 128 + SIGPIPE


class _StdoutFailed(Exception):
    """Writing to standard output failed (not a broken pipe)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


class _Stdout:
    """Standard output that turns write failures into one kind of error; None when closed."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if self.stream is None:
            raise _StdoutFailed(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutFailed(exc) from None

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutFailed(exc) from None

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def _tolerant(stream: TextIO | None) -> None:
    """Let a stream that cannot encode a character write an escape instead of failing."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="backslashreplace")


def main() -> NoReturn:
    """Run the command line and exit with its status; a signal or a dead pipe gets one line."""
    _tolerant(sys.stdout)
    _tolerant(sys.stderr)
    err = sys.stderr if sys.stderr is not None else io.StringIO()
    out = _Stdout(sys.stdout)
    try:
        status: int = run(None, out, err)  # type: ignore[arg-type]
        out.flush()
    except KeyboardInterrupt:
        err.write("crossfact: interrupted\n")
        status = INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing, and keep Python's exit-time flush from
        # failing again on the same pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = PIPE_CLOSED
    except _StdoutFailed as exc:
        err.write(f"crossfact: error: cannot write to standard output: {exc}\n")
        status = ExitStatus.ERROR
    sys.exit(int(status))
