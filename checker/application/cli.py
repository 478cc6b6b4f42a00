"""The command line: a thin layer that reads, checks, renders, writes and returns an exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import errno
import io
import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from enum import IntEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO

from checker import __version__
from checker.application.defaults import DEFAULT_MAX_ARTICLE_BYTES, DEFAULT_MAX_FINDINGS, FAIL_ON
from checker.base.errors import CorpusError, CrossfactError, LocatedError, UsageError
from checker.base.files import (
    append_text,
    display_path,
    printable,
    printable_name,
    remove_stale_temporaries,
    write_atomically,
)
from checker.formats import OutputFormat

if TYPE_CHECKING:
    from checker.application import app
    from checker.application.settings import Settings

# Everything else is imported by the command that needs it: `--version`, `--help` and the
# light commands start without pydantic, jinja2, the engine or the formats (issue 23).

COMMANDS = (
    "check",
    "validate",
    "baseline",
    "init",
    "schema",
    "rules",
    "suggest",
    "explain",
    "show",
    "cache",
)
BASELINE_REVIEWER = "crossfact baseline"
# The progress line appears only once a run has taken this long, and redraws at most this often.
PROGRESS_DELAY = 2.0
PROGRESS_EVERY = 0.1


class ExitStatus(IntEnum):
    """What the process exit code means."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


class _HelpShown(Exception):
    """Raised instead of exiting after --help or --version."""


class ArgumentError(UsageError):
    """A command line argparse refuses; `hint` names the help to read."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting and prints only to its stream."""

    def __init__(self, *args: Any, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream

    def error(self, message: str) -> NoReturn:
        # The message alone: run() adds the one "crossfact: error:" prefix and the hint.
        raise ArgumentError(message, f"{self.prog} --help")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            raise ArgumentError(message.strip(), f"{self.prog} --help")
        raise _HelpShown

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        # --help and --version go to the stream run() was given, so they work in-process too.
        if message:
            (self.stream or sys.stdout).write(message)


# What --help shows as each setting's default when no settings file changes it.
BUILT_IN_DEFAULTS = {
    "corpus": "seeds",
    "claims": "claims",
    "report_dir": "reports",
    "waivers": "claims/waivers.yaml",
    "boilerplate": "claims/boilerplate.txt",
    "fail_on": "error",
    "disable_rules": "none",
    "max_findings": str(DEFAULT_MAX_FINDINGS),
    "root": ". or the nearest folder above with crossfact settings",
}


def _add_common(parser: argparse.ArgumentParser, shown: dict[str, str]) -> None:
    parser.add_argument(
        "--claims", type=Path, metavar="DIR", help=f"claim ledger (default: {shown['claims']})"
    )
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="project root: settings are read here and every path must stay inside "
        f"(default: {shown['root']})",
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


def _add_checking(parser: argparse.ArgumentParser, shown: dict[str, str]) -> None:
    parser.add_argument(
        "--corpus", type=Path, metavar="DIR", help=f"articles (default: {shown['corpus']})"
    )
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help=f"waiver file (default: {shown['waivers']})"
    )
    parser.add_argument(
        "--boilerplate",
        type=Path,
        metavar="FILE",
        help=f"extra boilerplate globs, one per line (default: {shown['boilerplate']})",
    )
    parser.add_argument(
        "--disable-rules",
        type=_rule_names,
        default=(),
        metavar="CODES",
        help="switch mention rules off, by code or name, comma-separated (crossfact rules; "
        f"already off: {shown['disable_rules']})",
    )
    parser.add_argument(
        "--max-article-mb",
        type=float,
        default=DEFAULT_MAX_ARTICLE_BYTES / 2**20,
        metavar="MB",
        help="refuse articles larger than this (default: 8)",
    )


def _rule_names(text: str) -> tuple[str, ...]:
    from checker.judgement.mention_rules import resolve as resolve_rules

    names = tuple(name.strip() for name in text.split(",") if name.strip())
    try:
        resolve_rules(names)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return names


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return count


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
        help="colour the text format (auto: on a terminal, unless NO_COLOR; always beats NO_COLOR)",
    )
    parser.add_argument(
        "--annotate-info",
        action="store_true",
        help="github and gitlab formats: annotate info-level findings too (default: warnings "
        "and errors)",
    )


