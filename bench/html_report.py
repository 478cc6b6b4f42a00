"""Measure HTML reports as an editor meets them: bytes on disk and the time Chromium takes to open.

Usage: python bench/html_report.py REPORT_DIR [REPORT_DIR ...] [--runs 3] [--chromium PATH]

Each REPORT_DIR is a folder a check wrote (`crossfact check --report-dir DIR`): its report.html
and, for an archive, the pages in report-files/ beside it. For each one this prints the main
page's size, the pages' count and total size, the largest page, and the median of --runs loads
in headless Chromium (Debian's package; playwright drives it, nothing is downloaded) of the main
page and of its largest page: the `load` event, and when the findings table has rows on screen.
The first folder is the baseline of the ratios. Not a test: figures on a shared machine vary,
compare the ratios (docs/performance.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# The table has rows (or says why not) once the page's script has run; old reports have no script
# for it, and their table is in the HTML: the load event is the time they are ready.
READY = """() => {
  const status = document.getElementById("findings-status");
  return !status || status.textContent !== "The table needs JavaScript.";
}"""


@dataclass
class Measure:
    label: str
    main_bytes: int
    pages: int
    pages_bytes: int
    largest: Path
    main_load: float
    main_ready: float
    largest_load: float


def _open(browser, path: Path, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    loads, readies = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=300_000)
        loads.append(time.perf_counter() - started)
        page.wait_for_function(READY, timeout=300_000)
        readies.append(time.perf_counter() - started)
        page.close()
    return statistics.median(loads), statistics.median(readies)


def measure(folder: Path, browser, runs: int) -> Measure:  # type: ignore[no-untyped-def]
    main = folder / "report.html"
    pages = sorted((folder / "report-files").glob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size, default=main)
    main_load, main_ready = _open(browser, main, runs)
    largest_load = _open(browser, largest, runs)[1] if largest != main else main_ready
    return Measure(
        folder.name,
        main.stat().st_size,
        len(pages),
        sum(p.stat().st_size for p in pages),
        largest,
        main_load,
        main_ready,
        largest_load,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
        found = [measure(folder, browser, args.runs) for folder in args.folders]
        browser.close()
    base = found[0]
    print(
        f"{'report':<12} {'main MB':>8} {'pages':>6} {'pages MB':>9} {'largest MB':>11} "
        f"{'load s':>7} {'ready s':>8} {'largest s':>10} {'size ratio':>11} {'ready ratio':>12}"
    )
    for m in found:
        print(
            f"{m.label:<12} {m.main_bytes / 1e6:>8.2f} {m.pages:>6} {m.pages_bytes / 1e6:>9.2f} "
            f"{m.largest.stat().st_size / 1e6:>11.2f} {m.main_load:>7.2f} {m.main_ready:>8.2f} "
            f"{m.largest_load:>10.2f} {m.main_bytes / base.main_bytes:>10.3f}x "
            f"{m.main_ready / base.main_ready:>11.3f}x"
        )


if __name__ == "__main__":
    main()
