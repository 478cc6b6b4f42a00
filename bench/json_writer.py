"""Time the JSON report writer: orjson's batches against pydantic's, in turn, in one process.

Usage: python bench/json_writer.py REPORT.json [--rounds 7]

REPORT.json is any report crossfact wrote (e.g. `reports/report.json` of a `bench/run.py` work
folder). It is read back into the Report model, then written with orjson and with pydantic alone
(the fallback), round after round, A B A B; the ratio is taken round by round, its median
printed. Both writers must give the file's own bytes: the script says so or fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.findings.results import Report
from checker.formats import json as json_format
from checker.formats import make_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data = args.report.read_bytes()
    context = make_context(Report.model_validate_json(data))
    orjson = json_format._orjson
    if orjson is None:
        raise SystemExit("orjson is not installed: pip install -e .")
    times: dict[str, list[float]] = {"orjson": [], "pydantic": []}
    for _ in range(args.rounds):
        for name, module in (("orjson", orjson), ("pydantic", None)):
            json_format._orjson = module
            started = time.perf_counter()
            written = sum(len(piece.encode()) for piece in json_format.chunks(context))
            times[name].append(time.perf_counter() - started)
            if written != len(data):
                raise SystemExit(f"{name} wrote {written} bytes, not the file's {len(data)}")
    json_format._orjson = orjson
    for name in ("orjson", "pydantic"):
        if "".join(json_format.chunks(context)).encode() != data:
            raise SystemExit(f"{name}: not the file's bytes")
        json_format._orjson = None
    json_format._orjson = orjson
    ratios = [p / o for o, p in zip(times["orjson"], times["pydantic"], strict=True)]
    print(f"report: {len(data) / 1e6:.1f} MB, {args.rounds} rounds, same bytes from both writers")
    for name, seconds in times.items():
        print(f"{name:9} median {statistics.median(seconds):.2f} s (min {min(seconds):.2f})")
    print(f"pydantic / orjson, median of the rounds' ratios: {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