def build_parser(
    stream: TextIO | None = None, defaults: dict[str, str] | None = None
) -> argparse.ArgumentParser:
    """Build the argument parser; its help shows `defaults` (the effective ones) when given."""
    shown = {**BUILT_IN_DEFAULTS, **(defaults or {})}
    parser = _Parser(
        prog="crossfact",
        description="Check news articles against a claim ledger.",
        epilog=f"commands: {', '.join(COMMANDS)}; 'crossfact COMMAND --help' for each",
        stream=stream,
    )
    parser.add_argument("--version", action="version", version=f"crossfact {__version__}")

    def make_parser(**kwargs: Any) -> _Parser:
        return _Parser(stream=stream, **kwargs)

    commands = parser.add_subparsers(dest="command", parser_class=make_parser)  # type: ignore[arg-type]
    checker = commands.add_parser("check", help="check the corpus against the claims (default)")
    _add_common(checker, shown)
    _add_checking(checker, shown)
    checker.add_argument(
        "--report-dir",
        type=Path,
        metavar="DIR",
        help=f"where report.html, report.md and report.json go (default: {shown['report_dir']})",
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
        help=f"lowest severity that makes the exit code 1 (default: {shown['fail_on']})",
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
        "--no-inline-waivers",
        action="store_true",
        help="ignore `<!-- crossfact: ignore ... -->` comments in articles (CI: only reviewed "
        "waivers count)",
    )
    checker.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse articles on this Dask scheduler (needs crossfact[dask])",
    )
    checker.add_argument(
        "--changed-since",
        metavar="REF",
        help="gate only on findings that are new since the git commit REF (github and gitlab "
        "then annotate only new findings at files changed since REF)",
    )
    checker.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line and no notes on stderr (progress shows only on a terminal, "
        "never when CI is set, and only for runs past 2 s)",
    )
    checker.add_argument(
        "--statistics",
        action="store_true",
        help="text format: counts per finding kind and per mention rule instead of the findings",
    )
    checker.add_argument(
        "--max-findings",
        type=_count,
        metavar="N",
        help="text format: list at most N findings, errors first (0: all; default: "
        f"{shown['max_findings']})",
    )
    validate = commands.add_parser(
        "validate", help="validate the ledger, run claim examples, lint it against the corpus"
    )
    _add_common(validate, shown)
    _add_checking(validate, shown)
    _add_output(validate)
    validate.add_argument("--strict", action="store_true", help="make lint warnings gate")
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="no progress line on stderr (see check)"
    )
    schema = commands.add_parser("schema", help="print the JSON Schema of claim files")
    schema.add_argument(
        "--report", action="store_true", help="print the JSON report's schema instead"
    )
    schema.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="write the schema to PATH (for the editor modeline) instead of stdout",
    )
    rules = commands.add_parser(
        "rules", help="list the finding kinds and the mention rules, or explain one"
    )
    rules.add_argument(
        "code", nargs="?", metavar="CODE", help="a finding kind or mention rule: CF001, conflict"
    )
    init = commands.add_parser(
        "init", help="start a project: crossfact.toml, a sample ledger, a pre-commit hook"
    )
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path(), help="the project folder (default: .)"
    )
    init.add_argument(
        "--corpus", default="articles", metavar="DIR", help="the articles folder to name"
    )
    caching = commands.add_parser("cache", help="show or delete the per-article analysis cache")
    _add_common(caching, shown)
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
        _add_common(sub[name], shown)
        _add_checking(sub[name], shown)
    sub["suggest"].add_argument("article", nargs="?", help="only this article (id or path)")
    sub["explain"].add_argument("claim_id", metavar="CLAIM_ID")
    sub["show"].add_argument("article", metavar="ARTICLE", help="article id or path")
    sub["baseline"].add_argument(
        "--reviewer", default=BASELINE_REVIEWER, help="who the waivers name"
    )
    return parser


def _root(args: argparse.Namespace) -> Path:
    """Return --root, else the nearest folder upward with settings (none with --isolated)."""
    from checker.application.defaults import find_root

    if args.root is not None:
        return Path(args.root)
    return Path() if args.isolated else find_root(Path())


def _settings(args: argparse.Namespace) -> Settings:
    from checker.application.reading import read_settings
    from checker.application.settings import FileSettings, resolve

    root = _root(args)
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
        max_findings=getattr(args, "max_findings", None),
        allow_outside=args.allow_outside,
        max_bytes=int(getattr(args, "max_article_mb", 32) * 2**20),
        jobs=getattr(args, "jobs", 1),
        cache=not getattr(args, "no_cache", True),
        scheduler=getattr(args, "scheduler", None),
        inline_waivers=not getattr(args, "no_inline_waivers", False),
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


