"""The command line: a thin layer that reads, checks, renders, writes and returns an exit status."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import NoReturn, TextIO

from checker import __version__
from checker.claims import Severity
from checker.engine import check
from checker.errors import ClaimFileError, CrossfactError, UsageError
from checker.render import RENDERERS, REPORT_FILES, OutputFormat, make_context
from checker.sources import (
    DEFAULT_MAX_ARTICLE_BYTES,
    display_path,
    inside,
    read_articles,
    read_boilerplate,
    read_ledger,
    remove_stale_temporaries,
    write_atomically,
)

COMMANDS = ("check", "validate")
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


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
    parser.add_argument(
        "--claims",
        type=Path,
        default=Path("claims"),
        metavar="DIR",
        help="claim ledger folder (default: claims)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="project root that every path must stay inside (default: .)",
    )
    parser.add_argument(
        "--allow-outside",
        action="store_true",
        help="allow folders and symlinked files outside the project root",
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = _Parser(prog="crossfact", description="Check news articles against a claim ledger.")
    parser.add_argument("--version", action="version", version=f"crossfact {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    checker = commands.add_parser("check", help="check the corpus against the claims (default)")
    _add_common(checker)
    checker.add_argument(
        "--corpus",
        type=Path,
        default=Path("seeds"),
        metavar="DIR",
        help="article folder (default: seeds)",
    )
    checker.add_argument(
        "--report-dir",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="where report.html, report.md and report.json go (default: reports)",
    )
    checker.add_argument("--no-reports", action="store_true", help="write no report files")
    checker.add_argument(
        "--format",
        "--output-format",
        dest="format",
        default="text",
        choices=[f.value for f in OutputFormat],
        help="what to print on stdout",
    )
    checker.add_argument(
        "--fail-on",
        default="error",
        choices=FAIL_ON_CHOICES,
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    checker.add_argument(
        "--boilerplate",
        type=Path,
        default=None,
        metavar="FILE",
        help="extra boilerplate globs, one per line (default: claims/boilerplate.txt if present)",
    )
    checker.add_argument(
        "--max-article-mb",
        type=float,
        default=DEFAULT_MAX_ARTICLE_BYTES / 2**20,
        metavar="MB",
        help="refuse articles larger than this (default: 32)",
    )
    validate = commands.add_parser("validate", help="validate the claim ledger only")
    _add_common(validate)
    return parser


def _check(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    root: Path = args.root
    ledger = read_ledger(args.claims, root, allow_outside=args.allow_outside)
    boilerplate = read_boilerplate(args.boilerplate or args.claims / "boilerplate.txt")
    report_dir: Path = args.report_dir
    if not args.no_reports:
        _require_report_dir(report_dir, root, allow_outside=args.allow_outside)
    started = time.perf_counter()
    articles = read_articles(
        args.corpus,
        root,
        boilerplate,
        allow_outside=args.allow_outside,
        max_bytes=int(args.max_article_mb * 2**20),
    )
    report = check(ledger, articles)
    fail_on = None if args.fail_on == "never" else Severity(args.fail_on)
    written = (
        []
        if args.no_reports
        else [display_path(report_dir / n, root) for n in REPORT_FILES.values()]
    )
    context = make_context(report, fail_on, written, time.perf_counter() - started)
    if not args.no_reports:
        rendered = {name: RENDERERS[fmt](context) for fmt, name in REPORT_FILES.items()}
        remove_stale_temporaries(report_dir, list(rendered))
        for name, content in rendered.items():
            write_atomically(report_dir / name, content)
    out.write(RENDERERS[OutputFormat(args.format)](context))
    return ExitStatus.FINDINGS if context.gating else ExitStatus.OK


def _require_report_dir(report_dir: Path, root: Path, *, allow_outside: bool) -> None:
    if report_dir.exists() and not report_dir.is_dir():
        raise UsageError(f"report folder {report_dir} exists and is not a folder")
    if not allow_outside and not inside(report_dir, root):
        raise UsageError(
            f"report folder {report_dir} lies outside the project {root}; "
            "pass --allow-outside to permit it"
        )


def _validate(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    ledger = read_ledger(args.claims, args.root, allow_outside=args.allow_outside)
    files = len({c.path for c in ledger.claims})
    out.write(f"{len(ledger.claims)} claims in {files} files: OK\n")
    return ExitStatus.OK


def run(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> ExitStatus:
    """Run the command line and return its exit status; print only to the given streams."""
    out = out or sys.stdout
    err = err or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (
        arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help", "--version")
    ):
        arguments.insert(0, "check")
    try:
        args = build_parser().parse_args(arguments)
        command = _check if args.command == "check" else _validate
        return command(args, out)
    except _HelpShown:
        return ExitStatus.OK
    except ClaimFileError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        err.write(f"crossfact: {len(exc.problems)} problem(s) in the claim ledger\n")
        return ExitStatus.ERROR
    except CrossfactError as exc:
        err.write(f"crossfact: error: {exc}\n")
        return ExitStatus.ERROR


def main() -> NoReturn:
    """Run the command line and exit with its status."""
    sys.exit(run())
