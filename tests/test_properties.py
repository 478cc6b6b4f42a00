"""Property tests: offsets round-trip, the engine equals a slow reference matcher, order independence."""

from __future__ import annotations

import json
import re
import textwrap
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import parse_article
from checker.base.claims import Ledger, LocatedClaim
from checker.base.ledger import load_ledger
from checker.base.text import fold_text, is_acronym, match_key
from checker.findings.results import Judgement, build_report
from checker.judgement.matcher import PhraseIndex, find_all, leftmost_longest
from checker.judgement.reduction import check

ALIASES = [
    "Xi",
    "Xi Jinping",
    "President Xi",
    "US",
    "U.S.",
    "Almaty",
    "Central Asia",
    "former President Donald Trump",
    "President Donald Trump",
    "Wang Yi",
    "Astana",
    "Οδός",
    "İzmir",
]
FILLER = [
    "ΟΔΟΣ",
    "οδοσ",
    "İZMİR",
    "izmir",
    "the",
    "met",
    "in",
    "Xinjiang",
    "Xi'an",
    "us",
    "Asian",
    "and",
    "Trump",
    "former",
    "President",
    "Donald",
    "U.S.A.",
    "Wang",
    "Yi's",
    "'s",
    ",",
    ".",
    "—",
    "’",
    "“",
    "”",
    "\u00a0",
    "  ",
    "ＵＳ",
    "Almatys",
    "O'Xi",
]
VARIANTS = {
    "'": ["'", "’", "`", "´", "ʹ"],
    " ": [" ", "  ", "\u00a0", "\u2800"],
    "-": ["-", "–", "—", "˗"],
}
# Cyrillic letters a spoof puts inside a Latin word, and marks drawn on every letter.
CYRILLIC = dict(zip("aceiopxyACEHKMOPTX", "асеіорхуАСЕНКМОРТХ", strict=True))
MARKS = ["\u0332", "\u0336"]


@st.composite
def noisy(draw: st.DrawFn, word: str) -> str:
    """Spell a word with curly quotes, odd spaces and dashes, and random case (not acronyms)."""
    out = []
    for char in word:
        choices = VARIANTS.get(char, [char])
        out.append(draw(st.sampled_from(choices)))
    text = "".join(out)
    if not is_acronym(word) and draw(st.booleans()):
        text = text.upper() if draw(st.booleans()) else text.lower()
    if text.isascii():
        spoof = draw(st.sampled_from(["none", "none", "cyrillic", "marks"]))
        if spoof == "cyrillic":
            text = "".join(CYRILLIC.get(c, c) if draw(st.booleans()) else c for c in text)
        elif spoof == "marks":
            mark = draw(st.sampled_from(MARKS))
            text = "".join(c + mark if c.isalpha() else c for c in text)
    return text


