"""The registry of mention rules: what decides whether a value's mention answers its claim.

The matcher finds every alias of every claim; the rules here then decide each mention's
outcome, in phases and, within a phase, in order:

1. **drop**: the alias is not the claim's value here (part of a longer name, the speaker of
   reported speech, one end of a date range, a measure of something else, a bearing);
2. **bind**: the mention belongs to the claim only near one of its cues, and not when another
   claim's cue is nearer;
3. **demote**: the claim's value, but about another occasion or an earlier figure;
4. **clause**: several values of one claim in one sentence, of which only some are its answer;
5. **article**: across the article's sentences (a provisional count beside a firm one).

Each rule declares the claim fields it reads: the per-article cache key is derived from them
(`index.matching_hash`), so editing a field a rule reads can never leave a stale answer. Every
rule can be switched off (`disable-rules`); a mention a rule discounts keeps that rule's code in
its trace, so `explain`, `show` and the reports say why it did not count.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from checker.base.claims import AnyOfClaim, Claim, OneOfClaim
from checker.base.lexicon import CALENDAR_WORDS, YEAR_RE
from checker.findings.results import MentionRole
from checker.judgement.mentions import (
    EVENT_HEADS,
    asks_for_reference_point,
    asks_for_source,
    clause_bound,
    counts_something_else,
    is_attributed,
    is_conversion,
    is_earlier_figure,
    is_idiom_part,
    is_name_part,
    is_proposed_figure,
    is_quantity_part,
    is_range_part,
    is_reference_point,
    nearest,
    other_occasion,
)
from checker.judgement.roles import (
    Slot,
    appositive,
    asked_slot,
    contest_cues,
    coordinated,
    decisive,
    is_contest_claim,
    question_voice,
)
from checker.judgement.view import SentenceView


class Phase(StrEnum):
    """When a rule runs; phases run in this order."""

    DROP = "drop"
    BIND = "bind"
    DEMOTE = "demote"
    CLAUSE = "clause"
    ARTICLE = "article"


PHASE_ORDER = tuple(Phase)


class Mention(NamedTuple):
    """One mention as a mention-level rule reads it."""

    view: SentenceView
    start: int
    end: int
    alias: str
    claim: Claim
    # The cues within reach of the mention (other claims' too), by span: the claims they cue.
    cues: Mapping[tuple[int, int], set[str]]
    rivals: frozenset[str]  # other claims that matched the very same words
    year: str | None  # the article's year, if it has one
    # Pairs of capitalised words the article's own prose writes as one name ("toronto raptors"),
    # lower-cased: with `recurring`, those it writes at least twice.
    runs: NameRuns
    # Whose value the claim asks: its `subject:`, else what its question names (`claim_subjects`).
    subjects: tuple[str, ...] = ()


class NameRuns(NamedTuple):
    """The capitalised word pairs of an article's prose: once, and at least twice."""

    prose: frozenset[tuple[str, str]] = frozenset()
    recurring: frozenset[tuple[str, str]] = frozenset()


def name_runs(prose: Iterable[str], headlines: Iterable[str]) -> NameRuns:
    """Count the capitalised word pairs of an article; headlines count only towards recurring."""
    counts: Counter[tuple[str, str]] = Counter()
    seen_in_prose: set[tuple[str, str]] = set()
    for text, in_prose in [*((t, True) for t in prose), *((t, False) for t in headlines)]:
        # Tokens, then pairs of neighbours: linear however the text is written.
        previous = None
        for token in text.split():
            core = token.lstrip("\"'“‘(").rstrip(".,;:!?)\"'”’")
            word = core if _NAME_WORD.fullmatch(core) else None
            if previous is not None and word is not None and word.lower() not in CALENDAR_WORDS:
                pair = (previous.lower(), word.lower())
                counts[pair] += 1
                if in_prose:
                    seen_in_prose.add(pair)
            # Punctuation after a word ends the run: "Toronto, Raptors" is no name.
            previous = word if word is not None and token.endswith(core) else None
    return NameRuns(
        frozenset(seen_in_prose),
        frozenset(pair for pair, n in counts.items() if n > 1 and pair in seen_in_prose),
    )


