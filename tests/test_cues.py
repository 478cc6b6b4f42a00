"""Negation and hedging of a mention, each a table of rows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.base.text import fold_text
from checker.judgement import cues
from checker.judgement.cues import classify, may_qualify, sentence_words


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
    ("She appeared not to react as Judge Dalca read the verdict.", "Dalca", False),
    ("He did not speak when Dalca read the verdict.", "Dalca", False),
    ("It was not Dalca who read the verdict.", "Dalca", True),
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


# The clause rules as first written: a rescan of the sentence per mention (quadratic), kept
# as the reference that the indexed SentenceCues must agree with.
def _reference(words: list, start: int, end: int) -> tuple[bool, bool]:  # type: ignore[type-arg]
    inside = [i for i, w in enumerate(words) if w.start < end and w.end > start]
    if not inside:
        return False, False
    first, last = inside[0], inside[-1]

    def negated_before() -> bool:
        for distance, i in enumerate(range(first - 1, -1, -1)):
            word = words[i].text
            if word in cues.DENIALS:
                return True
            if cues._is_break(word, denial_scope=cues._denial_ahead(words, i)):
                return False
            if distance < cues.NEGATION_WINDOW and word in cues.NEGATORS:
                following = words[i + 1].text if i + 1 < len(words) else ""
                return following not in cues.ADDITIVE_AFTER_NOT
        return False

    negated = negated_before() or cues._negated_after(words, last)
    begin = first
    while begin > 0 and not cues._is_break(words[begin - 1].text, denial_scope=False):
        begin -= 1
    finish = last
    while finish + 1 < len(words) and not cues._is_break(
        words[finish + 1].text, denial_scope=False
    ):
        finish += 1
    hedged = any(w.text in cues.HEDGES for w in words[begin : finish + 1])
    return negated, hedged


VOCABULARY = (
    "not never no they did meet in Almaty Astana may reportedly denied that but , ; : ( ) "
    "only it was is the summit and while without".split()
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=30))
def test_indexed_clause_analysis_equals_the_rescanning_reference(tokens: list[str]) -> None:
    text = " ".join(tokens)
    words = sentence_words(text)
    analysis = cues.SentenceCues(words)
    for match in re.finditer(r"Almaty|Astana", text):
        assert analysis.classify(match.start(), match.end()) == _reference(
            words, match.start(), match.end()
        )


def test_ten_thousand_mentions_in_one_clause_are_all_denied() -> None:
    # 70 kB that took 49 s when each mention rescanned its clause; linear now.
    text = "They did not meet in " + "Almaty " * 10_000
    analysis = cues.SentenceCues(sentence_words(text))
    results = {analysis.classify(m.start(), m.end()) for m in re.finditer("Almaty", text)}
    # Only the first few Almatys are within the negator's window of eight words.
    assert (True, False) in results
    assert results <= {(True, False), (False, False)}
