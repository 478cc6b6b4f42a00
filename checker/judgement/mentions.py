"""Mention roles: whether a mention of a value answers the claim, or only looks like it does.

A value's alias in a sentence is not always the sentence's answer:
- part of a longer name: "the Astana Times", "Almaty Region", "the Astana Declaration";
- the source of reported speech: "…, Wang Yi said", "according to Wang Yi";
- bound to another claim's cue: in "met in Almaty to prepare for the summit in Astana", Astana
  belongs to the summit, not to the meeting;
- about another occasion: "the first summit, held in Xi'an", "last year's meeting".
The first two are dropped; the last two are kept as evidence with their role, and do not count.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence

from checker.base.claims import Claim
from checker.base.lexicon import CALENDAR_WORDS, DATE_WORDS, WORD_RE, YEAR_RE
from checker.judgement.novelty import common_words
from checker.judgement.view import (
    CAPITALISED_RUN,
    CLAUSE_BREAK,
    CLAUSE_OPENER,
    OCCASION_WORDS,
    QUOTE_MARKS,
    SPEECH_VERBS,
    may_attribute,
)

# Heads of names built on a place or a person: "the Astana Declaration", "Almaty Oblast".
NAME_HEADS = frozenset(
    "declaration times post herald tribune gazette news daily region oblast province district "
    "street avenue square airport university college institute academy hotel club forum "
    "agreement treaty accord initiative international financial expo arena stadium station "
    "railway bank group company corporation museum marathon process format plan protocol "
    "charter hub centre center city port zone".split()
)
# A city's name before these still says where something happened: "the Astana Summit".
EVENT_HEADS = frozenset("summit meeting talks conference session visit round".split())
_WORD = WORD_RE
_BREAK = CLAUSE_BREAK
_CLAUSE_OPENER = CLAUSE_OPENER
# A verb right after a mention (or after one word: "21 workers were") makes it a subject.
_VERB_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:were|was|are|is|had|have|has|remain|remained|died|suffered)\b"
)
_YEAR = YEAR_RE
# "since" and the rest of its clause: the years in it are a past starting point.
_SINCE = re.compile(r"\bsince\b[^,.;:!?\n]{0,150}", re.IGNORECASE)
_CITED_BEFORE = re.compile(
    r"\b(?:[Aa]ccording to|[Cc]iting|[Aa]s reported by|[Aa]s told by)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’.-]*\s+)*$"
)
_OF_ITS_KIND = re.compile(r"\s+of (?:its|their) kind\b")
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\]\"'”’]|$)")
_RANGE_AFTER = re.compile(r"\s*(?:-|–|—|to|through|until|till)\s*\d{1,2}\b")
_RANGE_BEFORE = re.compile(r"\b\d{1,2}\s*(?:-|–|—|to|through|until|till)\s*$")
# Units of measure, by dimension, and the words a claim about that dimension would use. Time,
# counts, money and percentages are left out: "killed 20 people", "grew 6.4 percent" and "2
# days" are often written with a bare number alias.
_DIMENSIONS = {
    "length": (
        "mile miles mi km kilometer kilometers kilometre kilometres meter meters metre metres m "
        "ft feet foot inch inches cm mm",
        "deep depth far distance long length high height wide width tall altitude elevation away",
    ),
    "weight": ("kg kilogram kilograms tons ton tonnes tonne pounds lb lbs", "weigh weight heavy"),
    "speed": ("mph kph knots knot", "fast speed"),
}
_UNIT_DIMENSION = {unit: dim for dim, (units, _) in _DIMENSIONS.items() for unit in units.split()}
_UNIT_AFTER = re.compile(r"[\s-]*(?:\(\s*)?([A-Za-z]+)\b")
_BEARING_BEFORE = re.compile(
    r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:-?(?:north|south)(?:-?(?:east|west))?)?"
    r"\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_EARLIER_BEFORE = re.compile(
    r"\b(?:(?:down|up|revised|lowered|raised|upgraded|downgraded|cut|increased|reduced)\s+from"
    r"|initial(?:ly)?|originally|previously\s+(?:reported|estimated|put)"
    r"|since\s+an?)"
    r"(?:\s+(?!to\b)[\w.'’-]+){0,4}\s+$",
    re.IGNORECASE,
)
_CHANGED_TO = re.compile(r"(?:\s+[\w.,]+){0,4}?\s+to\s+[$€£]?\d")
_PROVISIONAL = re.compile(
    r"\b(?:partial|unofficial|preliminary|provisional|interim|early|initial|earlier)\b"
    r"(?:[\s,]+[\w'’-]+){0,3}?[\s,]+(?:tally|tallies|count|counts|results?|returns|figures?|"
    r"estimates?|data|toll)\b",
    re.IGNORECASE,
)
_AROUND = 300  # characters read on each side of a mention for its role (a clause or two)
_BREAK_PENALTY = 8  # words a clause break counts for when binding a mention to a cue
_APPOSITIVE_WORDS = 25
_WINDOW_BEFORE = 5
_WINDOW_AFTER = 3


def _words_between(text: str, start: int, end: int) -> int:
    gap = text[start:end]
    return len(_WORD.findall(gap)) + _BREAK_PENALTY * len(_BREAK.findall(gap))


def cue_distance(text: str, mention: tuple[int, int], cue: tuple[int, int]) -> int:
    """Return how far a cue stands from a mention, in words; clause breaks count extra."""
    if cue[1] <= mention[0]:
        return _words_between(text, cue[1], mention[0])
    if mention[1] <= cue[0]:
        return _words_between(text, mention[1], cue[0])
    return 0


def nearest(
    text: str, mention: tuple[int, int], cues: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Return the cues nearest a mention (several when tied)."""
    # On one side of the mention a farther cue's gap holds the nearer one's, so its distance is
    # never smaller: walk each side outwards and stop past the best. Linear, not cues x text.
    inside, left, right = _sides(mention, cues)
    best: int | None = 0 if inside else None
    chosen = set(inside)
    for side in (left, right):
        for cue in side:
            distance = cue_distance(text, mention, cue)
            if best is not None and distance > best:
                break
            if best is None or distance < best:
                best, chosen = distance, {cue}
            else:
                chosen.add(cue)
    return chosen