class _StderrProgress:
    """One self-redrawing line on stderr: articles analysed of all, then the run's steps.

    Nothing is drawn for a run shorter than PROGRESS_DELAY, and the line is erased before
    anything goes to stdout, so the two never interleave on one terminal.
    """

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.drawn = 0.0
        self.width = 0
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self) -> None:
        self.done += 1
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        last = self.done == self.total  # always shown: the line never stops short of the end
        self._draw(f"analysed {self.done}/{self.total or '?'} articles{share}", force=last)

    def phase(self, text: str) -> None:
        self._draw(text, force=True)

    def _draw(self, text: str, force: bool = False) -> None:
        now = self.clock()
        if now - self.started < PROGRESS_DELAY or (not force and now - self.drawn < PROGRESS_EVERY):
            return
        self.drawn = now
        line = f"crossfact: {text}, {now - self.started:.0f} s"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def erase(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _progress(args: argparse.Namespace, err: TextIO) -> _StderrProgress | None:
    """Return a progress line for a person at a terminal; None in CI, with --quiet or piped."""
    if getattr(args, "quiet", False) or os.environ.get("CI") or not err.isatty():
        return None
    return _StderrProgress(err)


def _emit(
    run: app.Run,
    args: argparse.Namespace,
    out: TextIO,
    progress: _StderrProgress | None = None,
    max_shown: int = 0,
) -> None:
    """Write the report files, then the chosen format to stdout or to -o FILE."""
    from checker.formats import stream

    for folder in dict.fromkeys(path.parent for path in run.files):
        remove_stale_temporaries(folder, [path.name for path in run.files if path.parent == folder])
    plain = replace(run.context, color=False)  # report files never carry terminal colour
    for path, output_format in run.files.items():
        if progress is not None:
            progress.phase(f"writing {path.name}")
        _write(path, stream(output_format, plain))
    for path in run.stale:  # pages of an earlier run that this report no longer links
        path.unlink(missing_ok=True)
    if progress is not None:
        progress.erase()
    context = replace(
        run.context,
        annotate_info=getattr(args, "annotate_info", False),
        statistics=getattr(args, "statistics", False),
        max_shown=max_shown or None,
    )
    pieces = stream(_output_format(args), context)
    if args.output is not None:
        _write(args.output, pieces)
    else:
        for piece in pieces:
            out.write(piece)


def _wants_color(args: argparse.Namespace, out: TextIO) -> bool:
    plain_text = _output_format(args) is OutputFormat.TEXT and args.output is None
    return plain_text and _color(args.color, out)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.application import app
    from checker.formats import render

    progress = _progress(args, err)
    settings = _settings(args)
    try:
        result = app.check(
            settings,
            today=dt.date.today(),
            changed_since=args.changed_since,
            write_reports=not args.no_reports,
            color=_wants_color(args, out),
            detail=args.detail,
            progress=progress,
        )
        if not args.quiet:
            for note in result.notes:
                err.write(f"crossfact: note: {printable(note)}\n")
        _emit(result, args, out, progress, settings.max_findings)
    finally:
        if progress is not None:
            progress.erase()  # an error message starts on a clean line
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if os.environ.get("GITHUB_ACTIONS") == "true" and summary:
        append_text(Path(summary), render(OutputFormat.MARKDOWN, result.context))
    failed = result.report.result.failed and not args.exit_zero
    return ExitStatus.FINDINGS if failed else ExitStatus.OK


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.application import app

    progress = _progress(args, err)
    try:
        result = app.validate(_settings(args), strict=args.strict, progress=progress)
        colored = replace(result, context=replace(result.context, color=_wants_color(args, out)))
        _emit(colored, args, out, progress)
    finally:
        if progress is not None:
            progress.erase()
    return ExitStatus.FINDINGS if result.report.result.failed else ExitStatus.OK


def _check_run(args: argparse.Namespace) -> app.Run:
    from checker.application import app

    # explain, show and suggest read sentences: they always get every one
    return app.check(
        _settings(args), today=dt.date.today(), write_reports=False, detail="sentences"
    )


def _suggest(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.review.suggest import render_suggestions, suggest

    result = _check_run(args)
    out.write(render_suggestions(suggest(result.report, result.ledger, args.article)))
    return ExitStatus.OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.review.views import explain

    result = _check_run(args)
    located = next((c for c in result.ledger.claims if c.claim.id == args.claim_id), None)
    out.write(explain(result.report, located, args.claim_id, dim=_color("auto", out)))
    return ExitStatus.OK


def _show(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.review.views import show

    out.write(show(_check_run(args).report, args.article, dim=_color("auto", out)))
    return ExitStatus.OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.schema import report_schema_text, schema_text

    text = report_schema_text() if args.report else schema_text()
    if args.output is None:
        out.write(text)
        return ExitStatus.OK
    _write(args.output, text)
    # The modeline's path is relative to the claim file; from claims/ a sibling file is its name.
    out.write(f"wrote {printable_name(args.output.as_posix())}\n")
    if not args.report:
        out.write(
            "put this line at the top of each claim file (the path relative to that file):\n"
            f"# yaml-language-server: $schema={_schema_path(args.output)}\n"
        )
    return ExitStatus.OK


def _schema_path(output: Path) -> str:
    """Return the schema's path as a claim file in the project's claims folder names it."""
    from checker.application.reading import find_root, read_settings
    from checker.application.settings import resolve

    try:
        root = find_root(Path())
        claims = resolve(root, read_settings(root)).claims
    except CrossfactError:
        claims = Path("claims")
    return printable_name(Path(os.path.relpath(output, claims)).as_posix())


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.application.starter import PRE_COMMIT_FILE, init_project

    start = init_project(args.folder, args.corpus)
    for name in start.written:
        out.write(f"wrote {printable_name(name)}\n")
    if start.snippet is not None:
        out.write(f"{PRE_COMMIT_FILE} exists: add this hook to it yourself:\n{start.snippet}")
    where = "" if args.folder == Path() else f"cd {printable_name(args.folder.as_posix())} && "
    out.write(f"next: {where}crossfact   (then replace the sample claims with your own)\n")
    return ExitStatus.OK


def _paragraph(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, 80, initial_indent=indent, subsequent_indent=indent) + "\n"


def _rule_detail(code: str, out: TextIO) -> ExitStatus:
    """Print one finding kind or mention rule: what it means, an example and the fix."""
    from checker.findings.rules import RULES, rule_for
    from checker.judgement.mention_rules import RULES as MENTION_RULES
    from checker.judgement.mention_rules import resolve as resolve_rules

    kind = rule_for(code)
    if kind is not None:
        level = "or the claim's own severity" if kind.claim_severity else "by default"
        out.write(
            f"{kind.code} {kind.kind.value}: {kind.summary} ({kind.severity.value} {level})\n"
        )
        out.write(f"\n{_paragraph(kind.description)}\nexample:\n")
        # The example is a terminal line: kept whole, as a user would grep for it.
        out.write(f"  {kind.example}\n\nfix:\n{_paragraph(kind.help)}")
        return ExitStatus.OK
    try:
        [wanted] = resolve_rules([code])
    except ValueError:
        names = [r.code for r in RULES.values()] + [r.kind.value for r in RULES.values()]
        names += [r.code for r in MENTION_RULES] + [r.name for r in MENTION_RULES]
        close = difflib.get_close_matches(code, names, n=1)
        guess = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(
            f"no finding kind or mention rule {code!r}{guess} (crossfact rules lists them)"
        ) from None
    rule = next(r for r in MENTION_RULES if r.code == wanted)
    reads = ", ".join(sorted(rule.reads)) or "none beyond the aliases"
    out.write(
        f"{rule.label}: mention rule, phase {rule.phase.value}, outcome {rule.outcome.value}\n"
    )
    out.write(f"\n{_paragraph(rule.summary[0].upper() + rule.summary[1:] + '.')}")
    out.write(f"\nclaim fields it reads: {reads}\n\nfix:\n")
    out.write(
        _paragraph(
            "If it discounts a mention that should count, rephrase the sentence or adjust the "
            f"claim's aliases or cues; or switch the rule off: --disable-rules {rule.code}, or "
            f'disable-rules = ["{rule.name}"] in crossfact.toml.'
        )
    )
    return ExitStatus.OK


def _rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.findings.rules import RULES
    from checker.judgement.mention_rules import RULES as MENTION_RULES
    from checker.judgement.mention_rules import RuleSet

    if args.code is not None:
        return _rule_detail(args.code, out)
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
    out.write("\ncrossfact rules CODE explains one: what it means, an example and the fix\n")
    return ExitStatus.OK


def _cache(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.application import app
    from checker.application.cache import AnalysisCache

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
            counts = (
                f"{entry['analyses']} analyses, {entry['digests']} digests, "
                f"{entry['outlines']} outlines, {entry['judgements']} memoised judgements"
            )
            out.write(f"  ledger {entry['ledger'][:12]}: {counts}{mark}\n")
        if info.get("snapshots"):
            out.write(f"  {info['snapshots']} ledger snapshot(s)\n")
    cache.close()
    return ExitStatus.OK


def _baseline(args: argparse.Namespace, out: TextIO, err: TextIO) -> ExitStatus:
    from checker.application import app

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
    from checker.application import app

    if args is not None and getattr(args, "format", None) not in (None, "text"):
        _emit(app.load_error_run(error), args, out)


def _effective_defaults(arguments: Sequence[str]) -> dict[str, str]:
    """Return the defaults --help shows: the settings file's where it sets them."""
    from checker.application.defaults import find_root, settings_file

    probe = argparse.ArgumentParser(add_help=False)
    probe.add_argument("--root", type=Path)
    probe.add_argument("--isolated", action="store_true")
    known, _ = probe.parse_known_args(arguments)
    if known.isolated:
        return {}
    root = known.root if known.root is not None else find_root(Path())
    found = settings_file(root)
    if found is None and root == Path():
        return {}  # no settings file: the built-in defaults, without loading the settings model
    from checker.application.reading import read_settings
    from checker.application.settings import resolve

    try:
        file = read_settings(root)
        settings = resolve(root, file)
    except CrossfactError:
        return {}  # the run itself reports a broken settings file, located
    source = f" from {found[0].as_posix()}" if found else ""
    shown = {
        "corpus": settings.corpus.as_posix() + (source if file.corpus else ""),
        "claims": settings.claims.as_posix() + (source if file.claims else ""),
        "report_dir": settings.report_dir.as_posix() + (source if file.report_dir else ""),
        "waivers": settings.waivers.as_posix() + (source if file.waivers else ""),
        "boilerplate": settings.boilerplate_file.as_posix(),
        "fail_on": (file.fail_on or "error") + (source if file.fail_on else ""),
        "disable_rules": ",".join(sorted(settings.disabled_rules)) + source
        if settings.disabled_rules
        else "none",
        "max_findings": str(settings.max_findings)
        + (source if file.max_findings is not None else ""),
    }
    if known.root is None and root != Path():
        shown["root"] = f"{root.as_posix()}, found{source}"
    return shown


def _command_first(arguments: list[str]) -> list[str]:
    """Put the command first: `check` when none is named; refuse a mistyped one."""
    first = arguments[0] if arguments else None
    if first in (*COMMANDS, "-h", "--help", "--version"):
        return arguments
    if first is not None and not first.startswith("-"):
        # No command takes a bare word before its options, so this is a mistyped command.
        close = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.6)
        guess = f"; did you mean {close[0]!r}?" if close else f"; commands: {', '.join(COMMANDS)}"
        raise ArgumentError(f"unknown command {first!r}{guess}", "crossfact --help")
    return ["check", *arguments]


def run(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> ExitStatus:
    """Run the command line and return its exit status; print only to the given streams."""
    out = out or sys.stdout
    err = err or sys.stderr
    args: argparse.Namespace | None = None
    arguments: list[str] = []
    try:
        arguments = _command_first(list(sys.argv[1:] if argv is None else argv))
        wants_help = any(a in ("-h", "--help") for a in arguments)
        defaults = _effective_defaults(arguments[1:]) if wants_help else None
        args = build_parser(out, defaults).parse_args(arguments)
        commands = {
            "check": _check,
            "validate": _validate,
            "baseline": _baseline,
            "init": _init,
            "schema": _schema,
            "rules": _rules,
            "cache": _cache,
            "suggest": _suggest,
            "explain": _explain,
            "show": _show,
        }
        if args.command is None:
            raise ArgumentError("no command given", "crossfact --help")
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
        if isinstance(exc, ArgumentError):
            # Options a command does not know are refused by the top parser: point at the command.
            hint = exc.hint
            if hint == "crossfact --help" and arguments[:1] and arguments[0] in COMMANDS:
                hint = f"crossfact {arguments[0]} --help"
            err.write(f"crossfact: see '{hint}' for usage\n")
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
