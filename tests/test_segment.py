"""Sentence splitting: the English Golden Rules and the abbreviations news copy uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.articles.segment import split_sentences
from checker.base.text import fold_text

GOLDEN_RULES = Path(__file__).resolve().parents[2] / "shared" / "peer" / "golden_rules_en.json"
VENDORED = Path(__file__).resolve().parent / "data" / "golden_rules_en.json"
# pysbd's score; issue 6 holds the splitter to it. Known miss: "6 P.M. Mr. Smith" (rule 18).
MIN_GOLDEN_RULES_PASSED = 47


def sentences(text: str) -> list[str]:
    normalised = fold_text(text)
    return [normalised[a:b] for a, b in split_sentences(normalised)]


def golden_cases() -> list[dict[str, object]]:
    path = GOLDEN_RULES if GOLDEN_RULES.exists() else VENDORED
    return json.loads(path.read_text("utf-8"))["cases"]


def test_golden_rules_pass_count() -> None:
    cases = golden_cases()
    passed = [
        case
        for case in cases
        if sentences(str(case["text"])) == [fold_text(str(s)) for s in case["sentences"]]  # type: ignore[union-attr]
    ]
    assert len(cases) == 48
    assert len(passed) >= MIN_GOLDEN_RULES_PASSED


NEWS = [
    ("This was because of the U.S. tariffs President Donald Trump imposed.", 1),
    ("Xi met Tokayev. The two leaders signed ten memorandums.", 2),
    ("He said it was a “decisive step.” Most critically, it failed.", 2),
    ("Talks began at 9 a.m. and ended late.", 1),
    ("Sen. Warren spoke. Gov. Newsom did not.", 2),
    ("Prices rose 2.5 percent. Officials said more was coming!", 2),
    ("Was it Almaty? Or was it Astana?", 2),
    ("The challenger, former Del. Robert Underwood, conceded.", 1),
    ("", 0),
    ("   ", 0),
    # The word before a period is read from a short window; longer tokens fall back to a scan.
    ("See https://example.org/" + "a" * 80 + ". The page moved.", 2),
    ("(" + "b" * 80 + " Mr. Smith spoke. He left.", 2),
    ("x" * 63 + " Gen. Lee spoke.", 1),
    ("\t Dr. Who spoke.\t", 1),
]


@pytest.mark.parametrize(("text", "count"), NEWS)
def test_splits_news_copy(text: str, count: int) -> None:
    assert len(sentences(text)) == count


def test_spans_are_trimmed_and_cover_the_text() -> None:
    text = "  One here.  Two there.  "
    assert sentences(text) == ["One here.", "Two there."]
