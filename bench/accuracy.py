#!/usr/bin/env python3
"""Precision and recall of crossfact per finding kind, on a hand-labelled set of articles.

Usage:
    python3 bench/accuracy.py SET_DIR [--labels DIR] [--claims DIR] [--explain] [--json]
                              [-- EXTRA CROSSFACT ARGS...]

SET_DIR holds corpus/ (the articles' text, fetched again for each run and never
committed).  The labels are read from --labels DIR, else from SET_DIR when it holds
labels.csv, else from bench/accuracy/<name of SET_DIR>/: labels.csv
(claim,article_path,answer[,status]), planted.csv, the ledger (claims/, or --claims DIR,
e.g. claims-typed, inside the labels folder) and an optional stray.csv
(article_path,line,kind[,planted_sentence]; kind off-topic, related-headline, chrome or
planted-off-topic: the lines an editor reads as not belonging to the story).  The script
runs

    crossfact check --corpus corpus --claims DIR --no-cache --format json -o TMP \
        --no-reports [EXTRA...]

in SET_DIR and prints, with no article-specific content:

  cells      labelled (claim, article) pairs: right (the tool asserts exactly the
             labelled value), silent-right (label silent/other, tool silent), missed (a
             value labelled, nothing asserted), wrong (another or an extra value, or an
             answer where the label says silent/other); accuracy = (right+silent-right)/pairs
  kinds      per finding kind of the report, at warning-or-error ("warn+") and, where
             the kind has info findings, at info: found, true, false, precision, expected,
             recall.  Truth: conflict, contradiction and mixed as score.py judges them
             (by status when labels.csv has one); stale-figure as a contradiction;
             updated-figure true when its articles' labels differ and none is wrong or
             planted; stray true when stray.csv lists its line.  Other kinds are counted,
             not judged.  Expected: a contradiction for each planted pair and each wrong
             value label (status wrong, or without a status column a value other than
             the claim's expected one) of a claim with an expected value (a stale-figure
             finding on the pair also finds it); a conflict for each claim whose labels a
             true conflict would blame (two articles' value labels differ and one is wrong
             or planted, or two final labels differ; without a status column, two
             different value labels); a stray for each line of stray.csv.
  stray lines  per stray.csv kind: listed, flagged (a stray finding on the line), set
             aside (chrome or a related headline that the tool drops as boilerplate or
             reads as a title, subheading or caption, not prose) and kept as prose
  planted    planted errors that a conflict, contradiction or mixed finding names

and a last line of key=value figures (a kind's `_p` is true/found at warning or error,
`_r` expected found/expected; `_info_p`, `_info_r` the same at info).

--json prints the same figures as one JSON object.  --explain adds one line per
disagreement (cell, false finding, expected finding not found, planted error not found):
it prints what the articles say, so use it on tuning sets only, never on a held-out set.
Set CROSSFACT=/path/to/crossfact to use another binary.  Exit code: 0 on success, 2 on
missing labels or corpus, or when crossfact gives no report.  Standard library only.
"""

import csv
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "accuracy"))
import score  # bench/accuracy/score.py: shared loading and judging

PROG = "accuracy.py"
LABELS_HOME = Path(__file__).resolve().parent / "accuracy"
JUDGED = ("conflict", "contradiction", "mixed", "stray", "stale-figure", "updated-figure")
ALWAYS = ("conflict", "contradiction", "mixed", "stray")
SHOWN = ("ambiguous-evidence",)  # listed whenever the report knows the kind
STRAY_KINDS = ("off-topic", "planted-off-topic", "related-headline", "chrome")
SET_ASIDE_OK = {"related-headline", "chrome"}  # dropping these is as good as flagging
PROSE_ROLES = {"prose", "list-item"}


