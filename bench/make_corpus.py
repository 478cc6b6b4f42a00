"""Generate a deterministic news-like benchmark corpus, claim ledger and gold sentence boundaries.

Usage: python bench/make_corpus.py OUT_DIR [--mb 50] [--claims 10000] [--aliases 50000] [--seed 1]

Writes OUT_DIR/corpus/*.txt, OUT_DIR/claims/ledger-*.yaml, OUT_DIR/gold.jsonl (each article's
paragraphs as lists of sentences) and OUT_DIR/aliases.txt (one alias per line, for grep -F -f).
Names are made of random syllables, so the alias set is as large as asked and only the aliases of
"newsworthy" people and places (about a tenth) occur in the text, as in a real archive.
Never commit the output.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SYLLABLES = (
    "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
    "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo zu an el in or ur "
    "bek dar gul jan kar lan mir nur tan zhan shen xia yun qiao"
).split()
TITLES = [
    "Foreign Minister",
    "President",
    "Prime Minister",
    "Deputy Minister",
    "Ambassador",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Gen.",
    "Sen.",
    "Gov.",
]
VERBS = [
    "met officials",
    "spoke",
    "signed an agreement",
    "held talks",
    "announced a plan",
    "arrived",
    "criticized the proposal",
    "praised the deal",
    "denied the report",
    "did not attend the summit",
]
OBJECTS = [
    "on trade",
    "on energy",
    "on customs procedures",
    "on the U.S. tariffs",
    "about the railway",
    "with E.U. officials",
    "at 9 a.m. on Monday",
    "in Jan. 2025",
    "on the $3.5 billion fund",
    "about water rights",
    "at the No. 2 terminal",
]
BOILERPLATE = [
    "Tags",
    "Close",
    "Close Search Window",
    "Share this article",
    "Advertisement",
    "Visited 12 times, 1 visit(s) today",
    "Written by 11:50 AM World",
]
NEWSWORTHY_SHARE = 0.1  # of the ledger's names, the ones the news mentions
NEWSWORTHY_MENTIONS = 0.1  # of the names in the text, the ones that are newsworthy


def word(rng: random.Random, syllables: tuple[int, int] = (2, 3)) -> str:
    """Return a capitalised made-up word."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*syllables))).capitalize()


def name_pool(rng: random.Random, size: int) -> list[str]:
    """Return `size` distinct made-up names of one to three words."""
    names: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < size:
        name = " ".join(word(rng) for _ in range(rng.choice((1, 2, 2, 2, 3))))
        if name.lower() not in names:
            names.add(name.lower())
            ordered.append(name)
    return ordered


class Writer:
    """Sentences about a mix of newsworthy (ledger) names and names no claim knows."""

    def __init__(self, rng: random.Random, newsworthy: list[str]) -> None:
        self.rng = rng
        self.newsworthy = newsworthy

    def name(self) -> str:
        if self.newsworthy and self.rng.random() < NEWSWORTHY_MENTIONS:
            return self.rng.choice(self.newsworthy)
        return f"{word(self.rng)} {word(self.rng)}"

    def sentence(self) -> str:
        rng, kind = self.rng, self.rng.random()
        who = f"{rng.choice(TITLES)} {self.name()}"
        where = self.name()
        if kind < 0.45:
            return f"{who} {rng.choice(VERBS)} in {where} {rng.choice(OBJECTS)}."
        if kind < 0.6:
            verb = rng.choice(["welcome", "reject", "support"])
            return f"“We {verb} this step,” {who} said."
        if kind < 0.75:
            count = rng.randint(2, 900)
            return f"According to {self.name()}, about {count} delegates came to {where}."
        if kind < 0.8:
            return f"Did {self.name()} agree?\x1fNobody in {where} would say."
        if kind < 0.85:  # abbreviations that end a sentence, and one inside it
            firm = f"{word(rng)} {rng.choice(['Co.', 'Inc.', 'Corp.', 'Ltd.'])}"
            ending = rng.choice(["the U.S.", f"{firm}", "9 a.m.", "the E.U."])
            return f"{who} said {firm} staff flew on to meet {ending}"
        day = rng.randint(1, 28)
        return f"Officials said talks in {where} may continue, reportedly until {day} May."

    def article(self, target: int) -> tuple[str, list[list[str]]]:
        rng = self.rng
        headline = f"{self.name()} Talks Focus on {rng.choice(['Trade', 'Energy', 'Security'])}"
        lines = [BOILERPLATE[-1], "", headline, "", headline, ""]
        gold: list[list[str]] = []
        size = 0
        while size < target:
            # \x1f separates the sentences of one template ("Did X agree? Nobody would say.").
            paragraph = [
                part for _ in range(rng.randint(2, 6)) for part in self.sentence().split("\x1f")
            ]
            gold.append(paragraph)
            text = " ".join(paragraph)
            lines += [text, ""]
            size += len(text)
        lines += rng.sample(BOILERPLATE[:-1], 3)
        return "\n".join(lines) + "\n", gold


def ledger(pool: list[str], claims: int) -> list[tuple[str, dict[str, list[str]]]]:
    """Share the name pool out over claims, two values each; every fifth claim is verified."""
    per_claim = max(2, len(pool) // max(claims, 1))
    entries = []
    for i in range(claims):
        names = pool[i * per_claim : (i + 1) * per_claim]
        half = (len(names) + 1) // 2
        entries.append((f"c{i:05d}", {"v0": names[:half], "v1": names[half:] or [f"Nobody {i}"]}))
    return entries


def write_ledger(out: Path, entries: list[tuple[str, dict[str, list[str]]]]) -> set[str]:
    chunk = 2_000
    aliases: set[str] = set()
    for start in range(0, len(entries), chunk):
        lines = ["claims:"]
        for n, (claim_id, values) in enumerate(entries[start : start + chunk], start):
            lines += [f"  - id: {claim_id}", f"    question: Who is meant by {claim_id}?"]
            if n % 5 == 0:
                lines.append("    expected: v0")
            lines.append("    values:")
            for value, names in values.items():
                lines.append(f"      {value}: {json.dumps(names, ensure_ascii=False)}")
                aliases |= set(names)
        (out / "claims" / f"ledger-{start // chunk:03d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return aliases


def write(out: Path, mb: float, claims: int, aliases: int, seed: int) -> None:
    rng = random.Random(seed)
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    (out / "claims").mkdir(parents=True, exist_ok=True)
    pool = name_pool(rng, max(aliases, 2 * claims))
    entries = ledger(pool, claims)
    in_ledger = [name for _, values in entries for names in values.values() for name in names]
    newsworthy = in_ledger[: max(1, int(len(in_ledger) * NEWSWORTHY_SHARE))]
    writer = Writer(rng, newsworthy)
    target, total, n = int(mb * 1_000_000), 0, 0
    with (out / "gold.jsonl").open("w", encoding="utf-8") as gold_file:
        while total < target:
            text, gold = writer.article(rng.randint(2_000, 8_000))
            (out / "corpus" / f"{n:06d}.txt").write_text(text, encoding="utf-8")
            gold_file.write(json.dumps({"article": f"{n:06d}", "paragraphs": gold}) + "\n")
            total += len(text.encode())
            n += 1
    all_aliases = write_ledger(out, entries)
    (out / "aliases.txt").write_text("\n".join(sorted(all_aliases)) + "\n", encoding="utf-8")
    print(f"{n} articles, {total / 1e6:.1f} MB, {len(entries)} claims, {len(all_aliases)} aliases")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--aliases", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.mb, args.claims, args.aliases, args.seed)


if __name__ == "__main__":
    main()
