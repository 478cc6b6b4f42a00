"""Negation and hedging of a mention, each a table of rows."""

from __future__ import annotations

import pytest

from checker.cues import classify, may_qualify, sentence_words
from checker.text import fold_text


def flags(sentence: str, mention: str) -> tuple[bool, bool]:
    text = fold_text(sentence)
    start = text.index(mention)
    return classify(sentence_words(text), start, start + len(mention))


NEGATION = [
    ("They did not meet in Astana.", "Astana", True),
    ("They didn't meet in Astana.", "Astana", True),
    ("They didn’t meet in Astana.", "Astana", True),
    ("The meeting was never held in Astana.", "Astana", True),
    ("Officials denied that the meeting took place in Astana.", "Astana", True),
    ("Astana was not the venue.", "Astana", True),
    ("No talks were held in Astana.", "Astana", True),
    ("They met in Astana.", "Astana", False),
    ("They did not meet in Astana, but in Almaty.", "Almaty", False),
    ("China is competing not only with the U.S. but also with Russia.", "U.S.", False),
    ("China is not exclusively focusing on Central Asia.", "Central Asia", False),
    ("It is not clear why, but the leaders met in Astana.", "Astana", False),
    ("Astana hosted leaders who did not sign anything.", "Astana", False),
]


@pytest.mark.parametrize(("sentence", "mention", "negated"), NEGATION)
def test_a_mention_in_a_negated_clause_is_a_denial(
    sentence: str, mention: str, negated: bool
) -> None:
    assert flags(sentence, mention)[0] is negated


HEDGING = [
    ("Discussions may also touch on the Israel-Iran conflict.", "Israel-Iran", True),
    ("Russia is reportedly wary of China.", "Russia", True),
    ("Leaders are expected to meet in Astana.", "Astana", True),
    ("The summit could move to Almaty.", "Almaty", True),
    ("The leaders met in Astana.", "Astana", False),
    ("They met in Astana; rain may fall tomorrow.", "Astana", False),
]


@pytest.mark.parametrize(("sentence", "mention", "hedged"), HEDGING)
def test_a_hedged_mention_is_flagged(sentence: str, mention: str, hedged: bool) -> None:
    assert flags(sentence, mention)[1] is hedged


def test_not_only_after_the_mention_is_not_a_denial() -> None:
    assert flags("China is not exclusively focusing on Central Asia.", "China") == (False, False)
    assert flags("China is not focusing on Central Asia.", "China") == (True, False)


QUALIFIABLE = [
    ("They met in Almaty.", False),
    ("Xi's visit to Astana ended.", False),
    ("They did not meet in Almaty.", True),
    ("They didn't meet in Almaty.", True),
    ("He denied that they met in Astana.", True),
    ("They reportedly met in Astana.", True),
    ("Nobody met.", True),
]


@pytest.mark.parametrize(("sentence", "expected"), QUALIFIABLE)
def test_the_fast_path_skips_only_sentences_without_any_cue_word(
    sentence: str, expected: bool
) -> None:
    assert may_qualify(sentence) is expected
    words = sentence_words(sentence)
    if not expected:  # skipping must never change a verdict
        assert all(classify(words, w.start, w.end) == (False, False) for w in words)