@st.composite
def articles(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(st.sampled_from(FILLER), st.sampled_from(ALIASES).flatmap(noisy)),
            min_size=1,
            max_size=30,
        )
    )
    separators = draw(
        st.lists(
            st.sampled_from([" ", " ", "", "\n", "\r\n", ". "]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    return "".join(p + s for p, s in zip(pieces, separators, strict=True))


def assign(aliases: list[str], claims: int) -> list[tuple[str, str, str]]:
    """Spread aliases over claims and values."""
    return [(f"c{i % claims}", f"v{i % 3}", alias) for i, alias in enumerate(aliases)]


def reference(entries: list[tuple[str, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    """Find matches the slow way: one regex per alias, then leftmost-longest per claim."""
    found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for claim, _value, alias in entries:
        folded = fold_text(alias).strip()
        flags = 0 if is_acronym(folded) else re.IGNORECASE
        body = re.escape(folded)
        before = r"(?<![\w])(?<!\w')" if folded[0].isalnum() else r"(?<!\w)(?<!\w')"
        after = r"(?!\w)(?!'(?!s(?!\w))\w)"
        for match in re.finditer(f"(?=({before}{body}{after}))", text, flags):
            found[claim].append((match.start(1), match.end(1), alias))
    kept = []
    for claim, matches in found.items():
        reached = -1
        for start, end, alias in sorted(set(matches), key=lambda m: (m[0], -(m[1] - m[0]), m[2])):
            if start >= reached:
                kept.append((start, end, claim, alias))
                reached = end
    return sorted(kept)


@settings(max_examples=1000, deadline=None)
@given(
    text=articles(),
    aliases=st.lists(st.sampled_from(ALIASES), min_size=1, max_size=8, unique=True),
    claims=st.integers(1, 3),
)
def test_the_matcher_finds_exactly_what_the_reference_matcher_finds(
    text: str, aliases: list[str], claims: int
) -> None:
    entries = assign(aliases, claims)
    index = PhraseIndex()
    for claim, value, alias in entries:
        index.add(claim, value, alias)
    for line in re.split(r"\r\n|\r|\n", text):
        normalised = fold_text(line)
        engine = sorted(
            (m.start, m.end, m.phrase.claim, m.phrase.alias)
            for m in leftmost_longest(find_all(index, normalised))
        )
        assert engine == reference(entries, normalised)


def ledger_of(aliases: list[str]) -> Ledger:
    lines = ["claims:"]
    for i, alias in enumerate(aliases):
        lines += [
            f"  - id: c{i}",
            "    question: q",
            "    values:",
            f"      v: [{json.dumps(alias)}]",
        ]
    return load_ledger([("claims/c.yaml", "\n".join(lines).encode())])


@settings(max_examples=300, deadline=None)
@given(
    text=articles(), aliases=st.lists(st.sampled_from(ALIASES), min_size=1, max_size=6, unique=True)
)
def test_evidence_offsets_round_trip_to_the_original_text(text: str, aliases: list[str]) -> None:
    article = parse_article(text, "a", "corpus/a.txt", Boilerplate())
    report = check(ledger_of(aliases), [article])
    lines = re.split(r"\r\n|\r|\n", text)
    for claim in report.claims:
        for verdict in claim.cells:
            for evidence in verdict.evidence:
                original = lines[evidence.line - 1][evidence.column - 1 : evidence.end_column - 1]
                assert original == evidence.text
                assert match_key(fold_text(original)) == match_key(fold_text(evidence.alias))


CLAIMS = textwrap.dedent("""
    claims:
      - id: loc
        question: Where?
        values:
          Almaty: [Almaty, the southern capital]
          Astana: [Astana, the Kazakh capital, Nur-Sultan]
        about: [met, meeting]
      - id: who
        kind: any-of
        question: Who?
        values:
          Kazakhstan: [Kazakhstan]
          Uzbekistan: [Uzbekistan, Uzbek]
      - id: rep
        question: Who represented China?
        values:
          Wang Yi: [Wang Yi, Foreign Minister Wang Yi]
          Xi Jinping: [Xi, Xi Jinping, President Xi]
        expected: Xi Jinping
""")
TEXTS = {
    "a": "They met in Almaty.\nWang Yi came. Kazakhstan and Uzbekistan too. Egypt voted.",
    "b": "Leaders met in the Kazakh capital. President Xi spoke. Uzbek officials came.",
    "c": "The meeting was not in Astana. Brazil's bank rose.",
}


def shuffled_ledger(ledger: Ledger, order: list[int], flip: bool) -> Ledger:
    claims = [ledger.claims[i] for i in order]
    reordered = []
    for located in claims:
        values = dict(reversed(located.claim.values.items())) if flip else located.claim.values
        values = {
            v: spec.model_copy(update={"aliases": list(reversed(spec.aliases))}) if flip else spec
            for v, spec in values.items()
        }
        claim = located.claim.model_copy(update={"values": values})
        reordered.append(
            LocatedClaim(
                claim=claim,
                path=located.path,
                line=located.line,
                column=located.column,
                topic=located.topic,
            )
        )
    return Ledger(claims=tuple(reordered), content_hash=ledger.content_hash)


@settings(max_examples=60, deadline=None)
@given(order=st.permutations([0, 1, 2]), flip=st.booleans(), names=st.permutations(sorted(TEXTS)))
def test_shuffling_claims_aliases_or_articles_leaves_json_identical(
    order: list[int], flip: bool, names: list[str]
) -> None:
    ledger = load_ledger([("claims/c.yaml", CLAIMS.encode())])
    parsed = {n: parse_article(t, n, f"corpus/{n}.txt", Boilerplate()) for n, t in TEXTS.items()}
    baseline = as_json(check(ledger, [parsed[n] for n in sorted(parsed)]))
    shuffled = check(shuffled_ledger(ledger, order, flip), [parsed[n] for n in names])
    assert as_json(shuffled) == baseline


def as_json(judgement: Judgement) -> str:
    return build_report(
        judgement, judgement.findings, None, tool_version="t", ledger_hash="h"
    ).model_dump_json()


def test_the_reference_matcher_is_not_vacuous() -> None:
    entries = assign(["Xi", "Xi Jinping", "US"], 1)
    text = fold_text("Xi Jinping met Xi’s aides in Xi’an and the US, not us.")
    assert [(text[s:e], alias) for s, e, _c, alias in reference(entries, text)] == [
        ("Xi Jinping", "Xi Jinping"),
        ("Xi", "Xi"),
        ("US", "US"),
    ]
