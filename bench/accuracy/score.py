#!/usr/bin/env python3
"""Score crossfact against a hand-labelled set of real articles.

Usage:
    python3 bench/accuracy/score.py SET_DIR [--claims DIR] [--explain] [-- EXTRA CROSSFACT ARGS...]

SET_DIR holds corpus/, claims/, labels.csv (claim,article_path,answer[,status]) and
planted.csv (article,claim,planted_value,...).  The script runs

    crossfact check --corpus corpus --claims DIR --no-cache --format json \
        -o SET_DIR/report.json [EXTRA...]

in SET_DIR, with DIR from --claims (default: claims; e.g. --claims claims-typed
for a set that keeps a second ledger), reads the JSON report and prints one
line of figures:

  answers_right   labelled value pairs where the tool asserts exactly that value
  answers_missed  label names a value, tool asserts nothing
  answers_wrong   tool asserts a different/extra value, or asserts where the
                  label says silent / other
  findings        conflict/contradiction/mixed findings at warning or error
  true_findings / false_findings   those findings judged against the labels
  planted_found   planted errors caught / planted errors
  (extras) silent_right: label silent/other and tool silent; pairs: labelled pairs

When labels.csv has a status column (final, right-on-date, provisional, wrong,
or blank for silent), findings are judged by status, and the line also gives

  on_date_errors  conflict/contradiction/mixed findings at severity error whose
                  blamed articles (a conflict's: every article in its values) are
                  all labelled right-on-date or provisional and none is planted:
                  false alarms for figures that were right on their date (they
                  count as false findings)

A contradiction or mixed finding is then true when its article is planted for
the claim, labelled wrong, or labelled final with a value other than the
claim's expected one; a conflict is true when two of its articles have
different labels and one of them is wrong or planted, or two final-status
articles give different values.

Set CROSSFACT=/path/to/crossfact to use another binary.  --explain prints one
line per disagreement (claim, article, label, tool); use it on the tune set only,
since it reveals what the held-out articles say.
Exit code: 0 on success, 2 if crossfact could not produce a report (its stderr
is printed).  Standard library only.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

FINDING_KINDS = {"conflict", "contradiction", "mixed"}
SEVERITIES = {"warning", "error"}
NON_VALUES = {"silent", "other"}


def usage(msg=None):
    if msg:
        print(msg, file=sys.stderr)
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if "--" in argv:
        i = argv.index("--")
        own, extra = argv[:i], argv[i + 1 :]
    else:
        own, extra = argv, []
    explain = False
    claims_dir = "claims"
    rest = []
    i = 0
    while i < len(own):
        a = own[i]
        if a == "--explain":
            explain = True
        elif a == "--claims":
            if i + 1 >= len(own) or not own[i + 1] or own[i + 1].startswith("--"):
                usage("score.py: --claims needs a folder")
            claims_dir = own[i + 1]
            i += 1
        elif a.startswith("--claims="):
            claims_dir = a.split("=", 1)[1]
            if not claims_dir:
                usage("score.py: --claims needs a folder")
        elif a.startswith("--"):
            usage(f"score.py: unknown option {a}")
        else:
            rest.append(a)
        i += 1
    if len(rest) != 1:
        usage("score.py: give exactly one set folder")
    return Path(rest[0]).resolve(), extra, explain, claims_dir


def run_crossfact(set_dir, extra, claims_dir="claims", report=None, prog="score.py"):
    """Run crossfact in SET_DIR on corpus/ and return its JSON report.

    report: where the JSON goes (default SET_DIR/report.json); prog names the caller in
    messages.  Exits 2 when crossfact gives no readable report.
    """
    exe = os.environ.get("CROSSFACT", "crossfact")
    report = Path(report) if report is not None else Path(set_dir) / "report.json"
    report.unlink(missing_ok=True)  # never score a stale report
    cmd = [
        exe,
        "check",
        "--corpus",
        "corpus",
        "--claims",
        str(claims_dir),
        "--no-cache",
        "--format",
        "json",
        "-o",
        str(report),
        *extra,
    ]
    try:
        proc = subprocess.run(cmd, cwd=set_dir, capture_output=True, text=True)
    except OSError as exc:
        print(f"{prog}: cannot run {exe}: {exc}", file=sys.stderr)
        sys.exit(2)
    if proc.returncode == 2:
        sys.stderr.write(proc.stderr)
        print(f"{prog}: crossfact exited 2 (load or usage error)", file=sys.stderr)
        sys.exit(2)
    data = None
    if proc.returncode in (0, 1) and report.exists():
        try:
            with report.open(encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            data = None
    if data is None:
        sys.stderr.write(proc.stderr)
        print(
            f"{prog}: crossfact exited {proc.returncode} without a readable JSON report",
            file=sys.stderr,
        )
        sys.exit(2)
    return data


def split_answer(ans):
    """A label answer: 'silent', 'other', or value name(s) (';' separates any-of sets)."""
    ans = ans.strip()
    if ans in NON_VALUES:
        return ans, frozenset()
    return "value", frozenset(a.strip() for a in ans.split(";") if a.strip())


def load_labels(set_dir):
    """Labels, planted errors, and statuses (None when labels.csv has no status column)."""
    labels = {}
    statuses = None
    with (Path(set_dir) / "labels.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if "status" in (reader.fieldnames or []):
            statuses = {}
        for row in reader:
            key = (row["claim"].strip(), row["article_path"].strip())
            labels[key] = row["answer"].strip()
            if statuses is not None:
                statuses[key] = (row.get("status") or "").strip()
    planted = []
    p = Path(set_dir) / "planted.csv"
    if p.exists():
        with p.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                planted.append(
                    (row["article"].strip(), row["claim"].strip(), row["planted_value"].strip())
                )
    return labels, planted, statuses


ON_DATE = {"right-on-date", "provisional"}


def judge_by_status(f, claim, blamed, labels, statuses, planted_keys, exp):
    """Judge a finding from status labels: (true?, on-date false alarm?)."""
    known = [p for p in blamed if (claim, p) in labels]
    is_planted = {p: (p, claim) in planted_keys for p in blamed}
    status = {p: statuses.get((claim, p), "") for p in known}
    on_date = bool(blamed) and all(not is_planted[p] and status.get(p) in ON_DATE for p in blamed)
    if on_date:
        return False, True
    if f["kind"] == "conflict":
        bad = {p for p in blamed if is_planted[p] or status.get(p) == "wrong"}
        for a in known:
            for b in known:
                if a < b and labels[(claim, a)] != labels[(claim, b)]:
                    if a in bad or b in bad:
                        return True, False
                    if status.get(a) == "final" and status.get(b) == "final":
                        return True, False
        return False, False
    p = blamed[0] if blamed else None
    if p is None:
        return False, False
    if is_planted[p]:
        return True, False
    if p not in status:
        return False, False
    st = status[p]
    kind, want = split_answer(labels[(claim, p)])
    if st == "wrong":
        return True, False
    if st == "final" and kind == "value" and exp is not None and want != exp:
        return True, False
    if kind == "other" and st not in ON_DATE and st != "final":
        return True, False
    return False, False


def expected_set(claim):
    exp = claim.get("expected")
    if exp is None or exp == [] or exp == "":
        return None
    if isinstance(exp, list):
        return frozenset(str(e) for e in exp)
    return frozenset([str(exp)])


def read_report(report, prog="score.py"):
    """(id_to_path, claims by id, asserted values by (claim, path)) from a JSON report."""
    id_to_path = {a["id"]: a["path"] for a in report.get("articles", [])}
    claims = {c["id"]: c for c in report.get("claims", [])}
    asserted = {}  # (claim, path) -> frozenset of asserted values
    for c in report.get("claims", []):
        for cell in c.get("cells") or []:
            path = cell.get("path") or id_to_path.get(cell.get("article"), cell.get("article"))
            asserted[(c["id"], path)] = frozenset(cell.get("asserted") or [])
        if c.get("cells_left_out"):
            print(
                f"{prog}: warning: claim {c['id']} left {c['cells_left_out']} cells out "
                "of the report (use a sentences detail)",
                file=sys.stderr,
            )
    return id_to_path, claims, asserted


def score_cells(labels, asserted):
    """Answers against the labels: ({right, missed, wrong, silent_right}, notes)."""
    counts = {"right": 0, "missed": 0, "wrong": 0, "silent_right": 0}
    notes = []
    for (claim, path), ans in sorted(labels.items()):
        kind, want = split_answer(ans)
        got = asserted.get((claim, path), frozenset())
        if kind == "value":
            if got == want:
                counts["right"] += 1
                continue
            tag = "missed" if not got else "wrong"
        else:
            if not got:
                counts["silent_right"] += 1
                continue
            tag = "wrong"
        counts[tag] += 1
        notes.append(f"{tag}: {claim} {path} label={ans!r} tool={sorted(got)}")
    return counts, notes


def blamed_articles(f, id_to_path):
    """The article paths a finding blames: a claim-wide one's (its values'), else its own."""
    if f.get("article") is None and (f.get("details") or {}).get("values"):
        vals = f["details"]["values"]
        return sorted({id_to_path.get(a, a) for arts in vals.values() for a in (arts or [])})
    if f.get("kind") == "conflict":
        return []
    return [id_to_path.get(f.get("article"), f.get("path"))]


def judge(f, labels, statuses, planted_keys, claims, id_to_path):
    """Judge a conflict, contradiction or mixed finding: (true?, on-date false alarm?).

    With statuses (labels.csv has a status column) by judge_by_status; else a conflict is
    true when the claim's labels hold two different answers, and an article's finding when
    the article is planted for the claim, labelled other, or labelled with a value other
    than the claim's expected one.
    """
    claim = f.get("claim")
    if statuses is not None:
        blamed = blamed_articles(f, id_to_path)
        if f["kind"] != "conflict":
            blamed = blamed[:1]
        exp = expected_set(claims.get(claim, {}))
        return judge_by_status(f, claim, blamed, labels, statuses, planted_keys, exp)
    if f["kind"] == "conflict":
        answers = {labels[(c, p)] for (c, p) in labels if c == claim and labels[(c, p)] != "silent"}
        return len(answers) >= 2, False
    path = id_to_path.get(f.get("article"), f.get("path"))
    ans = labels.get((claim, path))
    exp = expected_set(claims.get(claim, {}))
    ok = (path, claim) in planted_keys
    if not ok and ans is not None and exp is not None:
        kind, want = split_answer(ans)
        ok = kind == "other" or (kind == "value" and want != exp)
    return ok, False


def planted_hits(planted, findings, id_to_path):
    """How many planted errors a conflict, contradiction or mixed finding names, and notes."""
    path_to_id = {v: k for k, v in id_to_path.items()}
    found = 0
    notes = []
    for art_path, claim, value in planted:
        art_id = path_to_id.get(art_path)
        hit = False
        for f in findings:
            if f.get("claim") != claim:
                continue
            if f["kind"] == "conflict":
                vals = (f.get("details") or {}).get("values") or {}
                if art_id in vals.get(value, []):
                    hit = True
            elif f.get("article") == art_id or f.get("path") == art_path:
                hit = True
        found += hit
        if not hit:
            notes.append(f"planted not found: {claim} {art_path} ({value})")
    return found, notes


def gate_findings(report):
    """Conflict, contradiction and mixed findings at warning or error."""
    return [
        f
        for f in report.get("findings", [])
        if f.get("kind") in FINDING_KINDS and f.get("severity") in SEVERITIES
    ]


def main():
    set_dir, extra, explain, claims_dir = parse_args(sys.argv[1:])
    labels, planted, statuses = load_labels(set_dir)
    report = run_crossfact(set_dir, extra, claims_dir)
    id_to_path, claims, asserted = read_report(report)
    counts, notes = score_cells(labels, asserted)

    planted_keys = {(a, c) for a, c, _ in planted}
    findings = gate_findings(report)
    true_f = false_f = on_date_errors = 0
    for f in findings:
        ok, on_date = judge(f, labels, statuses, planted_keys, claims, id_to_path)
        if ok:
            true_f += 1
        elif on_date and f.get("severity") == "error":
            false_f += 1
            on_date_errors += 1
            notes.append(f"on-date error: {f['kind']} {f.get('claim')} {f.get('article')}")
        else:
            false_f += 1
            notes.append(f"false {f['kind']}: {f.get('claim')} {f.get('article')}")

    found, planted_notes = planted_hits(planted, findings, id_to_path)
    notes.extend(planted_notes)

    line = (
        f"answers_right={counts['right']} answers_missed={counts['missed']} "
        f"answers_wrong={counts['wrong']} "
        f"findings={len(findings)} true_findings={true_f} false_findings={false_f} "
    )
    if statuses is not None:
        line += f"on_date_errors={on_date_errors} "
    line += (
        f"planted_found={found}/{len(planted)} silent_right={counts['silent_right']} "
        f"pairs={len(labels)}"
    )
    print(line)
    if explain:
        for n in notes:
            print("  " + n)


if __name__ == "__main__":
    main()