# A capitalised word of a name ("Raptors", "ExxonMobil"), not an acronym or a token with
# punctuation inside; a pair of them in a row is a name ("Geneva Motor Show" gives two pairs).
_NAME_WORD = re.compile(r"[A-Z][a-z][\w'’-]*")


def _in_longer_name(mention: Mention) -> bool:
    """Tell whether a mention starts a capitalised run the article uses as one name."""
    if not mention.alias[:1].isupper():
        return False  # a phrase ("second China-Central Asia") describes a name; it is none
    text = mention.view.text
    following = _NEXT_CAPITALISED.match(text, mention.end)
    if following is None:
        return False
    last = _LAST_WORD.search(text, mention.start, mention.end)
    if last is None:
        return False
    word = following.group(1)
    if word.lower() in CALENDAR_WORDS or word.lower() in EVENT_HEADS:
        return False
    pair = (last.group().lower(), word.lower())
    # In a headline every word is capitalised: only the article's prose says it is one name.
    return pair in (mention.runs.prose if mention.view.headline else mention.runs.recurring)


_NEXT_CAPITALISED = re.compile(r" ([A-Z][a-z][\w'’-]*)\b")
_LAST_WORD = re.compile(r"[\w'’-]+$")


def _name_part(mention: Mention) -> bool:
    if mention.claim.type != "text":
        return False  # a typed claim's figure starts no name
    if not mention.view.headline and is_name_part(mention.view.text, mention.end):
        return True
    return _in_longer_name(mention)


class ClauseMention(NamedTuple):
    """A claim's mention in a sentence that names several of its values."""

    value: str
    span: tuple[int, int]
    cues: list[tuple[int, int]]  # the claim's own cues within reach


MentionTest = Callable[[Mention], bool]
# Return the values of the claim that the sentence names for another question.
ClauseTest = Callable[[SentenceView, Claim, list[ClauseMention]], set[str]]


@dataclass(frozen=True)
class MentionRule:
    """One mention rule's metadata and its test."""

    code: str
    name: str
    phase: Phase
    order: int
    outcome: MentionRole  # what the rule makes of a mention it decides
    summary: str
    reads: frozenset[str]  # the claim fields the rule's decision depends on
    # A cheap test on the sentence: when False, the rule cannot decide any mention in it
    # (None: the rule may decide in any sentence).
    precheck: Callable[[SentenceView], bool] | None
    # mention-level phases: MentionTest; clause: ClauseTest; article: see `analysis`.
    test: MentionTest | ClauseTest | None = None

    @property
    def label(self) -> str:
        """Return the rule's code and name, as reports print it."""
        return f"{self.code} {self.name}"


def _own_cues(mention: Mention) -> set[tuple[int, int]]:
    return {cue for cue, claims in mention.cues.items() if mention.claim.id in claims}


def _no_cue(mention: Mention) -> bool:
    return bool(mention.claim.about) and not _own_cues(mention)


def _claim_words(claim: Claim) -> frozenset[str]:
    """Return the lower-case words of a claim's question and cues."""
    return _words_of(claim.question, tuple(claim.about))


@functools.lru_cache(maxsize=4096)
def _words_of(question: str, about: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        w.lower() for text in (question, *about) for w in re.findall(r"[A-Za-z]+", text)
    )


def _cue_in_apposition(mention: Mention) -> bool:
    """Tell whether the words set off after a mention hold its claim's cue ("X, the CEO, said")."""
    text = mention.view.text
    if text[mention.end : mention.end + 1] != ",":
        return False
    closing = text.find(",", mention.end + 1)
    if closing < 0:
        return False
    return any(mention.end < cue[0] and cue[1] <= closing for cue in _own_cues(mention))


def _cue_as_title(mention: Mention) -> bool:
    """Tell whether the claim's cue is the speaker's title: "Argentina coach X said"."""
    text = mention.view.text
    return any(
        cue[1] <= mention.start and _TITLE_GAP.match(text[cue[1] : mention.start])
        for cue in _own_cues(mention)
    )


