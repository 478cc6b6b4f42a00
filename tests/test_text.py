"""Normalisation: NFKC, folded quotes and dashes, collapsed whitespace, exact offsets back."""

from __future__ import annotations

import re

import pytest

from checker.base.text import (
    fold_text,
    is_acronym,
    line_column,
    line_starts,
    normalise,
)

FOLDING = [
    ("Wang Yi’s", "Wang Yi's"),
    ("‘Central Asia’", "'Central Asia'"),
    ("“decisive step.”", '"decisive step."'),
    ("countries— Kazakhstan", "countries- Kazakhstan"),
    ("Israel–Iran", "Israel-Iran"),
    ("a  \t b", "a b"),
    ("a\u00a0b", "a b"),
    ("ＡＳＥＡＮ", "ASEAN"),
    ("ﬁnance", "finance"),
    ("Cafe\u0301", "Café"),
    ("soft\u00adhyphen", "softhyphen"),
    ("plain ascii", "plain ascii"),
]


@pytest.mark.parametrize(("original", "expected"), FOLDING)
def test_folds_text(original: str, expected: str) -> None:
    assert fold_text(original) == expected


@pytest.mark.parametrize(
    "original",
    ["Wang Yi’s  presence — here", "ﬁne “x”", "Cafe\u0301 ok\t\tend", "ＡＢ cd", "a\u200bb"],
)
def test_every_token_span_maps_back_to_the_original(original: str) -> None:
    normalised = normalise(original)
    starts = [m.start() for m in re.finditer(r"\w+|\s|[^\w\s]", normalised.text)]
    bounds = [*starts, len(normalised.text)]
    for i, start in enumerate(bounds):
        for end in bounds[i + 1 :]:
            piece = normalised.text[start:end]
            back = original[normalised.original_start(start) : normalised.original_end(end)]
            assert fold_text(back) == piece


@pytest.mark.parametrize(
    ("alias", "acronym"),
    [("US", True), ("ASEAN", True), ("U.S.", True), ("Us", False), ("us", False), ("X", False)],
)
def test_acronyms_are_aliases_in_capitals(alias: str, acronym: bool) -> None:
    assert is_acronym(alias) is acronym


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("a\nb", 2, (2, 1)),
        ("a\r\nb", 3, (2, 1)),
        ("a\rb\rc", 4, (3, 1)),
        ("héllo\nwörld", 8, (2, 3)),
    ],
)
def test_line_and_column_count_code_points_and_every_line_ending(
    text: str, offset: int, expected: tuple[int, int]
) -> None:
    assert line_column(line_starts(text), offset) == expected
