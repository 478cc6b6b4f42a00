"""Who does what in a clause: the agent and the patient of a claim's cue.

When one sentence names several values of a one-of claim, only the one in the slot the claim
asks about answers it. "Real Madrid beat Liverpool": for "Which club won?" (cue "beat") the
answer is the subject of the cue verb, Real Madrid; Liverpool is its object. The patterns read
here are positional and deterministic, and decide only when a value sits right against the cue:

- active verb: "X beat Y", "X narrowly beat Y", "X, who scored": X is the agent, Y the patient;
- passive verb: "Y was beaten by X": X is the agent, Y the patient;
- possessive noun: "X's victory", "X's 59th-minute winner": X is the agent;
- noun with a preposition: "a goal by X", "a strike from X" (agent); "victory over Y",
  "win against Y" (patient);
- apposition: "the winner, X" and "X, the winner": X is the cue's own referent.

The question says which slot it asks about (`asked_slot`): a wh-subject or "whose" question the
agent, a passive ("Who was beaten?") or object question ("Which club did Madrid beat?") the
patient, and "where", "at what level" or "how many" no party at all. A referent answers either.
Converse verbs ("elected", "awarded", "lost") swap the slots against a question whose verb gains
something or is converse itself (`question_voice`).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

from checker.base.lexicon import WORD_RE


class Slot(StrEnum):
    """The part a value plays in the event its cue names."""

    AGENT = "agent"
    PATIENT = "patient"
    REFERENT = "referent"  # the cue's own referent: "the winner, X"


class Placed(NamedTuple):
    """A value's mention, placed in the slot a cue opens."""

    value: str
    slot: Slot
    cue: tuple[int, int]
    at: int = -1  # the mention's index among the sentence's mentions, in text order


class _Mentions(NamedTuple):
    """A sentence's mentions in text order, with their starts and ends for bisection."""

    ordered: list[tuple[str, tuple[int, int]]]
    starts: list[int]
    ends: list[int]


