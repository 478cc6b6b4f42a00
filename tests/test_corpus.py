"""Article parsing: boilerplate, headlines, front matter, line endings, encodings."""

from __future__ import annotations

import pytest

from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import LineKind, decode_article, parse_article
from checker.base.errors import CorpusError

CHROME = [
    ("Tags", True),
    ("Close", True),
    ("Close Search Window", True),
    ("Visited 1 times, 1 visit(s) today", True),
    ("Visited 1,204 times, 3 visits today", True),
    ("Written by 11:50 AM World", True),
    ("By Jane Doe", True),
    ("Share this article", True),
    ("Advertisement", True),
    ("By Saturday, the talks had ended.", False),
    ("Close observers say the talks failed.", False),
    ("Tags are small labels.", False),
    ("Published reports say they met in Astana.", False),
    # Promotions, account prompts and legal footers, written for these tests.
    ("Get 25% Off", True),
    ("Unlock full article", True),
    ("Start investing today!", True),
    ("Create an account by filling in the form", True),
    ("⚠ Price Alert! Which shares will climb next?", True),
    ("Please read our Privacy Policy to learn what we collect about you", True),
    ("At Example Markets we are committed to protecting your privacy.", True),
    ("Terms of Use", True),
    ("You must be logged in to comment.", True),
    ("Click any reaction to log in.", True),
    ("Load more comments", True),
    ("Officials must be logged in to the new registry, the minister said.", False),
    ("Load comments from residents were ignored by the council.", False),
    ("Shares rose 25% off the back of the deal.", False),
    ("The regulator said its privacy policy review would take a year.", False),
    ("Investors were told to create an account of their losses, he said, in a long letter.", False),
]


@pytest.mark.parametrize(("line", "is_chrome"), CHROME)
def test_builtin_boilerplate(line: str, is_chrome: bool) -> None:
    assert Boilerplate().matches(line) is is_chrome


def test_users_extend_boilerplate_with_globs() -> None:
    custom = Boilerplate(["Sign up for * newsletter*", "(a|b)*"])
    assert custom.matches("Sign up for our daily NEWSLETTER today")
    assert not custom.matches("Sign up to vote, officials urged.")
    assert custom.matches("(a|b) is literal text, not a regex")
    assert not custom.matches("aaaa")


def parse(text: str, markdown: bool = False):  # type: ignore[no-untyped-def]
    return parse_article(text, "a", "corpus/a.txt", Boilerplate(), markdown=markdown)


def test_a_repeated_headline_counts_once_as_the_title() -> None:
    article = parse("Big Headline\n\nBig Headline\n\nThe body. It goes on.\nTags")
    assert article.title == "Big Headline"
    assert [(s.text, s.is_title) for s in article.sentences] == [
        ("Big Headline", True),
        ("The body.", False),
        ("It goes on.", False),
    ]
    kinds = {line.number: line.kind for line in article.lines}
    assert (kinds[3], kinds[6]) == (LineKind.REPEATED_TITLE, LineKind.BOILERPLATE)


def test_a_byline_before_the_headline_is_dropped() -> None:
    article = parse("Written by 11:50 AM World\n\nThe Headline\n\nBody text here.")
    assert article.title == "The Headline"
    assert [s.line.number for s in article.sentences] == [3, 5]


def test_a_first_line_that_is_a_sentence_is_not_a_title() -> None:
    article = parse("They met in Almaty. Then they left.")
    assert article.title == "a"
    assert [s.is_title for s in article.sentences] == [False, False]


def test_markdown_front_matter_and_headings() -> None:
    text = "---\ntitle: The Title\ndate: 2025-04-26\nurl: https://example.org/x\n---\n# The Title\n\nBody."
    article = parse(text, markdown=True)
    assert article.title == "The Title"
    assert article.metadata == {
        "title": "The Title",
        "date": "2025-04-26",
        "url": "https://example.org/x",
        "date_source": "declared",
    }
    assert [(s.text, s.line.number, s.column) for s in article.sentences] == [
        ("The Title", 6, 3),
        ("Body.", 8, 1),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_hold_for_every_line_ending(newline: str) -> None:
    article = parse(newline.join(["Head", "", "One. Two.", "Three."]))
    assert [(s.text, s.line.number, s.column) for s in article.sentences] == [
        ("Head", 1, 1),
        ("One.", 3, 1),
        ("Two.", 3, 6),
        ("Three.", 4, 1),
    ]


def test_empty_and_chrome_only_articles_have_no_sentences() -> None:
    assert parse("").sentences == ()
    assert parse("Tags\nClose\n").sentences == ()


DECODING = [
    (b"\xef\xbb\xbfHello.", "Hello.", None),
    ("Caf\u00e9.".encode(), "Caf\u00e9.", None),
    (b"ok\xff", None, "corpus/a.txt: not valid UTF-8 at byte offset 2"),
    ("Hi".encode("utf-16"), None, "corpus/a.txt: looks like UTF-16; articles must be UTF-8"),
    (
        b"ab\x00cd",
        None,
        "corpus/a.txt: binary content (NUL byte at byte offset 2); not a text article",
    ),
]


@pytest.mark.parametrize(("data", "text", "error"), DECODING)
def test_decoding(data: bytes, text: str | None, error: str | None) -> None:
    if error is None:
        assert decode_article(data, "corpus/a.txt") == text
    else:
        with pytest.raises(CorpusError) as caught:
            decode_article(data, "corpus/a.txt")
        assert str(caught.value) == error


DATE_SOURCES = [
    # (article text, markdown, the date found, where it came from)
    ("---\ndate: 2025-04-26\n---\nThey met.", True, "2025-04-26", "declared"),
    ("Title\nPublished: March 18, 2025\nThey met in Almaty.", False, "2025-03-18", "meta"),
    (
        "Title\nPublished March 17, 2025\nUpdated 10:32 GMT, March 18, 2025\nThey met.",
        False,
        "2025-03-18",
        "meta",
    ),
    ("Title\nThey met in 1997 and again in 2019.", False, None, "unknown"),
]


@pytest.mark.parametrize(("text", "markdown", "date", "source"), DATE_SOURCES)
def test_every_article_says_where_its_date_came_from(
    text: str, markdown: bool, date: str | None, source: str
) -> None:
    article = parse(text, markdown=markdown)
    assert article.metadata.get("date") == date
    assert article.metadata["date_source"] == source