# Between a title and the name it introduces: nothing but a space or capitalised words.
_TITLE_GAP = re.compile(r"^\s(?:[A-Z][\w'’.-]*\s){0,2}$")


# Words that name one side of a contest before a cue: "the visitors' coach", "the away captain".
_SIDE_WORDS = frozenset(
    "home away visitors visiting hosts host opposing rival rivals opposition guests".split()
)
_MODIFIER_BEFORE = re.compile(r"((?:[\w'’.-]+\s+){1,4})$")
_MODIFIER_AFTER = re.compile(r"^\s+(?:of|for|at)\s+((?:the\s+)?(?:[A-Z][\w'’.-]*\s*){1,4})")


def _cue_owner(text: str, cue: tuple[int, int], mention: tuple[int, int]) -> tuple[str, bool]:
    """Return the words that say whose a cue is, and whether they name a party at all.

    The mention itself is never its cue's owner ("aimed at the United States").
    """
    low = max(0, cue[0] - 60)
    if mention[1] <= cue[0]:
        low = max(low, mention[1])
    before = _MODIFIER_BEFORE.search(text, low, cue[0])
    words = before.group(1).split() if before else []
    # Keep the modifier's tail: capitalised words, possessives and side words, read backwards.
    owner: list[str] = []
    for word in reversed(words):
        bare = word.lower().rstrip("'’s").rstrip("'’")
        if not (
            word[:1].isupper() or word.endswith(("'s", "’s", "s'", "s’")) or bare in _SIDE_WORDS
        ):
            break
        owner.insert(0, word)
    after = _MODIFIER_AFTER.match(text[cue[1] : cue[1] + 60])
    if (
        after is not None
        and cue[1] + after.start(1) < mention[1]
        and mention[0] < cue[1] + after.end(1)
    ):
        after = None
    phrase = " ".join(owner) + (" " + after.group(1) if after else "")
    # A capitalised sentence opener alone ("The coach") names no party.
    named = bool(phrase.strip()) and phrase.strip().lower() not in {"the", "a", "an"}
    return phrase, named


# A figure's owner: a possessive right before it ("Gálvez's 27.5%"), else its clause's subject.
_UPPER = "A-ZÀ-ÖØ-Þ"  # capitals, accented ones too ("Álvarez")
_POSSESSOR_BEFORE = re.compile(
    rf"([{_UPPER}][\w.-]*(?:\s+[{_UPPER}][\w.-]*)*)['’]s?\s+(?:[\w-]+\s+)?$"
)
_FIGURE_CLAUSE_BREAK = re.compile(
    r"[;:.!?]\s|\b(?:while|whereas|but|although|compared with|against|versus|vs\.?)\s|,\s+and\s"
)
_CLAUSE_SUBJECT = re.compile(
    rf"(?<![\w'’])([{_UPPER}][\w.-]*(?:\s+(?:[{_UPPER}][\w.-]*|de|del|la))*)"
)
_PREPOSITIONS = frozenset("in on at for from of by with after before during as".split())
_LEADING_WORDS = _PREPOSITIONS | frozenset("the a an this that it its their his her".split())


_OWNER_AFTER = re.compile(
    rf"^(?:\s+[\w-]+){{0,3}}?\s+(?:for|of)\s+(?:the\s+)?([{_UPPER}][\w.-]*(?:\s+[{_UPPER}][\w.-]*)*)"
)


def figure_owner(text: str, start: int, end: int) -> str | None:
    """Return the name a figure belongs to in its clause, if the clause names one.

    "a 16th Copa America for Argentina" (after it), "Gálvez's 27.5%" (a possessive), else the
    clause's subject ("Máynez, of Citizen Movement, won 10.6%").
    """
    after = _OWNER_AFTER.match(text[end : end + 80])
    if after is not None:
        return after.group(1)
    window = text[max(0, start - 200) : start]
    possessor = _POSSESSOR_BEFORE.search(window)
    if possessor is not None:
        return possessor.group(1)
    cut = 0
    for found in _FIGURE_CLAUSE_BREAK.finditer(window):
        cut = found.end()
    clause = window[cut:]
    for found in _CLAUSE_SUBJECT.finditer(clause):
        words = found.group(1).split()
        before = clause[: found.start()].split()
        if words[0].lower() in _PREPOSITIONS:
            continue  # "In Mexico City, …": a place, not the clause's subject
        if words[0].lower() in _LEADING_WORDS:
            words = words[1:]  # "The Morena candidate …", "In …": the run's first word opens it
            if not words or before:
                continue
        if before and before[-1].lower().rstrip(",") in _LEADING_WORDS:
            continue  # "in Mexico City", "for Morena": a place or a beneficiary, not the subject
        return " ".join(words)
    return None


