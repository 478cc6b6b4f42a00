"""Compare HTML main-text extractors on a folder of real pages with ground truth.

Usage: python bench/extractors.py FOLDER [--limit N]

FOLDER holds `html/*.html.gz` and `ground-truth.json` in the layout of the public article
extraction benchmark (fetched by hand; nothing is committed). Prints, per extractor, the mean
F1, precision and recall of word 4-gram shingles against the ground truth, and milliseconds
per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

_WORD = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 1)))


def _scores(true: str, pred: str) -> tuple[float, float, float]:
    expected, found = _shingles(true), _shingles(pred)
    common = sum((expected & found).values())
    precision = common / max(sum(found.values()), 1)
    recall = common / max(sum(expected.values()), 1)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return f1, precision, recall


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False) or ""


def _justext(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _readability(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "trafilatura": _trafilatura,
    "justext": _justext,
    "readability-lxml": _readability,
}


def main() -> None:
    """Print each extractor's scores and speed on the folder's pages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    truth = json.loads((args.folder / "ground-truth.json").read_text("utf-8"))
    keys = sorted(truth)[: args.limit or None]
    pages = {
        key: gzip.decompress((args.folder / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        for key in keys
    }
    print(f"{len(pages)} pages")
    for name, extract in EXTRACTORS.items():
        extract(next(iter(pages.values())))  # imports and first-call set-up stay out of the time
        totals = [0.0, 0.0, 0.0]
        started = time.perf_counter()
        for key, html in pages.items():
            try:
                text = extract(html)
            except Exception:  # an extractor that fails on a page scores 0 there
                text = ""
            for at, value in enumerate(_scores(truth[key].get("articleBody", ""), text)):
                totals[at] += value
        elapsed = (time.perf_counter() - started) * 1000 / len(pages)
        f1, precision, recall = (value / len(pages) for value in totals)
        print(
            f"{name:18} F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}  "
            f"{elapsed:.1f} ms/page"
        )


if __name__ == "__main__":
    main()
