"""Check that the pull-request comment tells the truth on an archive-sized corpus.

Usage: python bench/pr_comment.py WORK_DIR [--mb 10] [--claims 10000] [--jobs 2]

Generates a corpus with make_corpus.py (skipped when WORK_DIR already holds one), checks it,
renders report.md and verifies it: under the size limit, every total in the table the run's
true total, errors listed first, and the "Not listed here" line exact by severity. Prints the
figures; exits 1 when a check fails. Never commit the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402 - bench/ is not a package

from checker.application import app  # noqa: E402
from checker.application.settings import FileSettings, resolve  # noqa: E402
from checker.formats import OutputFormat, render  # noqa: E402
from checker.formats.markdown import MARKDOWN_LIMIT  # noqa: E402

GITHUB_LIMIT = 65_536
WORDS = {"error": "errors", "warning": "warnings", "info": "info findings"}


def verify(text: str, summary: object) -> list[str]:
    """Return what the comment gets wrong about the run (nothing, when it tells the truth)."""
    problems = []
    if len(text) > MARKDOWN_LIMIT:
        problems.append(f"{len(text)} characters, over {MARKDOWN_LIMIT}")
    for kind, count in summary.by_kind.items():  # type: ignore[attr-defined]
        row = re.search(rf"^\| {re.escape(kind.value)} \| (\d+) \|$", text, re.M)
        if count and (row is None or int(row.group(1)) != count):
            problems.append(f"{kind.value}: the table says {row and row.group(1)}, the run {count}")
    listed = re.findall(r"^- `[^`]*` \*\*(error|warning|info)\*\*", text, re.M)
    rank = {"error": 0, "warning": 1, "info": 2}
    if listed != sorted(listed, key=rank.__getitem__):
        problems.append("a lower severity is listed before an error")
    shown = Counter(listed)
    totals = {
        "error": summary.errors,  # type: ignore[attr-defined]
        "warning": summary.warnings,  # type: ignore[attr-defined]
        "info": summary.infos,  # type: ignore[attr-defined]
    }
    missing = [
        (level, totals[level] - shown[level]) for level in rank if totals[level] > shown[level]
    ]
    if missing:
        said = ", ".join(f"{n} {WORDS[level] if n != 1 else level}" for level, n in missing)
        if f"**Not listed here:** {said}, " not in text:
            problems.append(f"the left-out line does not say {said!r}")
    elif "Not listed here" in text:
        problems.append("says findings are left out when none are")
    return problems


def main() -> int:
    """Generate (once), check, render and verify; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not (args.work / "corpus").is_dir():
        make_corpus.write(args.work, args.mb, args.claims, args.claims * 5, 1)
    settings = resolve(
        args.work,
        FileSettings(),
        corpus=args.work / "corpus",
        claims=args.work / "claims",
        cache=False,
        jobs=args.jobs,
    )
    started = time.perf_counter()
    run = app.check(settings, today=dt.date(2026, 1, 1), write_reports=False)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    text = render(OutputFormat.MARKDOWN, run.context)
    rendered = time.perf_counter() - started
    summary = run.report.summary
    listed = len(re.findall(r"^- `", text, re.M))
    print(f"corpus: {summary.articles} articles, {summary.claims} claims; check {checked:.1f} s")
    print(
        f"findings: {summary.errors} errors, {summary.warnings} warnings, {summary.infos} info; "
        f"conflicts {summary.count('conflict')}"
    )
    print(f"report.md: {len(text)} characters (limit {MARKDOWN_LIMIT}, GitHub {GITHUB_LIMIT})")
    print(f"report.md: {listed} findings listed; rendered in {rendered:.2f} s")
    left = re.search(r"^\*\*Not listed here:\*\* (.*?), to keep", text, re.M)
    print(f"report.md left out: {left.group(1) if left else 'nothing'}")
    problems = verify(text, summary)
    for problem in problems:
        print(f"WRONG: {problem}")
    print("report.md tells the truth" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