def _figure_of_another(mention: Mention, subjects: list[str]) -> bool:
    owner = figure_owner(mention.view.text, mention.start, mention.end)
    if owner is None:
        return False
    lowered = owner.lower().strip(" .,")
    if lowered in mention.claim.question.lower():
        return False  # the question's own words ("Mexico's election") are not a rival
    owned = {word.strip(".,") for word in lowered.split()}
    return not any(owned & set(subject.split()) for subject in subjects)


def _other_party(mention: Mention) -> bool:
    subjects = [s.lower() for s in mention.subjects]  # the index's: `subject:` first
    if not subjects:
        return False
    if mention.claim.type != "text" and _figure_of_another(mention, subjects):
        return True  # "Máynez, of Citizen Movement, won 10.6%": not the winner's share
    owners = []
    for cue in anchors(mention):
        if cue == (mention.start, mention.end):
            return False  # no cue near: nothing says whose the value is
        phrase, named = _cue_owner(mention.view.text, cue, (mention.start, mention.end))
        lowered = phrase.lower()
        if any(subject in lowered or lowered.strip() in subject for subject in subjects if named):
            return False  # the subject's own cue
        owners.append(named)
    return bool(owners) and all(owners)


def _rival_cue(mention: Mention) -> bool:
    if not mention.claim.about or not mention.rivals:
        return False
    own = _own_cues(mention)
    if not own:
        return False
    ids = mention.rivals | {mention.claim.id}
    contested = {cue for cue, claims in mention.cues.items() if claims & ids}
    return not nearest(mention.view.text, (mention.start, mention.end), contested) & own


def anchors(mention: Mention) -> list[tuple[int, int]]:
    """Return where a mention's event is named: its claim's nearest cues, else the mention."""
    own = _own_cues(mention)
    if not own:
        return [(mention.start, mention.end)]
    return sorted(nearest(mention.view.text, (mention.start, mention.end), own))


def _years_of(mention: Mention) -> frozenset[str]:
    """Return the years of a typed claim's mention: those no other figure stands between.

    "412 MPs, just behind the 413 it achieved in 2001": 2001 is the 413's year, not the 412's.
    """
    text, found = mention.view.text, set()
    for year in YEAR_RE.finditer(text):
        if year.start() >= mention.end:
            between = text[mention.end : year.start()]
        elif year.end() <= mention.start:
            between = text[year.end() : mention.start]
        else:
            between = ""  # the year is the mention's own ("June 17, 2025")
        if not _FIGURE_BETWEEN.search(between):
            found.add(year.group())
    return frozenset(found)


# A figure other than a year: a run of digits that is not a four-digit year on its own.
_FIGURE_BETWEEN = re.compile(r"(?<![\w.,])(?!(?:19|20)\d{2}(?![\d,.]))\d[\d,.]*")