def fail(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(2)


def usage(msg=None):
    if msg:
        print(f"{PROG}: {msg}", file=sys.stderr)
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if "--" in argv:
        i = argv.index("--")
        own, extra = argv[:i], argv[i + 1 :]
    else:
        own, extra = argv, []
    opts = {"explain": False, "json": False, "claims": "claims", "labels": None}
    rest = []
    i = 0
    while i < len(own):
        a = own[i]
        if a in ("--explain", "--json"):
            opts[a[2:]] = True
        elif a in ("--claims", "--labels"):
            if i + 1 >= len(own) or not own[i + 1] or own[i + 1].startswith("--"):
                usage(f"{a} needs a folder")
            opts[a[2:]] = own[i + 1]
            i += 1
        elif a.startswith(("--claims=", "--labels=")):
            key, value = a[2:].split("=", 1)
            if not value:
                usage(f"--{key} needs a folder")
            opts[key] = value
        elif a.startswith("--"):
            usage(f"unknown option {a}")
        else:
            rest.append(a)
        i += 1
    if len(rest) != 1:
        usage("give exactly one set folder")
    return Path(rest[0]).resolve(), extra, opts


def labels_folder(set_dir, given):
    """Where the labels are: --labels, else SET_DIR, else bench/accuracy/<name>."""
    if given is not None:
        folder = Path(given).resolve()
        if not (folder / "labels.csv").is_file():
            fail(f"no labels file {folder / 'labels.csv'}")
        return folder
    if (set_dir / "labels.csv").is_file():
        return set_dir
    home = LABELS_HOME / set_dir.name
    if not (home / "labels.csv").is_file():
        fail(
            f"no labels file: neither {set_dir / 'labels.csv'} nor {home / 'labels.csv'} "
            "exists (give --labels DIR)"
        )
    return home


def load_stray(folder):
    """{(path, line): kind} from stray.csv, and planted-off-topic sentences; None if absent."""
    p = folder / "stray.csv"
    if not p.exists():
        return None, {}
    lines, planted = {}, {}
    with p.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                key = (row["article_path"].strip(), int(row["line"]))
                kind = row["kind"].strip()
            except (KeyError, TypeError, ValueError, AttributeError):
                fail(f"{p}:{n}: want article_path,line,kind[,planted_sentence]")
            if kind not in STRAY_KINDS:
                fail(f"{p}:{n}: unknown kind {kind!r} (one of {', '.join(STRAY_KINDS)})")
            lines[key] = kind
            if (row.get("planted_sentence") or "").strip():
                planted[key] = row["planted_sentence"].strip()
    return lines, planted


def level(f):
    return "warn+" if f.get("severity") in score.SEVERITIES else f.get("severity")


class Evaluation:
    def __init__(self, set_dir, label_dir, report):
        self.labels, self.planted, self.statuses = score.load_labels(label_dir)
        self.stray, self.planted_sentences = load_stray(label_dir)
        self.id_to_path, self.claims, self.asserted = score.read_report(report, PROG)
        self.report = report
        self.set_dir = set_dir
        self.planted_keys = {(a, c) for a, c, _ in self.planted}
        self.notes = []

    # -- truth of one finding ------------------------------------------------------------
    def truth(self, f):
        """True or false for a judged kind, None for a kind with no truth rule."""
        kind = f.get("kind")
        args = (self.labels, self.statuses, self.planted_keys, self.claims, self.id_to_path)
        if kind in ("conflict", "contradiction", "mixed"):
            return score.judge(f, *args)[0]
        if kind == "stale-figure":
            return score.judge({**f, "kind": "contradiction"}, *args)[0]
        if kind == "updated-figure":
            return self.true_update(f)
        if kind == "stray":
            if self.stray is None:
                return None
            return (f.get("path"), f.get("line")) in self.stray
        return None

    def true_update(self, f):
        claim = f.get("claim")
        blamed = score.blamed_articles(f, self.id_to_path)
        said = {self.labels[(claim, p)] for p in blamed if (claim, p) in self.labels}
        bad = any(
            (p, claim) in self.planted_keys or (self.statuses or {}).get((claim, p), "") == "wrong"
            for p in blamed
        )
        return len(said) >= 2 and not bad

    # -- what the labels expect ----------------------------------------------------------
    def expected(self):
        """{kind: set of keys}: (claim, path) for a contradiction, claim for a conflict,
        (path, line) for a stray."""
        contradictions, by_claim = set(), {}
        for (claim, path), ans in self.labels.items():
            kind, _want = score.split_answer(ans)
            if kind == "value":
                by_claim.setdefault(claim, []).append(path)
            if score.expected_set(self.claims.get(claim, {})) is None:
                continue
            planted = (path, claim) in self.planted_keys
            if planted or (kind == "value" and self.wrong_value(claim, path)):
                contradictions.add((claim, path))
        for art, claim, _value in self.planted:
            if score.expected_set(self.claims.get(claim, {})) is not None:
                contradictions.add((claim, art))
        conflicts = set()
        for claim, paths in by_claim.items():
            paths = sorted(set(paths))
            if self.statuses is not None:
                probe = {"kind": "conflict", "claim": claim}
                ok, _ = score.judge_by_status(
                    probe,
                    claim,
                    paths,
                    self.labels,
                    self.statuses,
                    self.planted_keys,
                    score.expected_set(self.claims.get(claim, {})),
                )
            else:
                ok = len({self.labels[(claim, p)] for p in paths}) >= 2
            if ok:
                conflicts.add(claim)
        out = {"contradiction": contradictions, "conflict": conflicts}
        if self.stray is not None:
            out["stray"] = set(self.stray)
        return out

    def wrong_value(self, claim, path):
        if self.statuses is not None:
            return self.statuses.get((claim, path), "") == "wrong"
        _kind, want = score.split_answer(self.labels[(claim, path)])
        return want != score.expected_set(self.claims.get(claim, {}))

    @staticmethod
    def key_of(kind, f, id_to_path):
        if kind == "conflict":
            return f.get("claim")
        if kind == "stray":
            return (f.get("path"), f.get("line"))
        return (f.get("claim"), id_to_path.get(f.get("article"), f.get("path")))

    # -- the per-kind table --------------------------------------------------------------
    def kinds(self):
        findings = self.report.get("findings", [])
        by_kind = (self.report.get("summary") or {}).get("by_kind") or {}
        expected = self.expected()
        order = list(ALWAYS)
        shown = [k for k in by_kind if k in JUDGED or k in SHOWN or by_kind[k]]
        for k in shown + [f.get("kind") for f in findings] + list(expected):
            if k and k not in order:
                order.append(k)
        rows = []
        for kind in order:
            fs = [f for f in findings if f.get("kind") == kind]
            levels = [
                lv
                for lv in ("warn+", "info")
                if any(level(f) == lv for f in fs)
                or (lv == "warn+" and (kind in JUDGED or kind in expected or kind in SHOWN))
            ]
            for lv in levels:
                rows.append(self.row(kind, lv, [f for f in fs if level(f) == lv], expected))
        return rows

    def row(self, kind, lv, fs, expected):
        judged = kind in JUDGED and not (kind == "stray" and self.stray is None)
        row = {"kind": kind, "level": lv, "found": len(fs)}
        if judged:
            verdicts = [self.truth(f) for f in fs]
            row["true"] = sum(1 for v in verdicts if v)
            row["false"] = sum(1 for v in verdicts if not v)
            for f, v in zip(fs, verdicts, strict=True):
                if not v:
                    self.notes.append(f"false {kind} ({lv}): {self.describe(kind, f)}")
        want = expected.get(kind)
        if want is not None:
            hit_kinds = {kind, "stale-figure"} if kind == "contradiction" else {kind}
            all_f = [
                f
                for f in self.report.get("findings", [])
                if f.get("kind") in hit_kinds and level(f) == lv
            ]
            got = {self.key_of(kind, f, self.id_to_path) for f in all_f}
            if kind == "stray" and lv == "warn+":
                got |= {k for k in self.set_aside() if self.stray.get(k) in SET_ASIDE_OK}
            row["expected"] = len(want)
            row["expected_found"] = len(want & got)
            if lv == "warn+":
                for key in sorted(want - got, key=str):
                    self.notes.append(f"missed {kind}: {self.describe_key(kind, key)}")
        return row

    def describe(self, kind, f):
        if kind == "stray":
            return f"{f.get('path')}:{f.get('line')}"
        if f.get("article") is None:
            return f"{f.get('claim')} ({len(score.blamed_articles(f, self.id_to_path))} articles)"
        return f"{f.get('claim')} {f.get('article')}"

    def describe_key(self, kind, key):
        if kind == "stray":
            return f"{key[0]}:{key[1]} ({self.stray[key]})"
        return " ".join(key) if isinstance(key, tuple) else str(key)

    # -- stray lines ---------------------------------------------------------------------
    def set_aside(self):
        """(path, line) of the lines the tool drops as boilerplate or reads as non-prose."""
        aside = set()
        for a in self.report.get("articles", []):
            for b in a.get("boilerplate") or []:
                aside.add((a["path"], b.get("line")))
            roles = {}
            for s in a.get("sentences") or []:
                roles.setdefault(s.get("line"), set()).add(s.get("role") or "prose")
            for line, rs in roles.items():
                if not rs & PROSE_ROLES:
                    aside.add((a["path"], line))
        return aside

    def stray_lines(self):
        if self.stray is None:
            return None
        flagged = {
            (f.get("path"), f.get("line"))
            for f in self.report.get("findings", [])
            if f.get("kind") == "stray"
        }
        aside = self.set_aside()
        out = {}
        for key, kind in sorted(self.stray.items()):
            c = out.setdefault(kind, {"listed": 0, "flagged": 0, "set_aside": 0, "kept": 0})
            c["listed"] += 1
            if key in flagged:
                c["flagged"] += 1
            elif key in aside:
                c["set_aside"] += 1
            else:
                c["kept"] += 1
        return out

    def rebuilt_badly(self):
        """How many planted-off-topic lines do not hold their planted sentence."""
        bad = 0
        for (path, line), sentence in self.planted_sentences.items():
            try:
                text = (self.set_dir / path).read_text(encoding="utf-8").splitlines()
            except OSError:
                bad += 1
                continue
            if line > len(text) or sentence not in text[line - 1]:
                bad += 1
        return bad


def fraction(num, den):
    return f"{num}/{den}"


def ratio(num, den):
    return f"{num / den:.3f}" if den else "-"


def main():
    set_dir, extra, opts = parse_args(sys.argv[1:])
    label_dir = labels_folder(set_dir, opts["labels"])
    if not (set_dir / "corpus").is_dir():
        fail(f"no corpus folder {set_dir / 'corpus'} (fetch the articles first)")
    claims_dir = Path(opts["claims"])
    if label_dir != set_dir and not claims_dir.is_absolute():
        claims_dir = label_dir / claims_dir
    if not (set_dir / claims_dir).is_dir():
        fail(f"no ledger folder {set_dir / claims_dir}")
    with tempfile.TemporaryDirectory(prefix="accuracy-") as tmp:
        report = score.run_crossfact(
            set_dir,
            ["--no-reports", *extra],
            str(claims_dir),
            report=Path(tmp) / "report.json",
            prog=PROG,
        )
    ev = Evaluation(set_dir, label_dir, report)
    cells, cell_notes = score.score_cells(ev.labels, ev.asserted)
    ev.notes.extend(cell_notes)
    pairs = len(ev.labels)
    good = cells["right"] + cells["silent_right"]
    rows = ev.kinds()
    strays = ev.stray_lines()
    found, planted_notes = score.planted_hits(
        ev.planted, score.gate_findings(report), ev.id_to_path
    )
    ev.notes.extend(planted_notes)
    bad_rebuild = ev.rebuilt_badly()

    summary = [
        f"pairs={pairs}",
        f"cell_accuracy={ratio(good, pairs)}",
        f"answers_right={cells['right']}",
        f"answers_missed={cells['missed']}",
        f"answers_wrong={cells['wrong']}",
        f"silent_right={cells['silent_right']}",
    ]
    for r in rows:
        if "true" not in r and "expected" not in r:
            if r["kind"] in ALWAYS and r["level"] == "warn+":  # stray without stray.csv
                summary.append(f"{r['kind']}_found={r['found']}")
            continue
        if r["kind"] not in ALWAYS and not r["found"] and not r.get("expected"):
            continue
        tag = r["kind"] + ("" if r["level"] == "warn+" else "_" + r["level"])
        p = fraction(r["true"], r["found"]) if "true" in r else "-"
        rc = fraction(r["expected_found"], r["expected"]) if "expected" in r else "-"
        summary += [f"{tag}_p={p}", f"{tag}_r={rc}"]
    if strays is not None:
        listed = sum(c["listed"] for c in strays.values())
        flagged = sum(c["flagged"] for c in strays.values())
        aside = sum(c["set_aside"] for k, c in strays.items() if k in SET_ASIDE_OK)
        summary += [f"stray_lines={listed}", f"stray_flagged={flagged}", f"stray_set_aside={aside}"]
    summary.append(f"planted_found={found}/{len(ev.planted)}")
    line = " ".join(summary)

    if opts["json"]:
        out = {
            "labels": str(label_dir),
            "claims": str(opts["claims"]),
            "articles": len(report.get("articles", [])),
            "cells": {
                "pairs": pairs,
                **cells,
                "accuracy": round(good / pairs, 4) if pairs else None,
            },
            "kinds": rows,
            "stray_lines": strays,
            "planted": {"found": found, "total": len(ev.planted)},
            "summary": line,
        }
        if opts["explain"]:
            out["disagreements"] = ev.notes
        print(json.dumps(out, indent=2))
        return

    print(
        f"labels {label_dir} (ledger {opts['claims']}): {len(report.get('articles', []))} "
        f"articles, {len(ev.claims)} claims, {pairs} labelled pairs"
    )
    print(
        f"cells: right {cells['right']}, silent-right {cells['silent_right']}, "
        f"missed {cells['missed']}, wrong {cells['wrong']}: accuracy {ratio(good, pairs)} "
        f"({good}/{pairs})"
    )
    print(
        f"{'kind':<20} {'level':<6} {'found':>5} {'true':>5} {'false':>5} "
        f"{'precision':>9} {'expected':>8} {'recall':>6}"
    )
    for r in rows:
        t = r.get("true", "-")
        fl = r.get("false", "-")
        p = ratio(r["true"], r["found"]) if "true" in r else "-"
        e = r.get("expected", "-")
        rc = ratio(r["expected_found"], r["expected"]) if "expected" in r else "-"
        print(
            f"{r['kind']:<20} {r['level']:<6} {r['found']:>5} {t:>5} {fl:>5} {p:>9} {e:>8} {rc:>6}"
        )
    if strays is None:
        print("stray lines: no stray.csv, stray findings not judged")
    else:
        parts = [
            f"{k} {c['listed']} (flagged {c['flagged']}, set aside {c['set_aside']}, "
            f"kept {c['kept']})"
            for k, c in strays.items()
        ]
        print("stray lines: " + ("; ".join(parts) if parts else "none listed"))
    if bad_rebuild:
        print(
            f"{PROG}: warning: {bad_rebuild} planted-off-topic line(s) do not hold their "
            "planted sentence: rebuild the corpus",
            file=sys.stderr,
        )
    print(f"planted errors found: {found}/{len(ev.planted)}")
    if opts["explain"]:
        for n in ev.notes:
            print("  " + n)
    print(line)


if __name__ == "__main__":
    main()
