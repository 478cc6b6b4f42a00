#!/usr/bin/env python3
"""Make a dated copy of a real-copy set: each article opens with its publication date.

Usage:
    python3 bench/accuracy/dated.py SET_DIR OUT_DIR

The pages in a set were stored as their text, mostly without the timestamp line a web page
shows above the story. A newsroom's own corpus has that date (front matter, a "Published:"
line). This copies SET_DIR to OUT_DIR and puts `Published: YYYY-MM-DD` as the first line of
every article whose date `sources.csv` gives (a planted copy takes its source's date, from
`planted.csv`), so that the time-aware judgement (`as_of`, `changes`, updated figures) can be
measured. The labels are per article, so they hold unchanged. Standard library only.
"""

import csv
import shutil
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns("report*", "reports"))
    with (source / "sources.csv").open(newline="", encoding="utf-8") as handle:
        dates = {row["file"]: (row.get("date") or "").strip() for row in csv.DictReader(handle)}
    planted = source / "planted.csv"
    if planted.exists():
        with planted.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                dates[row["article"]] = dates.get(row["copied_from"], "")
    dated = 0
    for name, day in sorted(dates.items()):
        path = out / name
        if day and path.exists():
            path.write_text(f"Published: {day}\n" + path.read_text(encoding="utf-8"), "utf-8")
            dated += 1
    print(f"dated {dated} of {len(dates)} articles into {out}")


if __name__ == "__main__":
    main()