def _other_occasion(mention: Mention) -> bool:
    claim = mention.claim
    if claim.type == "date":
        # A date claim's value is itself a time: years in its sentence do not make the date
        # another occasion's; only occasion words and the claim's own markers do.
        if not (claim.other_occasions or (claim.when is None and mention.view.marks_occasion)):
            return False
        return all(
            other_occasion(
                mention.view.text,
                anchor,
                claim.other_occasions,
                None,
                occasion_words=claim.when is None,
            )
            for anchor in anchors(mention)
        )
    if claim.when is not None:
        # The claim names its occasion: a year near the cue decides, not the article's own
        # year, and occasion words ("the first summit") may be the occasion itself.
        if claim.type != "text":
            # A figure's own years decide: another figure's year is not this one's.
            years = _years_of(mention)
            if not (claim.other_occasions or years):
                return False
            return claim.when[:4] not in years or any(
                other_occasion(
                    mention.view.text, anchor, claim.other_occasions, None, occasion_words=False
                )
                for anchor in anchors(mention)
            )
        if not (claim.other_occasions or mention.view.years):
            return False
        return all(
            other_occasion(
                mention.view.text,
                anchor,
                claim.other_occasions,
                claim.when[:4],
                occasion_words=False,
            )
            for anchor in anchors(mention)
        )
    if not (claim.other_occasions or mention.view.marks_occasion):
        return False
    # An undated article's year is unknown; a question that names its year ("Who won Mexico's
    # 2024 election?") still places "the 2018 election" on another occasion.
    year = mention.year or question_year(claim.question)
    return all(
        other_occasion(mention.view.text, anchor, claim.other_occasions, year)
        for anchor in anchors(mention)
    )


@functools.cache
def question_year(question: str) -> str | None:
    """Return the one year a claim's question names, if it names exactly one."""
    years = set(YEAR_RE.findall(question))
    return years.pop() if len(years) == 1 else None


def _clause_bound(view: SentenceView, claim: Claim, mentions: list[ClauseMention]) -> set[str]:
    if not claim.about or not isinstance(claim, OneOfClaim):  # any-of names several at once
        return set()
    return clause_bound(view.text, [(m.value, m.span, m.cues) for m in mentions])


def _slot_filled(view: SentenceView, claim: Claim, mentions: list[ClauseMention]) -> set[str]:
    """Return the values that patterns put in the slot a text claim asks about."""
    if not claim.about or claim.type != "text":  # a figure is never a cue's agent
        return set()
    cues = {cue for m in mentions for cue in m.cues}
    if is_contest_claim(claim.about):  # "edged out" places its values as "beat" does
        cues.update(contest_cues(view.text))
    asked = asked_slot(claim.question)
    if asked is None:  # "Where …?", "At what level …?": no party to place
        return set()
    chosen, _ = decisive(
        view.text,
        [(m.value, m.span) for m in mentions],
        cues,
        asked is Slot.PATIENT,
        question_voice(claim.question),
    )
    return chosen