def _sides(
    mention: tuple[int, int], cues: Iterable[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """Split cues into those overlapping a mention and those before and after it, nearest first."""
    inside, before, after = [], [], []
    for cue in cues:
        if cue[1] <= mention[0]:
            before.append(cue)
        elif mention[1] <= cue[0]:
            after.append(cue)
        else:
            inside.append(cue)
    return inside, sorted(before, key=lambda c: -c[1]), sorted(after)


def in_same_clause(text: str, mention: tuple[int, int], cue: tuple[int, int]) -> bool:
    """Tell whether no clause of its own opens between a mention and a cue."""
    if cue[1] <= mention[0] and _opens_clause(text, mention):
        return False  # "Of the 28 workers rescued, 21 were critical": 21 heads its own clause
    gap = (cue[1], mention[0]) if cue[1] <= mention[0] else (mention[1], cue[0])
    return gap[0] >= gap[1] or not _CLAUSE_OPENER.search(text[gap[0] : gap[1]])


def _opens_clause(text: str, mention: tuple[int, int]) -> bool:
    """Tell whether a mention is the subject of a clause that opens after a comma."""
    before = text[max(0, mention[0] - 20) : mention[0]]  # not the whole run-on sentence
    return before.rstrip().endswith(",") and bool(_VERB_AFTER.match(text, mention[1]))


def clause_bound(
    text: str, mentions: list[tuple[str, tuple[int, int], list[tuple[int, int]]]]
) -> set[str]:
    """Return the values to drop when one sentence names several answers to one claim.

    `mentions` holds each mention's value, span and the claim's cues within its reach.
    """
    # "The meeting was chaired by A, which was attended by B": the cue binds A in its own clause;
    # B reaches it only across a relative clause, so B answers another question. A value goes
    # only when another is bound in-clause and none of its own mentions is.
    bound = {value for value, span, cues in mentions if _bound_in_clause(text, span, cues)}
    if not bound:
        return set()
    return {value for value, _, _ in mentions} - bound


def _bound_in_clause(text: str, mention: tuple[int, int], cues: list[tuple[int, int]]) -> bool:
    # A farther cue on the same side crosses every break the nearer one does: the nearest cue
    # on each side decides, so the test stays linear in a run-on sentence.
    inside, before, after = _sides(mention, cues)
    return bool(inside) or any(
        in_same_clause(text, mention, side[0]) for side in (before, after) if side
    )


def is_name_part(text: str, end: int) -> bool:
    """Tell whether the mention ending at `end` is the start of a longer capitalised name.

    "Astana Times", "Almaty Region", "Astana International Financial Centre": the next word
    is capitalised and is an ordinary English word, so together they name something else.
    "Xi Jinping" stays Xi: "Jinping" is not an ordinary word. Days and months do not count.
    """
    following = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if following is None:
        return False
    word = following.group()
    lower = word.lower()
    if not word[:1].isupper() or lower in CALENDAR_WORDS or lower in EVENT_HEADS:
        return False
    return lower in NAME_HEADS or lower in common_words()


def is_attributed(text: str, start: int, end: int) -> bool:
    """Tell whether the mention names the speaker: "X said", "X, a …, said", "…, said X".

    "according to X" and "citing X" too. What the quote says still counts; who says it does not.
    """
    after = text[end : end + _AROUND]
    first = _WORD.match(after.lstrip())
    if first is not None and first.group().lower() in SPEECH_VERBS:
        return True
    if after.startswith(","):  # an appositive: "Wang Yi, a member of …, said"
        closing = after.find(",", 1)
        if closing > 0 and len(_WORD.findall(after[1:closing])) <= _APPOSITIVE_WORDS:
            verb = _WORD.match(after[closing + 1 :].lstrip())
            if verb is not None and verb.group().lower() in SPEECH_VERBS:
                return True
    window = max(0, start - _AROUND)  # a run-on sentence must not cost its length per mention
    if _CITED_BEFORE.search(text, window, start):  # "according to (the) Foreign Minister X"
        return True
    before = _WORD.findall(text, window, start)[-6:]
    lowered = [w.lower() for w in before]
    # "…, said Chinese Foreign Minister Wang Yi." ends its clause with the speaker's name;
    # in "Lin said President Xi will speak" the name opens the reported clause instead.
    if not _CLAUSE_END.match(after):
        return False
    for i in range(len(lowered) - 1, -1, -1):
        if lowered[i] in SPEECH_VERBS:
            return all(w[:1].isupper() for w in before[i + 1 :])
        if not before[i][:1].isupper():
            break
    return False


_MASK_MAX_CHARS = 1_000


def mask_speakers(text: str) -> str:
    """Blank out the speakers of quoted speech: a source is not what a sentence is about.

    "…, Bruce added." names no new subject; the stray test reads the sentence without "Bruce".
    """
    # Direct speech only: in "X announced a plan in Y" the speaker is also the actor. A run-on
    # "sentence" longer than any real one is left as it is: each test reads the whole text.
    if len(text) > _MASK_MAX_CHARS or not QUOTE_MARKS.intersection(text):
        return text
    if not may_attribute(text):
        return text
    masked = text
    for run in CAPITALISED_RUN.finditer(text):
        if is_attributed(text, run.start(), run.end()):
            masked = masked[: run.start()] + "x" * (run.end() - run.start()) + masked[run.end() :]
    return masked


_SOURCE_QUESTION = re.compile(
    r"\b(?:account|accounts|source|sources|said|say|says|statement|announc\w*|report\w*|"
    r"according|spokes\w*|told|quoted?|cited?)\b",
    re.IGNORECASE,
)


def asks_for_source(claim: Claim) -> bool:
    """Tell whether a claim's answer is who said something ("Which body gave the account?").

    For such a claim the speaker of reported speech is the answer, not a mere source.
    """
    return any(_SOURCE_QUESTION.search(text) for text in (claim.question, *claim.about))


def is_range_part(text: str, start: int, end: int) -> bool:
    """Tell whether a date mention is one end of a range: "June 16-18", "from June 16 to 18"."""
    # Only a date makes a range: "from 38 to 44" and "Nov. 17 to 3,377" are changes of a count.
    words = {w.lower().rstrip(".") for w in _WORD.findall(text[start:end])}
    if words.isdisjoint(DATE_WORDS):
        return False
    if _RANGE_AFTER.match(text, end):
        return True
    return _RANGE_BEFORE.search(text, max(0, start - 40), start) is not None


def is_quantity_part(text: str, alias: str, end: int, claim: Claim) -> bool:
    """Tell whether a number's mention is a measure the claim does not ask about.

    "a depth of 6.6 miles" does not answer "magnitude 6.6", unless the claim speaks of length
    (its question, aliases or cues use a unit or a word such as "depth" or "far").
    """
    if not alias[-1:].isdigit():
        return False
    unit = _UNIT_AFTER.match(text, end)
    dimension = _UNIT_DIMENSION.get(unit.group(1).lower()) if unit else None
    if dimension is None:
        return False
    units, words = _DIMENSIONS[dimension]
    spoken = claim_words(claim)
    return spoken.isdisjoint(units.split()) and spoken.isdisjoint(words.split())


def claim_words(claim: Claim) -> frozenset[str]:
    """Return the lowercased words of a claim's question, aliases and cues."""
    parts = [
        claim.question,
        *claim.about,
        *(alias for _, alias in claim.alias_pairs()),
    ]
    return frozenset(w.lower() for part in parts for w in _WORD.findall(part))


# A figure in brackets right after another figure: "US$10 million ($15m)", "45 miles (72 km)".
_GLOSS_BEFORE = re.compile(
    r"\d[\d.,]*\s*(?:[A-Za-z]{1,12}\.?)?\s*[(\[]\s*(?:about|around|some|or)?\s*$"
)
_MONEY_START = re.compile(r"[A-Z]{0,3}[$€£¥₹]")
_GLOSS_AFTER = re.compile(r"^[^()\[\]]{0,30}[)\]]")


def is_conversion(text: str, start: int, end: int) -> bool:
    """Tell whether a sum restates the figure before it in brackets: "US$10 million ($15m)"."""
    # Money only: a unit's gloss ("45 miles (72 km)") may be the very figure a claim asks for.
    if not _MONEY_START.match(text, start, end):
        return False
    return bool(
        _GLOSS_BEFORE.search(text, max(0, start - 40), start) and _GLOSS_AFTER.match(text[end:])
    )


# A figure someone asked for, not the one decided: "prosecutors sought 30 years", "the defence
# wanted a five-year term", "requested a sentence between 4.25 and 5.25 years".
_PROPOSED_BEFORE = re.compile(
    r"\b(?:sought|seek|seeks|seeking|asked\s+for|asking\s+for|asks\s+for|requested|requesting|"
    r"requests|wanted|wanting|wants|hoped|hoping|hopes|urged|urging|urges|recommended|"
    r"recommending|recommends|proposed|proposing|proposes|demanded|demanding|demands|"
    r"called\s+for|calling\s+for|pushed\s+for|pushing\s+for|argued\s+for)\b"
    r"(?:\s+(?![\w'’-]*[.;:!?])[\w'’,$€£.-]+){0,9}?\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def is_proposed_figure(text: str, start: int) -> bool:
    """Tell whether a figure is one someone sought or proposed, not the outcome."""
    window = text[max(0, start - 100) : start]
    cut = max(window.rfind(";"), window.rfind("."), window.rfind(":"))
    return bool(_PROPOSED_BEFORE.search(window[cut + 1 :] if cut >= 0 else window))


# An ordinal that counts a run, not the count a claim asks: "a second straight title".
_STREAK_AFTER = re.compile(
    r"(?:\s*-\s*|\s+)(?:straight|consecutive|successive|running|back-to-back)\b"
    r"|\s+(?:[\w-]+\s+){0,2}in\s+a\s+row\b",
    re.IGNORECASE,
)
_STREAK_QUESTION = re.compile(
    r"\b(?:straight|consecutive|successive|running|in a row|back-to-back|streak)\b",
    re.IGNORECASE,
)
_ORDINAL_MENTION = re.compile(
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|\w+teenth|\w+tieth)$",
    re.IGNORECASE,
)


def counts_something_else(
    text: str, start: int, end: int, question: str, claim_words: frozenset[str]
) -> bool:
    """Tell whether an ordinal counts something the claim does not ask about.

    A run ("a second straight title") unless the question asks about one, or another noun
    written right after it ("the second half", "a second overtime period") that neither the
    question nor the cues name. "Time" counts occurrences of the claim's own event.
    """
    if not _ORDINAL_MENTION.fullmatch(text, start, end):
        return False  # "January 18th" is a date, not a count
    if _STREAK_AFTER.match(text, end):
        return not _STREAK_QUESTION.search(question)
    following = _NOUN_AFTER.match(text, end)
    if following is None:
        return False
    noun = following.group(1).lower()
    if noun in _FUNCTION_WORDS or noun in _OCCURRENCE:
        return False  # "the second when …", "the 16th time": no other noun is counted
    return noun not in claim_words and noun.removesuffix("s") not in claim_words


_NOUN_AFTER = re.compile(r"[\s-]+([a-z]{3,})\b")
_FUNCTION_WORDS = frozenset(
    "the and for when with from that this than was were has have had but into over after "
    "before since while who which where what whose are its their his her our was".split()
)
_OCCURRENCE = frozenset(
    "time times occasion consecutive straight successive place largest biggest highest "
    "most best".split()
)


_NEAR_QUESTION = re.compile(r"\b(?:near|nearest|closest|close to|off|from which)\b", re.IGNORECASE)


def asks_for_reference_point(claim: Claim) -> bool:
    """Tell whether a claim asks for the place a bearing is taken from ("Near which town?")."""
    return any(_NEAR_QUESTION.search(text) for text in (claim.question, *claim.about))


def is_reference_point(text: str, start: int) -> bool:
    """Tell whether a place is named only as a bearing: "11 miles northeast of Ridgecrest"."""
    return _BEARING_BEFORE.search(text, max(0, start - 40), start) is not None


def is_earlier_figure(text: str, start: int, end: int) -> bool:
    """Tell whether a mention is a superseded or a past figure, not the article's own.

    "down from an initial estimate of 6.6", "initially reported as a magnitude 6.6", "the
    strongest since a 7.1 quake", "his lead grew from 3,330 on Nov. 17 to 3,377": shown as
    evidence, not counted.
    """
    if _EARLIER_BEFORE.search(text, max(0, start - 60), start) is not None:
        return True
    return (
        text.endswith(("from ", "from\u00a0"), 0, start)
        and _CHANGED_TO.match(text, end) is not None
    )


# What makes a figure not final wherever it is stated: a partial or unofficial count, an exit
# poll, a projection, a count "so far", "at least" a number. Narrower than `_PROVISIONAL`
# ("earlier" or "early" alone date a figure, they do not make it provisional).
_PROVISIONAL_FIGURE = re.compile(
    r"\b(?:partial|preliminary|provisional|unofficial|interim|exit polls?|projections?|"
    r"projected|quick counts?|(?:early|initial|first) (?:results|returns|counts?|tall(?:y|ies)|"
    r"figures|estimates)|so far|as of|at least|with (?:about |nearly |over |more than )?"
    r"\d+(?:\.\d+)? ?(?:%|percent|per cent) of (?:the )?(?:votes?|ballots|precincts|polling "
    r"stations) (?:counted|tallied|processed|reporting|in))\b",
    re.IGNORECASE,
)


def is_provisional_figure(text: str) -> bool:
    """Tell whether a sentence marks its figures as not final: "with 60% of ballots counted"."""
    return _PROVISIONAL_FIGURE.search(text) is not None


def is_provisional(text: str) -> bool:
    """Tell whether a sentence reports a provisional count: "a partial, unofficial tally"."""
    return _PROVISIONAL.search(text) is not None


def other_occasion(
    text: str,
    cue: tuple[int, int],
    extra: Sequence[str],
    article_year: str | None,
    *,
    occasion_words: bool = True,
) -> bool:
    """Tell whether the event a cue names is another occasion than the article's own.

    Signals near the cue (five words before, three after, within its clause): an occasion word
    ("the first summit", "the upcoming meeting", "hosted the first gathering"), one of the
    claim's own `other_occasions` words, "last year's", or a year other than the article's.
    """
    words = {w.lower() for w in extra}
    # A clause or two around the cue: a run-on sentence must not cost its length per cue.
    before = text[max(0, cue[0] - _AROUND) : cue[0]]
    clause_start = max((m.end() for m in _BREAK.finditer(before)), default=0)
    after = text[cue[1] : cue[1] + _AROUND]
    clause_end = min((m.start() for m in _BREAK.finditer(after)), default=len(after))
    window = [
        *_WORD.findall(before[clause_start:])[-_WINDOW_BEFORE:],
        *_WORD.findall(after[:clause_end])[:_WINDOW_AFTER],
    ]
    lowered = [w.lower().replace("’", "'") for w in window]
    novelty = _OF_ITS_KIND.match(text, cue[1]) is not None  # "the first summit of its kind"
    for i, word in enumerate(lowered):
        following = lowered[i + 1] if i + 1 < len(lowered) else ""
        if word in words or word.removesuffix("'s") in words:
            return True
        if not occasion_words:
            continue
        if word in OCCASION_WORDS and following != "time" and not novelty:
            return True
        if word == "last" and following.startswith(("year", "month", "week")):
            return True
    phrase = " ".join(lowered)
    if any(" " in w and w in phrase for w in words):
        return True
    if article_year is None:
        # Undated copy: an event inside a "since …" span that names a year is the past the
        # article looks back on ("Since the summit was held in Xi'an in May 2023, …").
        spans = _since_spans(text)  # found once per sentence, not once per cue
        at = bisect.bisect_right(spans, (cue[0], len(text))) - 1
        return at >= 0 and cue[0] < spans[at][1] and bool(_YEAR.search(text, *spans[at]))
    if article_year is not None:
        scope = before[clause_start:] + text[cue[0] : cue[1]] + after[:clause_end]
        clause_offset = max(0, cue[0] - _AROUND) + clause_start
        # The cue's clause, else its sentence: "From May 18 to 19, 2023, China hosted …".
        # The cue's clause, else the years that place an event in the sentence ("in 2023",
        # "on May 18, 2023"); a year inside "since …" is the past looked back on, and an
        # attributive one ("the 2016 quake", "FTX's 2022 collapse") dates its own noun.
        looked_back = _since_spans(text)
        years = {
            m.group()
            for m in _YEAR.finditer(scope)
            if not _inside(clause_offset + m.start(), looked_back)
            and not _dates_another_noun(text, clause_offset + m.start(), cue)
        } or _placing_years(text)
        if years and article_year not in years:
            return True
    return False


# A year that places an event: "in 2023", "during 2019", "on May 18, 2023", "in May 2023".
_PLACING_YEAR = re.compile(
    r"(?:\b(?:in|on|during|of|from|until|by)\s+(?:(?:early|late|mid)[- ]?)?|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|to)\s*\d{1,2})?,?\s+)?)"
    r"((?:19|20)\d{2})\b",
    re.IGNORECASE,
)


_PLACING_THE = re.compile(r"\b(?:in|at|during)\s+the\s+$", re.IGNORECASE)
# "the 2019 crisis", "FTX's 2022 collapse": a year written as a noun's modifier.
_ATTRIBUTIVE = re.compile(r"(?:\b(?:the|a|an|its|their)|\w'?s)\s+$", re.IGNORECASE)


def _dates_another_noun(text: str, at: int, cue: tuple[int, int]) -> bool:
    """Tell whether the year at `at` modifies a noun other than the cue ("the 2019 crisis")."""
    if not _ATTRIBUTIVE.search(text, max(0, at - 12), at):
        return False
    if _PLACING_THE.search(text, max(0, at - 16), at):
        return False  # "came in the 2001 Copa America": the year's noun is the occasion
    after = at + 4
    if after >= len(text) or text[after] != " " or not text[after + 1 : after + 2].isalpha():
        return False
    return after + 1 != cue[0]  # "the 2019 summit" dates the cue's own event


@functools.lru_cache(maxsize=64)
def _since_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _SINCE.finditer(text))


def _inside(at: int, spans: tuple[tuple[int, int], ...]) -> bool:
    """Tell whether an offset lies inside one of sorted, non-overlapping spans."""
    found = bisect.bisect_right(spans, (at, len(spans) and spans[-1][1] + 1)) - 1
    return found >= 0 and at < spans[found][1]


@functools.lru_cache(maxsize=64)
def _placing_years(text: str) -> frozenset[str]:
    """Return the years that place an event in a sentence, not those looked back on."""
    looked_back = _since_spans(text)
    return frozenset(
        m.group(1) for m in _PLACING_YEAR.finditer(text) if not _inside(m.start(1), looked_back)
    )


def article_year(metadata: dict[str, str], text: str = "") -> str | None:
    """Return the year the article was written in: its date's or its dateline's, else None.

    Never guessed from the years the copy names: "the highest turnout since 1997" or "in
    2019, when …" are history, and a guess from them made an article a 1998 article and
    dropped its right answers as another occasion's. `text` is accepted and ignored.
    """
    for key in ("date", "dateline_date"):
        found = _YEAR.search(metadata.get(key, ""))
        if found is not None:
            return found.group()
    return None


def is_idiom_part(text: str, end: int) -> bool:
    """Tell whether a mention opens "… of its kind": "the first summit of its kind" is novelty."""
    return _OF_ITS_KIND.match(text, end) is not None
