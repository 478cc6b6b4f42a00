"""Help editors keep the ledger right: claim self-tests and lint checks against the corpus."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from checker.boilerplate import Boilerplate
from checker.claims import DENIES_PREFIX, SILENT_EXAMPLE, AnyOfClaim, Ledger, LocatedClaim
from checker.corpus import Article, parse_article
from checker.engine import LedgerIndex, analyse_article, build_index, in_scope
from checker.matcher import Match, find_all

# Words too common to be an alias on their own.
STOP_WORDS = frozenset(
    "a an the of in on at to and or but is are was were be it its he she they we i you this that "
    "these those for with by as from not no said says".split()
)
GENERIC_SHARE = 0.5  # an alias in at least this share of sentences is too generic
GENERIC_MIN_SENTENCES = 10


@dataclass(frozen=True, order=True)
class Lint:
    """One problem with the ledger, at path:line:column, with a stable code."""

    path: str
    line: int
    column: int
    code: str
    message: str
    gates: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        level = "error" if self.gates else "warning"
        return f"{self.path}:{self.line}:{self.column}: {level} {self.code}: {self.message}"


def example_verdict(located: LocatedClaim, sentence: str) -> tuple[set[str], set[str]]:
    """Return what one example sentence asserts and denies, through the real matcher."""
    unscoped = located.model_copy(update={"claim": located.claim.model_copy(update={"scope": []})})
    index = build_index(Ledger(claims=(unscoped,), content_hash=""))
    article = parse_article(sentence, "example", "example", Boilerplate())
    analysis = analyse_article(article, index)
    found = analysis.evidence_of(located.claim.id)
    return {e.value for e in found if not e.negated}, {e.value for e in found if e.negated}


def example_holds(located: LocatedClaim, label: str, asserted: set[str], denied: set[str]) -> bool:
    """Tell whether an example's verdict is the one its label promises."""
    if label == SILENT_EXAMPLE:
        return not asserted and not denied
    if label.startswith(DENIES_PREFIX):
        return label.removeprefix(DENIES_PREFIX) in denied
    if isinstance(located.claim, AnyOfClaim):
        return label in asserted
    return asserted == {label}


def _describe(asserted: set[str], denied: set[str]) -> str:
    parts = [f"asserts {', '.join(sorted(asserted))}"] if asserted else []
    parts += [f"denies {', '.join(sorted(denied))}"] if denied else []
    return "; ".join(parts) or "is silent"


def self_tests(ledger: Ledger) -> list[Lint]:
    """Run every claim's example sentences through the matcher; report those that disagree."""
    failures = []
    for located in ledger.claims:
        for label, sentences in located.claim.examples.items():
            for i, sentence in enumerate(sentences):
                asserted, denied = example_verdict(located, sentence)
                if not example_holds(located, label, asserted, denied):
                    line, column = located.where("examples", label, i)
                    message = (
                        f"{located.claim.id}: example for {label!r} {_describe(asserted, denied)}: "
                        f"{sentence!r}"
                    )
                    failures.append(Lint(located.path, line, column, "CF110", message, gates=True))
    return failures


@dataclass
class _Tally:
    """What the corpus scan saw of every phrase."""

    sentences: int = 0
    hits: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    unshadowed: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    sentence_hits: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    cue_with_value: Counter[tuple[str, str]] = field(default_factory=Counter)
    spans: dict[tuple[str, int, int, int], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )


def _key(match: Match) -> tuple[str, str | None, str]:
    return match.phrase.claim, match.phrase.value, match.phrase.alias


def _shadowed(match: Match, others: list[Match]) -> bool:
    return any(
        o.phrase.claim == match.phrase.claim
        and o.phrase.value not in (None, match.phrase.value)
        and o.start <= match.start
        and match.end <= o.end
        and (o.end - o.start) > (match.end - match.start)
        for o in others
    )