def _same_value_spans(mention: Mention) -> list[tuple[int, int]]:
    """Return where the sentence names the mention's value: "invited X …, which X accepted"."""
    text = mention.view.text
    aliases = next(
        (spec.aliases for spec in mention.claim.values.values() if mention.alias in spec.aliases),
        [mention.alias],
    )
    spans = {(mention.start, mention.end)}
    # Only within a cue's reach of the mention: a run-on sentence costs each mention that much.
    low, high = max(0, mention.start - _SAME_VALUE_REACH), mention.end + _SAME_VALUE_REACH
    for alias in aliases:
        at = text.find(alias, low, high)
        while at >= 0:
            end = at + len(alias)
            bounded = (at == 0 or not text[at - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            )
            if bounded and not any(s[0] <= at < s[1] or at <= s[0] < end for s in spans):
                spans.add((at, end))
            at = text.find(alias, at + 1, high)
    return sorted(spans)


_SAME_VALUE_REACH = 300


def _opposite_slot(mention: Mention) -> bool:
    claim = mention.claim
    if not claim.about or claim.type != "text" or not isinstance(claim, OneOfClaim):
        return False
    if any(ch.isdigit() for ch in mention.alias):
        return False  # a figure is what a verb states, never a party: "measuring 6.4"
    cues = _own_cues(mention)
    if is_contest_claim(claim.about):
        cues |= set(contest_cues(mention.view.text))
    asked = asked_slot(claim.question)
    if asked is None:
        return False
    patient = asked is Slot.PATIENT
    _, placed = decisive(
        mention.view.text,
        [(claim.id, span) for span in _same_value_spans(mention)],
        cues,
        patient,
        question_voice(claim.question),
    )
    slots = {p.slot for p in placed}
    # Only a verb's clear pattern: the mention fills the other slot and never the asked one.
    return bool(slots) and slots <= {Slot.AGENT, Slot.PATIENT} and asked not in slots


def _out_of_slot(view: SentenceView, claim: Claim, mentions: list[ClauseMention]) -> set[str]:
    if not isinstance(claim, OneOfClaim):  # an any-of claim's sentence may name several
        return set()
    chosen = _slot_filled(view, claim, mentions)
    return {m.value for m in mentions} - chosen if chosen else set()


def _undecided(view: SentenceView, claim: Claim, mentions: list[ClauseMention]) -> set[str]:
    if not isinstance(claim, OneOfClaim):
        return set()
    values = {m.value for m in mentions}
    if len(values) < 2:
        return set()
    spans = [m.span for m in mentions]
    if appositive(view.text, spans):
        return set()  # "in Astana, the capital": one place, named twice
    if values <= _slot_filled(view, claim, mentions):
        return set()  # each in the asked slot, or one list placed there ("chaired by A and B")
    if asked_slot(claim.question) is None and coordinated(view.text, spans):
        return set()  # no party asked ("How many were rescued?"): a list names them all
    return values


RULES: tuple[MentionRule, ...] = (
    MentionRule(
        "MR001",
        "name-part",
        Phase.DROP,
        10,
        MentionRole.DROPPED,
        "part of a longer name: the next word is a capitalised ordinary word "
        "(the Astana Times, Almaty Region), or the article's prose writes the two words as one "
        "name twice (the Toronto Raptors), which holds in its headlines too; a typed claim's "
        "figure starts no name",
        frozenset({"type"}),
        None,
        _name_part,
    ),
    MentionRule(
        "MR002",
        "speaker",
        Phase.DROP,
        20,
        MentionRole.SOURCE,
        "the speaker of reported speech is a source, not an answer (…, Wang Yi said), unless "
        "the claim asks for a source or the speaker's title or apposition is the claim's cue "
        "(Argentina coach X said; X, the company's chief executive, said)",
        frozenset({"question", "about"}),
        lambda view: view.reports_speech,
        lambda m: (
            is_attributed(m.view.text, m.start, m.end)
            and not asks_for_source(m.claim)
            and not _cue_in_apposition(m)
            and not _cue_as_title(m)
        ),
    ),
    MentionRule(
        "MR003",
        "date-range",
        Phase.DROP,
        30,
        MentionRole.DROPPED,
        "one end of a date range (June 16-18, from June 16 to 18)",
        frozenset(),
        None,
        lambda m: is_range_part(m.view.text, m.start, m.end),
    ),
    MentionRule(
        "MR004",
        "of-its-kind",
        Phase.DROP,
        40,
        MentionRole.DROPPED,
        "an idiom of novelty, not an answer (the first summit of its kind)",
        frozenset(),
        None,
        lambda m: is_idiom_part(m.view.text, m.end),
    ),
    MentionRule(
        "MR005",
        "measure",
        Phase.DROP,
        50,
        MentionRole.DROPPED,
        "a number followed by a unit of length, weight or speed that the claim does not "
        "speak of (a depth of 6.6 miles); a typed claim reads units itself",
        frozenset({"question", "about", "values", "type"}),
        None,
        # A typed claim reads units itself: 72 km states a `unit: km` value, 20 minutes no age.
        lambda m: m.claim.type == "text" and is_quantity_part(m.view.text, m.alias, m.end, m.claim),
    ),
    MentionRule(
        "MR006",
        "bearing",
        Phase.DROP,
        60,
        MentionRole.DROPPED,
        "a place named only as a bearing (11 miles north-east of Ridgecrest), unless the "
        "claim asks near which place (near, nearest, closest, off)",
        frozenset({"question", "about"}),
        None,
        lambda m: (
            is_reference_point(m.view.text, m.start) and not asks_for_reference_point(m.claim)
        ),
    ),
    MentionRule(
        "MR017",
        "conversion",
        Phase.DROP,
        70,
        MentionRole.DROPPED,
        "a sum in brackets right after another figure restates it in another currency: "
        "US$10 million ($15m), €1.8bn ($1.95bn)",
        frozenset(),
        None,
        lambda m: is_conversion(m.view.text, m.start, m.end),
    ),
    MentionRule(
        "MR019",
        "other-count",
        Phase.DROP,
        80,
        MentionRole.DROPPED,
        "an ordinal that counts something else: a run (a second straight title, the third "
        "consecutive term) unless the claim asks about one, or a noun right after it that "
        "neither the question nor the cues name (the second half, a second overtime period)",
        frozenset({"question", "about"}),
        None,
        lambda m: counts_something_else(
            m.view.text, m.start, m.end, m.claim.question, _claim_words(m.claim)
        ),
    ),
    MentionRule(
        "MR007",
        "no-cue",
        Phase.BIND,
        10,
        MentionRole.DROPPED,
        "the claim has cue words (about) and none is within reach in the sentence",
        frozenset({"about"}),
        None,
        _no_cue,
    ),
    MentionRule(
        "MR008",
        "rival-cue",
        Phase.BIND,
        20,
        MentionRole.DROPPED,
        "another claim matched the same words and its cue is nearer: the mention is that "
        "claim's (met in Almaty to prepare for the summit in Astana)",
        frozenset({"about"}),
        None,
        _rival_cue,
    ),
    MentionRule(
        "MR015",
        "other-party",
        Phase.BIND,
        30,
        MentionRole.DROPPED,
        "the claim names its subject (subject: [Atletico Sur, home], or a value of another claim "
        "its question names: 'the winning side, Argentina') and the cue nearest the mention "
        "belongs to another party: the visitors' coach, Rovers coach X, the coach of Rovers; "
        "a typed claim's figure whose owner is another party (Gálvez's 27.5%, Máynez won 10.6%)",
        frozenset({"subject", "about", "question"}),
        None,
        _other_party,
    ),
    MentionRule(
        "MR016",
        "other-slot",
        Phase.BIND,
        40,
        MentionRole.DROPPED,
        "the value fills the other slot of the claim's cue: the object where the claim asks "
        "for the subject (Xi invited Mishustin, for 'at whose invitation?'; Rivera beat Osei, "
        "for 'who won?'), or the reverse for a passive question",
        frozenset({"about", "kind", "question", "type"}),
        None,
        _opposite_slot,
    ),
    MentionRule(
        "MR009",
        "other-occasion",
        Phase.DEMOTE,
        10,
        MentionRole.OTHER_EVENT,
        "the cue's event is another occasion: an occasion word, an other_occasions word, "
        "last year's, or another year than the article's (the first summit, in Xi'an in 2023)",
        frozenset({"other_occasions", "about", "when", "type", "question"}),
        None,
        _other_occasion,
    ),
    MentionRule(
        "MR010",
        "earlier-figure",
        Phase.DEMOTE,
        20,
        MentionRole.OTHER_EVENT,
        "a superseded or past figure (down from an initial 6.6, grew from 3,330 to 3,377)",
        frozenset(),
        None,
        lambda m: is_earlier_figure(m.view.text, m.start, m.end),
    ),
    MentionRule(
        "MR018",
        "proposed-figure",
        Phase.DEMOTE,
        30,
        MentionRole.OTHER_EVENT,
        "a figure someone sought, requested or proposed, not the outcome: prosecutors sought "
        "30 years, the defence wanted a five-year term",
        frozenset(),
        None,
        lambda m: (
            (m.claim.type != "text" or any(ch.isdigit() for ch in m.alias))
            and is_proposed_figure(m.view.text, m.start)
        ),
    ),
    MentionRule(
        "MR011",
        "one-answer-per-clause",
        Phase.CLAUSE,
        10,
        MentionRole.DROPPED,
        "a one-of claim's value that reaches the cue only across a clause of its own, while "
        "another value sits in the cue's clause (chaired by A, which was attended by B)",
        frozenset({"about", "kind"}),
        None,
        _clause_bound,
    ),
    MentionRule(
        "MR013",
        "out-of-slot",
        Phase.CLAUSE,
        5,  # before MR011: a pattern against the cue is surer than clause distance
        MentionRole.DROPPED,
        "a one-of claim's value that a sentence names beside another, outside the slot the "
        "claim asks about: the object of the cue verb (X beat Y), the subject of a passive one "
        "(Y was beaten by X), the loser after 'victory over'; a passive question asks for that "
        "one instead (who was beaten?)",
        frozenset({"about", "kind", "question", "type"}),
        None,
        _out_of_slot,
    ),
    MentionRule(
        "MR014",
        "ambiguous",
        Phase.CLAUSE,
        30,
        MentionRole.AMBIGUOUS,
        "several values of a one-of claim are left in one sentence and nothing decides which "
        "answers it: each is shown with its competitors, none counts (CF012 says so)",
        frozenset({"kind"}),
        None,
        _undecided,
    ),
    MentionRule(
        "MR012",
        "provisional-count",
        Phase.ARTICLE,
        10,
        MentionRole.OTHER_EVENT,
        "a figure from a partial, unofficial or preliminary count, when the article also gives "
        "a firm one for the claim",
        frozenset(),
        None,
    ),
)
BY_CODE: dict[str, MentionRule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, MentionRule] = {rule.name: rule for rule in RULES}

# Fields the matcher itself reads, whatever rules are on: ids, aliases, cues and scopes.
MATCHER_READS = frozenset({"id", "values", "about", "scope", "type", "unit", "tolerance"})
# Fields per-article analysis never reads: they only change how findings are judged or shown.
NOT_ANALYSED = frozenset({"severity", "note", "sources", "examples", "expected", "changes"})


def resolve(names: Iterable[str]) -> frozenset[str]:
    """Return the codes of rules given by code or name; raise ValueError naming an unknown one."""
    codes = set()
    for name in names:
        rule = BY_CODE.get(name.upper()) or BY_NAME.get(name.lower())
        if rule is None:
            known = ", ".join(f"{r.code} ({r.name})" for r in RULES)
            raise ValueError(f"unknown mention rule {name!r}; known: {known}")
        codes.add(rule.code)
    return frozenset(codes)


@dataclass(frozen=True)
class RuleSet:
    """The mention rules switched on for a run, by phase in order."""

    disabled: frozenset[str] = frozenset()

    # Cached: the analysis asks for a phase's rules once per sentence.
    @cached_property
    def enabled(self) -> tuple[MentionRule, ...]:
        """Return the rules that are on, in phase order."""
        return tuple(
            sorted(
                (rule for rule in RULES if rule.code not in self.disabled),
                key=lambda rule: (PHASE_ORDER.index(rule.phase), rule.order),
            )
        )

    @cached_property
    def _phases(self) -> dict[Phase, tuple[MentionRule, ...]]:
        return {
            phase: tuple(rule for rule in self.enabled if rule.phase is phase) for phase in Phase
        }

    def phase(self, phase: Phase) -> tuple[MentionRule, ...]:
        """Return the enabled rules of one phase, in order."""
        return self._phases[phase]

    def passing(self, phase: Phase, view: SentenceView) -> tuple[MentionRule, ...]:
        """Return the enabled rules of one phase whose pre-check passes on a sentence."""
        rules = self._phases[phase]
        if not self._prechecked[phase]:  # no rule of the phase has a pre-check
            return rules
        return tuple(rule for rule in rules if rule.precheck is None or rule.precheck(view))

    @cached_property
    def _prechecked(self) -> dict[Phase, bool]:
        return {
            phase: any(rule.precheck is not None for rule in rules)
            for phase, rules in self._phases.items()
        }

    def on(self, code: str) -> bool:
        """Tell whether a rule is switched on."""
        return code not in self.disabled

    @property
    def reads(self) -> frozenset[str]:
        """Return the claim fields the matcher and the enabled rules read."""
        return MATCHER_READS.union(*(rule.reads for rule in self.enabled))


def claim_fields() -> frozenset[str]:
    """Return every field a claim of any kind can have."""
    return frozenset({*OneOfClaim.model_fields, *AnyOfClaim.model_fields})


def undeclared_fields(fields: Collection[str] | None = None) -> frozenset[str]:
    """Return claim fields that no rule declares and that are not marked as not analysed."""
    declared = MATCHER_READS.union(*(rule.reads for rule in RULES)) | NOT_ANALYSED
    return frozenset(fields if fields is not None else claim_fields()) - declared
