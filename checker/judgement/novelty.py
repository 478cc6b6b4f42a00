"""Find proper-noun phrases in a sentence, and the word lists the topic tests share."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import NamedTuple

from checker.base.lexicon import NAME_WORD_RE

# Lower-case words that may join capitalised words into one name.
CONNECTORS = frozenset("of the and de del la le du von van al for on".split())
_WORD = NAME_WORD_RE
_OPENERS = "\"'([-"
_TITLE_CASE_SHARE = 0.6
_PROSE_TITLE_CASE_SHARE = 0.85  # a sentence ending in a full stop needs more to read as a headline


@cache
def common_words() -> frozenset[str]:
    """Return the built-in list of common English words."""
    text = resources.files("checker").joinpath("data/common_words.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


class Candidate(NamedTuple):
    """A run of capitalised words; `opening` marks words that open a sentence or quote."""

    words: tuple[str, ...]
    opening: tuple[bool, ...]

    @property
    def text(self) -> str:
        """Return the phrase as written."""
        return " ".join(self.words)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) == 1 and word in "AI")


def _opens(text: str, start: int) -> bool:
    before = text[:start].rstrip(" " + _OPENERS)
    return not before or before[-1] in ".!?:"


def _title_case(sentence: str, words: list[re.Match[str]]) -> bool:
    """Tell a Title Case Headline from a sentence that merely names many places."""
    long_words = [w.group() for w in words if len(w.group()) > 3]
    if not long_words:
        return False
    share = sum(1 for w in long_words if _is_capitalised(w)) / len(long_words)
    ends_like_prose = sentence.rstrip().rstrip("\"')]").endswith((".", "!", "?"))
    return share >= (_PROSE_TITLE_CASE_SHARE if ends_like_prose else _TITLE_CASE_SHARE)


def candidates(sentence: str) -> list[Candidate]:
    """Return the capitalised-word phrases of a normalised sentence."""
    words = list(_WORD.finditer(sentence))
    title_case = _title_case(sentence, words)
    found: list[Candidate] = []
    run: list[tuple[str, bool]] = []
    pending: list[tuple[str, bool]] = []  # connectors waiting for a capitalised word
    previous_end = 0
    for match in words:
        word = match.group()
        gap = sentence[previous_end : match.start()]
        previous_end = match.end()
        breaks = run and (gap.strip() not in ("", "-") or "'" in gap)
        if breaks or (not _is_capitalised(word) and word not in CONNECTORS):
            _flush(run, found)
            run, pending = [], []
        if _is_capitalised(word):
            run.extend(pending)
            pending = []
            run.append((word, title_case or _opens(sentence, match.start())))
        elif run and word in CONNECTORS:
            pending.append((word, False))
    _flush(run, found)
    return found


def _flush(run: list[tuple[str, bool]], found: list[Candidate]) -> None:
    if run:
        found.append(Candidate(tuple(w for w, _ in run), tuple(o for _, o in run)))


def vocabulary(text: str) -> set[str]:
    """Return the lower-cased words of a normalised text, hyphenated parts included."""
    words = {w.lower() for w in _WORD.findall(text)}
    return words | {part for word in words if "-" in word for part in word.split("-")}


_INNER_NAME = re.compile(r"(?<=[a-z0-9,;] )[A-Z]\w*(?:-\w+)*")


def inner_names(sentence: str) -> set[str]:
    """Return the words a sentence capitalises after a lower-case word: names, not openers."""
    return {word.lower() for word in _INNER_NAME.findall(sentence)}


# Function words carry no topic; everything else (nouns such as "talks" and "trade" too) does.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also although am among an and another any are
    around as at be because been before being below between both but by can could did do does
    doing down during each either else even ever every few for from further had has have having
    he her here hers herself him himself his how however i if in into is it its itself just
    least less many may me might more most much must my myself neither no nor not now of off on
    once one only onto or other others our ours ourselves out over own per quite rather same
    shall she should since so some such than that the their theirs them themselves then there
    these they this those though through thus to too toward towards under until up upon us very
    via was we were what whatever when whenever where whereas wherever whether which while who
    whoever whom whose why will with within without would yet you your yours yourself
    yourselves said says say told including""".split()
)


def content_words(sentence: str) -> frozenset[str]:
    """Return a sentence's topic-bearing words: no function word, nothing under 3 letters."""
    return frozenset(
        word
        for word in (w.lower() for w in _WORD.findall(sentence))
        if len(word) >= 3 and word not in FUNCTION_WORDS and not word.isdigit()
    )
