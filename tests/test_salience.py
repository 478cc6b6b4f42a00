"""Off-topic by salience: which sentences no claim supports are stray, and why (sentences
written for these tests)."""

from __future__ import annotations

import pytest

from checker.judgement.salience import content_words, is_credit, is_salient, weight, zipf
from tests.harness import check_texts, location

# The article every row adds one sentence to; the ledger asks where the talks were held.
ARTICLE = (
    "Finance ministers met in Almaty on Tuesday for talks on the regional grid.\n"
    "The ministers agreed to link the grid across the region by 2030.\n"
    "Officials said the grid would carry power from hydro plants in the mountains.\n"
    "The Almaty talks were the third this year.\n"
)
LEDGER = location("about: [met]")

# (sentence, expected kind, the salient words the finding names)
SHOULD_BE_STRAY = [
    # One shared common word ("central", "key", a weekday) no longer makes it on-topic.
    (
        "Meanwhile, the central bank of Norway left its key rate unchanged on Tuesday.",
        ["Meanwhile", "Norway", "unchanged"],
    ),
    ("Heavy rain flooded the main road into the capital of Peru.", ["flooded", "Peru"]),
    (
        "A rare white giraffe was spotted in a national park in Kenya.",
        ["giraffe", "spotted", "Kenya"],
    ),
    (
        "Broadcom shares rose after the chipmaker reported quarterly results.",
        ["Broadcom", "chipmaker", "quarterly"],
    ),
    # The Egypt-style digression, although it shares "relations" and "neighbours"-like words.
    (
        "It sought to rebuild Egypt's relations with its Arab neighbors.",
        ["sought", "rebuild", "Egypt", "Arab", "neighbors"],
    ),
    # What a quote names counts; its speaker does not.
    (
        '"A football club in Zanzibar signed a striker," Bruce added.',
        ["Zanzibar", "striker"],
    ),
]

SHOULD_NOT_BE_STRAY = [
    # A new person in the story, tied to it by one salient word ("grid") or two others.
    (
        "Engineer Tomas Reyes said the grid link would need new pylons.",
        "a salient word the article uses",
    ),
    (
        "Finance minister Ana Sorel praised the talks and the regional plan.",
        "words the article uses",
    ),
    # Too little to judge: one salient word, or salient words but no name.
    ("Brazil's central bank raised rates.", "one salient word"),
    ("The mood was marred by bitter squabbling.", "no name among its salient words"),
    # Page furniture: credits, an embedded post's attribution, a bare dateline.
    ("Photo: Lena Okafor / Reuters.", "a credit"),
    ("— Priya Nandakumar (@priyan) May 2, 2024", "an attribution"),
    ("BAKU, Azerbaijan, December 18.", "a dateline"),
]


def _kinds(sentence: str) -> list[tuple[str, list[str]]]:
    report = check_texts(LEDGER, {"a": ARTICLE + sentence + "\n"})
    return [
        (f.kind.value, list(f.details.get("novel_terms") or []))
        for f in report.findings
        if f.line == 5 and f.kind.value in ("stray", "unsupported")
    ]


@pytest.mark.parametrize(("sentence", "terms"), SHOULD_BE_STRAY)
def test_an_off_topic_sentence_is_stray_and_names_its_absent_salient_words(
    sentence: str, terms: list[str]
) -> None:
    assert _kinds(sentence) == [("stray", terms)]


@pytest.mark.parametrize(("sentence", "why"), SHOULD_NOT_BE_STRAY)
def test_an_on_topic_or_unjudgeable_sentence_is_at_most_unsupported(
    sentence: str, why: str
) -> None:
    # (a credit or dateline line is often dropped as page furniture before it is judged)
    assert "stray" not in [kind for kind, _ in _kinds(sentence)], why


def test_headlines_and_captions_are_never_stray() -> None:
    text = (
        "Giraffes Return To Kenya Park\n\n"  # a title-case headline
        + ARTICLE
        + "\nA giraffe in Kenya's Tsavo park. Photo: Lena Okafor\n"
    )
    report = check_texts(LEDGER, {"a": text})
    assert [f.line for f in report.findings if f.kind.value == "stray"] == []


def test_an_article_on_the_same_claims_ties_a_new_name_to_the_story() -> None:
    # "Talgar" is new to article a, but b, which speaks to the same claim, names it too.
    extra = "Villagers in Talgar feared the pylons would spoil the orchards.\n"
    alone = check_texts(LEDGER, {"a": ARTICLE + extra})
    assert [f.kind.value for f in alone.findings if f.line == 5] == ["stray"]
    both = check_texts(
        LEDGER, {"a": ARTICLE + extra, "b": "They met in Almaty. Talgar is near the grid."}
    )
    assert [f.kind.value for f in both.findings if f.article == "a" and f.line == 5] == [
        "unsupported"
    ]


# (word, salient): rarity comes from the shipped background list
RARITY = [
    ("central", False),
    ("key", False),
    ("Monday", False),
    ("said", False),
    ("Egypt", True),
    ("tsunami", True),
    ("soybean", True),
    ("Kishida", True),  # not in the list at all: rarer than any listed word
]


@pytest.mark.parametrize(("word", "salient"), RARITY)
def test_salience_is_rarity_in_english(word: str, salient: bool) -> None:
    assert is_salient(word) is salient
    assert (weight(word) > 0.8) is salient or word == "Egypt"


def test_the_background_list_reads_words_as_written_then_singular() -> None:
    assert zipf("talks") < zipf("talk")
    assert zipf("Egypt's") == zipf("Egypt")
    assert zipf("Kishida") == 0.0


def test_an_opening_word_is_a_name_only_when_english_does_not_list_it() -> None:
    words = content_words("Heavy snow hit Oslo. Broadcom rose.")
    assert not words["heavy"].name
    assert words["oslo"].name
    assert content_words("Broadcom shares rose.")["broadcom"].name


@pytest.mark.parametrize(
    "text",
    ["Photo: Lena Okafor / AFP.", "Image by Lena Okafor", "— Lena (@lena) May 2", "OSLO, Norway."],
)
def test_credits_and_bare_datelines_are_furniture(text: str) -> None:
    assert is_credit(text)
