"""Regenerate checker/data/word_frequency.txt from the `wordfreq` package (a dev-time tool).

    pip install wordfreq==3.1.1 && python bench/word_frequency.py

crossfact never imports wordfreq: it reads the compact list this writes. The list keeps the
English words of wordfreq's "large" list with a Zipf frequency of at least MIN_ZIPF (once per
million words), one line per tenth of a Zipf point; a word that is not listed is rarer.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import wordfreq  # type: ignore[import-not-found]

MIN_ZIPF = 3.0
OUT = Path(__file__).resolve().parent.parent / "checker" / "data" / "word_frequency.txt"
WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
HEADER = f"""\
# English word frequencies, derived from wordfreq {version("wordfreq")} (Robyn Speer and
# contributors, https://github.com/rspeer/wordfreq), "large" English list: each line is a Zipf
# frequency (log10 of occurrences per billion words) and the words that have it, rounded to a
# tenth; only words at Zipf {MIN_ZIPF} or more are listed. wordfreq's data is licensed under
# the Creative Commons Attribution-ShareAlike 4.0 licence
# (https://creativecommons.org/licenses/by-sa/4.0/), and so is this file, an adaptation of it
# (crossfact's code is MIT). Regenerate with bench/word_frequency.py.
"""


def main() -> None:
    """Write the list."""
    buckets: dict[float, list[str]] = defaultdict(list)
    for word, frequency in wordfreq.get_frequency_dict("en", "large").items():
        zipf = round(math.log10(frequency * 1e9), 1)
        if zipf >= MIN_ZIPF and WORD.fullmatch(word):
            buckets[zipf].append(word)
    lines = [HEADER.rstrip("\n")]
    for zipf in sorted(buckets, reverse=True):
        lines.append(f"{zipf:.1f} " + " ".join(sorted(buckets[zipf])))
    OUT.write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