# Irregular past forms and base forms that are verbs when they stand after a name.
_IRREGULAR_VERBS = frozenset(
    "won win beat beats struck strike led lead took take held hold met meet overcame overcome "
    "saw see bought buy sold sell ran run fell fall lost lose shot hit made make put set got "
    "gave give chose choose swept sweep broke break stole steal drew draw rode ride".split()
)
# Third-person present forms that news copy and headlines use as verbs.
_PRESENT_VERBS = frozenset(
    "wins beats hosts leads scores defeats takes claims tops sees meets visits signs buys "
    "acquires names elects appoints awards chairs heads joins replaces succeeds becomes holds "
    "retains keeps seals clinches secures lifts captures welcomes receives hands gives "
    "nets strikes fires grabs snatches sentences convicts acquits jails fines orders "
    "rules finds sides backs picks chooses nominates crowns".split()
)
# Words that make the next word a noun, not a verb: "the win", "a goal", "their victory".
_DETERMINERS = frozenset(
    "a an the this that these those his her its their our my your whose every each no "
    "another first second third final late early".split()
)
# Between a subject and its verb: auxiliaries, modals and adverbs ("have finally beaten").
_AUXILIARIES = frozenset(
    "has have had will would could should can may might must did does do also then finally "
    "eventually duly ultimately again once just both still already only comfortably "
    "narrowly".split()
)
_BE_FORMS = frozenset("is are was were be been being get got gets getting".split())
# A form of "be" (and adverbs) right before a cue verb makes it passive: "was narrowly beaten".
_PASSIVE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|got|gets|getting)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
_RELATIVE = re.compile(r"^\s*,\s*(?:who|which|that)\s+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^['’]s?(?:\s+[\w'’.-]+){0,3}\s+$")
_AGENT_PREPOSITION = re.compile(r"^\s+(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_PATIENT_PREPOSITION = re.compile(r"^\s+(?:over|against)\s+(?:the\s+)?$", re.IGNORECASE)
_BY_AFTER = re.compile(r"^(?:\s+[\w'’-]+){0,2}?\s+by\s+(?:the\s+)?$", re.IGNORECASE)
# Words that end a noun phrase: past them the value is not the verb's object.
_NOT_IN_OBJECT = (
    r"(?:in|on|at|for|to|from|with|by|of|and|or|but|as|after|before|than|that|which|who|"
    r"when|while|into|over|against|its|their|his|her|is|are|was|were|has|have|had|will)"
)
# The object may follow a determiner and a few words of its own noun phrase ("buy U.S. shale
# driller Pioneer", "invited Russian Prime Minister Mishustin"), never a preposition or a verb.
_OBJECT_GAP = re.compile(
    rf"^\s+(?:(?:the|a|an)\s+)?(?:(?!{_NOT_IN_OBJECT}\s)[\w'’.-]+\s+){{0,4}}$", re.IGNORECASE
)
# "X, the winner" (X before its apposition) and "the winner, X" (after it).
_APPOSITION_BEFORE = re.compile(
    r"^\s*,\s+(?:the|a|an|this|that)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE
)
_APPOSITION_AFTER = re.compile(r"^\s*,\s+$")
# Between the items of one list, or a name and its apposition ("Astana, the capital"): the
# values fill one slot together.
_LIST_GAP = re.compile(
    r"^\s*(?:,\s*(?:and\s+|or\s+|the\s+|an?\s+)?|and\s+|or\s+|&\s+|as well as\s+)?$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(r"(?:^|\s)([\w'’]+)\s+$")

# Verbs of winning a contest over someone: their subject is the winner, their object the loser.
# A claim cued by one of them ("beat") is about the contest, and any of them places its values.
_CONTEST_STEMS = (
    "beat beats beaten beating defeat defeats defeated defeating edge edges edged edging "
    "overcome overcomes overcame overcoming down downs downed downing thrash thrashes thrashed "
    "thrashing rout routs routed routing outclass outclassed outplay outplayed stun stuns "
    "stunned upset upsets topple topples toppled crush crushes crushed hammer hammers hammered "
    "sink sinks sank sunk eliminate eliminates eliminated eliminating oust ousts ousted pip "
    "pips pipped trounce trounced outscore outscored outpolled outpoll unseat unseated "
    "overpower overpowered"
).split()
_CONTEST_WORDS = frozenset(_CONTEST_STEMS)
_CONTEST_VERB = re.compile(
    r"\b(?:"
    + "|".join(sorted(_CONTEST_STEMS, key=len, reverse=True))
    + r")\b(?:\s+(?:out|off|past))?",
    re.IGNORECASE,
)


def is_contest_claim(about: Iterable[str]) -> bool:
    """Tell whether a claim's cues name winning over someone ("beat", "defeated")."""
    return any(cue.lower() in _CONTEST_WORDS for cue in about)


def contest_cues(text: str) -> list[tuple[int, int]]:
    """Return the spans of verbs of winning over someone in a sentence."""
    return [found.span() for found in _CONTEST_VERB.finditer(text)]


# "Which club did Real Madrid beat?", "Who did Xi meet?": the wh-word is the verb's object.
_OBJECT_QUESTION = re.compile(
    r"^\s*(?:who|whom|which|what)\b(?:\s+[\w'’-]+){0,2}?\s+(?:did|does|do|will)\s+"
    r"(?:the\s+|a\s+|[A-Z])",
    re.IGNORECASE,
)
# Verbs that swap the roles a question's own verb gives: voters "elected" the one who "won", a
# jury "awarded" the one who "won" damages, and the one who "lost" is whom the winner "beat".
_CONVERSE = frozenset(
    "lost lose loses losing conceded concedes elect elects elected electing re-elect "
    "re-elected appoint appoints appointed appointing name names named naming choose chooses "
    "chose chosen choosing pick picks picked picking nominate nominates nominated nominating "
    "crown crowns crowned award awards awarded awarding grant grants granted give gives gave "
    "given giving hand hands handed select selects selected install installed swore "
    "sworn".split()
)
_CONVERSE_WORD = re.compile(r"\b(?:" + "|".join(sorted(_CONVERSE, key=len, reverse=True)) + r")\b")


_WH_SUBJECT = re.compile(
    r"^\s*(?:who|which|what)\b(?:\s+(?!did\b|does\b|do\b|will\b|was\b|were\b|is\b|are\b)"
    r"[a-z][\w'’-]*){0,2}\s+(?:[a-z]+ed|won|beat|led|held|took|gave|made|said|became|told|"
    r"found|chose|sold|bought|met|saw|struck|ran|fell|lost|shot|hit|set|put|got|came|went|has|"
    r"have|had|is|are|was|were|[a-z]+s)\b",
    re.IGNORECASE,
)
_WH_PASSIVE = re.compile(
    r"^\s*(?:who|which|what)\b(?:\s+[a-z][\w'’-]*){0,2}?\s+(?:is|are|was|were|has been|"
    r"have been|had been|got)\s+(?:\w+ly\s+)?(?:\w+ed|\w+en|won|beat|led|held|chosen|named|"
    r"shot|hit|set|made|sworn)\b",
    re.IGNORECASE,
)
_WHOSE = re.compile(r"^\s*(?:\w+\s+){0,2}whose\b", re.IGNORECASE)


def asked_slot(question: str) -> Slot | None:
    """Return the slot a claim's question asks about, or None when it asks for neither.

    "Who won?" and "At whose invitation …?" ask for the agent; "Who was beaten?" and "Which
    club did Real Madrid beat?" for the patient. "Where …?", "At what level …?" and "How
    many …?" ask for no party: the slot patterns do not apply.
    """
    if _WH_PASSIVE.search(question) or _OBJECT_QUESTION.search(question):
        return Slot.PATIENT
    if _WHOSE.search(question) or _WH_SUBJECT.search(question):
        return Slot.AGENT
    return None


class Voice(StrEnum):
    """How a question's verb relates its answer to the converse verbs of the copy."""

    CONVERSE = "converse"  # "Who was elected?": "Rivera won" says it with the roles swapped
    GAINING = "gaining"  # "Who won?": "voters elected Rivera" says it with the roles swapped
    PLAIN = "plain"  # "Which judge passed the sentence?": no verb of the copy swaps roles


# Verbs of gaining something: what a converse verb gives, they take ("won" what was "awarded").
_GAINING = re.compile(
    r"\b(?:won|win|wins|winning|receive[ds]?|receiving|got|get|gets|earned|earn|earns|took|"
    r"take|takes|became|become|becomes|secured|secure|claimed|claim|lost|lose|loses)\b",
    re.IGNORECASE,
)


def question_voice(question: str) -> Voice:
    """Return how a question's verb relates its answer to the copy's converse verbs."""
    if _CONVERSE_WORD.search(question.lower()):
        return Voice.CONVERSE
    gaining = _GAINING.search(question) or _CONTEST_VERB.search(question)
    return Voice.GAINING if gaining else Voice.PLAIN


def _is_converse(text: str, cue: tuple[int, int]) -> bool:
    word = text[cue[0] : cue[1]].lower()
    if " " in word or _PARTICLE_AFTER.match(text, cue[1]):
        return False  # "picked up 10%", "handed down the term": a phrasal verb means another act
    return word in _CONVERSE


_PARTICLE_AFTER = re.compile(r"\s+(?:up|down|out|off|over|in)\b", re.IGNORECASE)


def _word_before(text: str, at: int) -> str:
    found = _DETERMINER_BEFORE.search(text, 0, at)
    if found is None or found.end() != at:
        return ""
    return found.group(1).lower()


def _is_verb(text: str, cue: tuple[int, int]) -> bool:
    """Tell whether a cue is used as a verb: not after a determiner, and verb-shaped."""
    word = text[cue[0] : cue[1]].lower()
    if " " in word:  # a phrase cue ("saw off", "broke the deadlock") is verb-led
        word = word.split()[0]
    if word.endswith("ed") and not text[: cue[0]].strip(" \"'“‘([-"):
        return False  # "Updated ministry figures showed …": a participle opening a sentence
    if _word_before(text, cue[0]) in _DETERMINERS or text[: cue[0]].endswith(("'s ", "’s ")):
        return False
    # An -s form is too often a plural noun ("ministry figures", "the talks"): only the
    # present tense of verbs that headlines use counts.
    return (
        word in _IRREGULAR_VERBS
        or word in _PRESENT_VERBS
        or word in _CONTEST_WORDS
        or word.endswith(("ed", "ing"))
    )


def _adjacent_subject(gap: str) -> bool:
    """Tell whether only auxiliaries, forms of "be" and adverbs stand between subject and verb."""
    if _RELATIVE.match(gap):
        return True
    words = [w.lower() for w in WORD_RE.findall(gap)]
    if re.search(r"[,;:()\[\]—–]", gap) or len(words) > 3:
        return False
    return all(w in _BE_FORMS or w in _AUXILIARIES or w.endswith("ly") for w in words)


_SWAPPED = {Slot.AGENT: Slot.PATIENT, Slot.PATIENT: Slot.AGENT, Slot.REFERENT: Slot.REFERENT}


def _slots_of(
    text: str,
    cue: tuple[int, int],
    mentions: _Mentions,
    voice: Voice = Voice.PLAIN,
) -> list[Placed]:
    """Return the values placed in the slots that one cue opens, in the question's terms.

    A converse cue verb swaps the slots against a gaining question, and a plain one against a
    converse question: "voters elected Rivera" puts Rivera where "Rivera won" does.
    """
    verb = _is_verb(text, cue)
    placed = _placed_by(text, cue, mentions, verb)
    if not placed or not verb or voice is Voice.PLAIN:
        return placed
    if _is_converse(text, cue) != (voice is Voice.CONVERSE):
        return [p._replace(slot=_SWAPPED[p.slot]) for p in placed]
    return placed


def _placed_by(text: str, cue: tuple[int, int], mentions: _Mentions, verb: bool) -> list[Placed]:
    """Return the values placed in the slots that one cue opens, in the cue's own terms."""
    # The nearest mention on each side, by bisection: a run-on sentence costs a cue log(n).
    left_at = bisect_right(mentions.ends, cue[0]) - 1
    right_at = bisect_left(mentions.starts, cue[1])
    left = mentions.ordered[left_at] if left_at >= 0 else None
    right = mentions.ordered[right_at] if right_at < len(mentions.ordered) else None
    placed = _placed_around(text, cue, left, right, verb)
    return [p._replace(at=left_at if p.at == _LEFT else right_at) for p in placed]


_LEFT, _RIGHT = -2, -3  # which neighbour of the cue a placement is, until it gets its index


def _placed_around(
    text: str,
    cue: tuple[int, int],
    left: tuple[str, tuple[int, int]] | None,
    right: tuple[str, tuple[int, int]] | None,
    verb: bool,
) -> list[Placed]:
    """Return the values the mentions either side of a cue are placed as."""
    placed: list[Placed] = []
    if verb:
        passive = bool(_PASSIVE_BEFORE.search(text, max(0, cue[0] - 40), cue[0]))
        if left is not None and _adjacent_subject(text[left[1][1] : cue[0]]):
            placed.append(Placed(left[0], Slot.PATIENT if passive else Slot.AGENT, cue, _LEFT))
        if right is not None:
            gap = text[cue[1] : right[1][0]]
            if _BY_AFTER.match(gap) or (passive and _AGENT_PREPOSITION.match(gap)):
                placed.append(Placed(right[0], Slot.AGENT, cue, _RIGHT))
            elif _OBJECT_GAP.match(gap) and not passive:
                placed.append(Placed(right[0], Slot.PATIENT, cue, _RIGHT))
        return placed
    if left is not None:
        gap = text[left[1][1] : cue[0]]
        if _POSSESSIVE.match(gap):
            placed.append(Placed(left[0], Slot.AGENT, cue, _LEFT))
        elif _APPOSITION_BEFORE.match(gap):
            placed.append(Placed(left[0], Slot.REFERENT, cue, _LEFT))  # "X, the winner"
    if right is not None:
        gap = text[cue[1] : right[1][0]]
        if _AGENT_PREPOSITION.match(gap):
            placed.append(Placed(right[0], Slot.AGENT, cue, _RIGHT))
        elif _PATIENT_PREPOSITION.match(gap):
            placed.append(Placed(right[0], Slot.PATIENT, cue, _RIGHT))
        elif _APPOSITION_AFTER.match(gap):
            placed.append(Placed(right[0], Slot.REFERENT, cue, _RIGHT))  # "the winner, X"
    return placed


def appositive(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Tell whether two mentions name one thing twice: "Astana, the capital", "X, a Y"."""
    ordered = sorted(spans)
    return len(ordered) == 2 and bool(_APPOSITION_GAP.match(text[ordered[0][1] : ordered[1][0]]))


_APPOSITION_GAP = re.compile(r"^\s*,\s*(?:the|an?)\s+$|^\s+$", re.IGNORECASE)


def coordinated(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Tell whether mentions fill one slot together: "A and B", "A, B or C", "A, the B"."""
    ordered = sorted(spans)
    return len(ordered) > 1 and all(
        _LIST_GAP.match(text[left[1] : right[0]]) for left, right in itertools.pairwise(ordered)
    )


def _with_list(text: str, placed: list[Placed], mentions: _Mentions) -> list[Placed]:
    """Give every item of a list the slot its first or last item fills ("by A and B")."""
    ordered = mentions.ordered
    out = list(placed)
    for one in placed:
        for step in (1, -1):
            i = one.at
            # A list is read for a few items only: a run-on "list" must not cost its length.
            for _ in range(_LIST_ITEMS):
                if not 0 <= i + step < len(ordered):
                    break
                near, far = sorted((ordered[i], ordered[i + step]), key=lambda m: m[1])
                if not _LIST_GAP.match(text[near[1][1] : far[1][0]]):
                    break
                i += step
                out.append(Placed(ordered[i][0], one.slot, one.cue, i))
    return out


_LIST_ITEMS = 16


def decisive(
    text: str,
    mentions: Sequence[tuple[str, tuple[int, int]]],
    cues: Iterable[tuple[int, int]],
    patient: bool,
    voice: Voice = Voice.PLAIN,
) -> tuple[set[str], list[Placed]]:
    """Return the values structural patterns put in the asked slot, and every placement.

    `mentions` holds each mention's value and span; `cues` the claim's cues in the sentence.
    The set is empty when no pattern fills the slot.
    """
    asked = Slot.PATIENT if patient else Slot.AGENT
    other = Slot.AGENT if patient else Slot.PATIENT
    ordered = sorted(mentions, key=lambda m: m[1])
    indexed = _Mentions(ordered, [m[1][0] for m in ordered], [m[1][1] for m in ordered])
    placed = [p for cue in sorted(set(cues)) for p in _slots_of(text, cue, indexed, voice)]
    placed = _with_list(text, placed, indexed)
    chosen = {p.value for p in placed if p.slot in (asked, Slot.REFERENT)}
    if not chosen:
        # By elimination: "steered A to a victory over B" puts B in the other slot, and A is
        # the one value left that no pattern places there.
        excluded = {p.value for p in placed if p.slot is other}
        chosen = {value for value, _ in mentions} - excluded if excluded else set()
    return chosen, placed