def _scan(index: LedgerIndex, articles: Iterable[Article]) -> _Tally:
    tally = _Tally()
    for article in articles:
        for sentence in article.sentences:
            tally.sentences += 1
            text = sentence.normalised
            matches = [
                m
                for m in find_all(index.phrases, text)
                if in_scope(index.claims[m.phrase.claim].claim, article)
            ]
            for match in matches:
                tally.hits[_key(match)] += 1
                tally.unshadowed[_key(match)] += not _shadowed(match, matches)
                if match.phrase.value is not None:
                    where = (article.id, sentence.index, match.start, match.end)
                    tally.spans[where].add(match.phrase.claim)
            for key in {_key(m) for m in matches}:
                tally.sentence_hits[key] += 1
            valued = {m.phrase.claim for m in matches if m.phrase.value is not None}
            cues = {(m.phrase.claim, m.phrase.alias) for m in matches if m.phrase.value is None}
            for claim_id, cue in cues:
                if claim_id in valued:
                    tally.cue_with_value[(claim_id, cue)] += 1
    return tally


def lint_ledger(ledger: Ledger, articles: Sequence[Article], unmentioned: set[str]) -> list[Lint]:
    """Lint the ledger against the corpus: dead, shadowed, generic aliases; idle cues; overlaps."""
    index = build_index(ledger)
    tally = _scan(index, articles)
    lints: list[Lint] = []
    for located in ledger.claims:
        claim = located.claim
        if claim.id in unmentioned:
            lints.append(
                Lint(
                    located.path,
                    located.line,
                    located.column,
                    "CF102",
                    f"{claim.id}: the claim matches no article",
                )
            )
        for value, aliases in claim.values.items():
            if not any(tally.hits[(claim.id, value, alias)] for alias in aliases):
                line, column = located.where("values", value)
                names = ", ".join(repr(a) for a in aliases)
                lints.append(
                    Lint(
                        located.path,
                        line,
                        column,
                        "CF101",
                        f"{claim.id}: no alias of {value!r} matches anything in the "
                        f"corpus ({names})",
                    )
                )
            for i, alias in enumerate(aliases):
                lints += _alias_lints(located, value, i, alias, tally)
        for i, cue in enumerate(claim.about):
            if tally.hits[(claim.id, None, cue)] and not tally.cue_with_value[(claim.id, cue)]:
                line, column = located.where("about", i)
                lints.append(
                    Lint(
                        located.path,
                        line,
                        column,
                        "CF105",
                        f"{claim.id}: about cue {cue!r} never occurs with a value",
                    )
                )
    return sorted([*lints, *_overlaps(ledger, tally)])


def _alias_lints(
    located: LocatedClaim, value: str, i: int, alias: str, tally: _Tally
) -> list[Lint]:
    claim_id = located.claim.id
    key = (claim_id, value, alias)
    line, column = located.where("values", value, i)
    found: list[Lint] = []

    def lint(code: str, message: str) -> None:
        found.append(Lint(located.path, line, column, code, f"{claim_id}: {message}"))

    value_matched = any(k[0] == claim_id and k[1] == value for k in tally.hits)
    if not tally.hits[key] and value_matched:
        lint("CF101", f"alias {alias!r} of {value!r} matches nothing in the corpus")
    elif tally.hits[key] and not tally.unshadowed[key]:
        lint(
            "CF103",
            f"alias {alias!r} of {value!r} only ever occurs inside a longer alias of another value",
        )
    share = tally.sentence_hits[key] / tally.sentences if tally.sentences else 0.0
    if alias.strip().lower() in STOP_WORDS:
        lint("CF104", f"alias {alias!r} is a stop word")
    elif tally.sentences >= GENERIC_MIN_SENTENCES and share >= GENERIC_SHARE:
        lint("CF104", f"alias {alias!r} occurs in {share:.0%} of sentences: too generic")
    return found


def _overlaps(ledger: Ledger, tally: _Tally) -> list[Lint]:
    shared: Counter[tuple[str, str]] = Counter()
    for claims in tally.spans.values():
        ordered = sorted(claims)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                shared[(first, second)] += 1
    by_id = {c.claim.id: c for c in ledger.claims}
    lints = []
    for (first, second), count in sorted(shared.items()):
        located = by_id[second]
        message = f"{second}: matches the same {count} span(s) as claim {first!r}"
        lints.append(Lint(located.path, located.line, located.column, "CF106", message))
    return lints
