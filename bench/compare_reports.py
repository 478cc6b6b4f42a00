"""Compare two crossfact JSON reports on what they judge, leaving the mention trace aside.

Usage: python bench/compare_reports.py NEW.json OLD.json

Prints whether the findings (kind, claim, article, place, message), the answering cells
(verdict, asserted, denied and the counted or other-occasion evidence) and the sentence
statuses are identical. Mentions a rule discarded (roles source and dropped) are the trace and
are left out, so a report of the code before the trace can be compared with one after it.
Exit status 1 when something differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TRACE_ROLES = ("source", "dropped")


def findings(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (f["kind"], f.get("claim"), f.get("article"), f.get("line"), f.get("column"), f["message"])
        for f in report["findings"]
    ]


def cells(report: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    found = {}
    for claim in report["claims"]:
        for cell in claim["cells"]:
            evidence = tuple(
                (e["value"], e["line"], e["column"], e.get("role"))
                for e in cell["evidence"]
                if e.get("role") not in TRACE_ROLES
            )
            if evidence:
                key = (claim["id"], cell["article"])
                found[key] = (
                    cell["verdict"],
                    tuple(cell["asserted"]),
                    tuple(cell["denied"]),
                    evidence,
                )
    return found


def sentences(report: dict[str, Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    return [
        (a["id"], [(s["line"], s["status"]) for s in a.get("sentences", [])])
        for a in report["articles"]
    ]


def main() -> int:
    new, old = (json.loads(Path(name).read_text(encoding="utf-8")) for name in sys.argv[1:3])
    same = True
    for name, part in (("findings", findings), ("cells", cells), ("sentences", sentences)):
        a, b = part(new), part(old)
        verdict = "identical" if a == b else "DIFFER"
        same &= a == b
        print(f"{name}: {len(a)} vs {len(b)}, {verdict}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
