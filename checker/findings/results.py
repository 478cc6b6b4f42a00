"""The check's results: small frozen models, and the report document built from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Literal, NamedTuple, NotRequired

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    TypeAdapter,
)
from typing_extensions import TypedDict  # pydantic needs it from here before Python 3.12

from checker.base.claims import Severity
from checker.findings.rules import RULES, FindingKind

# 2: verdicts only for speaking articles; silent and in_scope counts.
# 3: findings are the one list (details inside); claims hold cells; the result is in the report.
# 4: the mention rules' trace: evidence roles source and dropped with the deciding rule, cells
#    for articles whose mentions were all discarded, claims' discounted counts, and the rules on.
SCHEMA_VERSION = 4


class MentionRole(StrEnum):
    """How a mention of a value relates to the claim: the outcome of the mention rules."""

    ANSWER = "answer"
    OTHER_EVENT = "other-event"  # the claim's, about another occasion: shown, not counted
    SOURCE = "source"  # the speaker of reported speech: discounted
    DROPPED = "dropped"  # not the claim's value here (a name's part, another claim's, ...)
    # One of several values a clause names for the claim, with nothing to decide between them:
    # shown with its competitors, never counted.
    AMBIGUOUS = "ambiguous"


AMBIGUOUS = MentionRole.AMBIGUOUS.value  # one of several values no pattern decides between
ANSWER = MentionRole.ANSWER.value  # the role of a mention that is one of its article's answers
# Roles of mentions a rule discarded: kept only as a trace of why an article is silent.
DISCOUNTED_ROLES = frozenset({MentionRole.SOURCE.value, MentionRole.DROPPED.value})


def competing(evidence: Iterable[Evidence], one: Evidence) -> list[str]:
    """Return the values an ambiguous mention competes with in its sentence."""
    if one.role != AMBIGUOUS:
        return []
    return sorted(
        {
            e.value
            for e in evidence
            if e.role == AMBIGUOUS and e.sentence_index == one.sentence_index
        }
        - {one.value}
    )


class Frozen(BaseModel):
    """A frozen model."""

    model_config = ConfigDict(frozen=True)


class VerdictStatus(StrEnum):
    """What one article says about one claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    ASSERTS = "asserts"
    DENIES = "denies"
    MIXED = "mixed"
    SILENT = "silent"


class ClaimStatus(StrEnum):
    """A claim's overall state, in order of precedence."""

    CONFLICT = "conflict"
    CONTRADICTED = "contradicted"
    DIVERGENT = "divergent"
    CONSISTENT = "consistent"
    UNMENTIONED = "unmentioned"


class SentenceStatus(StrEnum):
    """What the check made of one sentence."""

    SUPPORTED = "supported"
    CONTRADICTING = "contradicting"
    STRAY = "stray"
    UNSUPPORTED = "unsupported"


class Location(Frozen):
    """A place in a file (1-based line and column, columns in code points)."""

    path: str
    line: int
    column: int

    def __lt__(self, other: Location) -> bool:
        return (self.path, self.line, self.column) < (other.path, other.line, other.column)


Details = dict[str, str | list[str] | dict[str, list[str]]]


class Finding(Frozen):
    """One thing a reviewer should look at; findings sort by location."""

    kind: FindingKind
    code: str = Field(description="The kind's stable code (see `crossfact rules`).")
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    claim: str | None = None
    article: str | None = None
    related: tuple[Location, ...] = ()
    details: Details = Field(
        default_factory=dict,
        description="Structured facts behind the message, by kind (see README, JSON report).",
    )
    fingerprint: str = Field(description="Content-based id that survives lines moving.")
    waived: bool = False
    waiver_reason: str | None = None
    change: str | None = Field(default=None, description="new or existing, in changed-only runs.")

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        """Return the key findings sort by: location first."""
        return (
            self.path,
            self.line,
            self.column,
            self.kind.value,
            self.claim or "",
            self.article or "",
            self.message,
        )

    def __lt__(self, other: Finding) -> bool:
        return self.sort_key() < other.sort_key()


# The fields make_finding passes; the rest (waiver and change labels) keep their defaults.
MADE_FIELDS = set(Finding.model_fields) - {"waived", "waiver_reason", "change"}


def make_finding(
    kind: FindingKind,
    fields: Mapping[str, str],
    *,
    severity: Severity,
    path: str,
    line: int,
    column: int,
    claim: str | None = None,
    article: str | None = None,
    related: tuple[Location, ...] = (),
    details: Details | None = None,
) -> Finding:
    """Make a finding through its kind's registry entry: code, message and fingerprint."""
    rule = RULES[kind]
    # Built without validation (the registry and the engine type every field) and sharing one
    # fields-set: an archive holds a hundred thousand findings, and a validated copy of each
    # one's details costs three times the memory.
    return Finding.model_construct(
        _fields_set=MADE_FIELDS,
        kind=kind,
        code=rule.code,
        severity=severity,
        path=path,
        line=line,
        column=column,
        message=rule.format(fields),
        claim=claim,
        article=article,
        related=related,
        details=details or {},
        fingerprint=rule.fingerprint_of(fields),
    )


def gates(finding: Finding, threshold: Severity | None) -> bool:
    """Tell whether a finding fails a run: at or above the threshold, not waived, not old."""
    return (
        threshold is not None
        and not finding.waived
        and finding.change != "existing"
        and finding.severity.rank >= threshold.rank
    )


class Evidence(NamedTuple):
    """A mention of a claim value in an article sentence.

    A plain record, not a model: an archive holds hundreds of thousands of them, from the map
    to the report. `EvidenceJSON` is its shape in the JSON report.
    """

    value: str
    alias: str
    text: str  # the matched text as the article spells it
    sentence: str
    sentence_index: int
    line: int
    column: int
    end_column: int
    negated: bool
    hedged: bool
    role: str = ANSWER  # or other-event, source, dropped: shown, not counted (README)
    rule: str = ""  # the code of the mention rule that decided a role other than answer
    # A figure the copy marks as not final: a partial count, an exit poll, "at least 38".
    provisional: bool = False
    # Matched through lookalike letters (TR39): "Аlmаty" with Cyrillic а is read as Almaty.
    confusable: bool = False

    @property
    def counts(self) -> bool:
        """Tell whether the mention is one of the article's answers."""
        return self.role == ANSWER

    @property
    def discounted(self) -> bool:
        """Tell whether a rule discarded the mention: it does not speak for its sentence."""
        return self.role in DISCOUNTED_ROLES

    def marked(self) -> tuple[str, str, str]:
        """Split the sentence around the matched text: before, match, after."""
        at = self.sentence.find(self.text)
        if at < 0:
            return self.sentence, "", ""
        end = at + len(self.text)
        return self.sentence[:at], self.sentence[at:end], self.sentence[end:]


class EvidenceJSON(TypedDict):
    """A mention of a claim value in an article sentence."""

    __pydantic_config__ = ConfigDict(title="Evidence")  # type: ignore[misc]

    value: str
    alias: str
    text: Annotated[str, Field(description="The matched text as the article spells it.")]
    sentence: str
    sentence_index: int
    line: int
    column: int
    end_column: int
    negated: bool
    hedged: bool
    role: NotRequired[
        Annotated[
            str,
            Field(
                description=(
                    "answer; or other-event (another occasion or an earlier figure), source (the "
                    "speaker of reported speech) or dropped (not the claim's value here): shown "
                    "as evidence but not counted (README)."
                )
            ),
        ]
    ]
    rule: NotRequired[
        Annotated[
            str,
            Field(
                description=(
                    "The mention rule that decided a role other than answer (`crossfact rules`)."
                )
            ),
        ]
    ]
    confusable: NotRequired[
        Annotated[
            bool,
            Field(
                description=(
                    "The text matched the alias only through lookalike letters (Unicode TR39), "
                    "as in 'Аlmаty' with Cyrillic а; CF008 warns on the word too."
                )
            ),
        ]
    ]
    provisional: NotRequired[
        Annotated[
            bool,
            Field(
                description=(
                    "The copy marks the figure as not final (a partial count, an exit poll, "
                    "'at least'): it never contradicts the verified value at error level."
                )
            ),
        ]
    ]


class Cell(NamedTuple):
    """What one article in a claim's scope says about the claim (a plain record, see Evidence)."""

    article: str
    path: str
    verdict: VerdictStatus
    asserted: tuple[str, ...]  # tuples: most are empty or hold one value, and an archive has many
    denied: tuple[str, ...]
    evidence: list[Evidence]


class CellJSON(TypedDict):
    """What one article in a claim's scope says about the claim."""

    __pydantic_config__ = ConfigDict(title="Cell")  # type: ignore[misc]

    article: str
    path: str
    verdict: VerdictStatus
    asserted: list[str]
    denied: list[str]
    evidence: list[EvidenceJSON]


_CELL_JSON: TypeAdapter[CellJSON] = TypeAdapter(CellJSON)


def _cell_to_json(cell: Cell) -> CellJSON:
    return {
        "article": cell.article,
        "path": cell.path,
        "verdict": cell.verdict,
        "asserted": list(cell.asserted),
        "denied": list(cell.denied),
        "evidence": [e._asdict() for e in cell.evidence],  # type: ignore[misc]
    }


def _cell_from_json(value: object) -> Cell:
    """Take a cell as it is, or read one from its JSON shape (a report read back)."""
    if isinstance(value, Cell):
        return value
    found = _CELL_JSON.validate_python(value)
    return Cell(
        article=found["article"],
        path=found["path"],
        verdict=VerdictStatus(found["verdict"]),
        asserted=tuple(found["asserted"]),
        denied=tuple(found["denied"]),
        evidence=[Evidence(**e) for e in found["evidence"]],
    )


CellField = Annotated[
    Cell,
    PlainValidator(_cell_from_json, json_schema_input_type=CellJSON),
    PlainSerializer(_cell_to_json, return_type=CellJSON),
]


class ClaimReport(Frozen):
    """A claim and the verdict of every article that speaks to it."""

    id: str
    question: str
    kind: str
    status: ClaimStatus
    severity: Severity = Field(description="The severity of this claim's conflicts.")
    expected: list[str]
    values: dict[str, list[str]]
    path: str
    line: int
    column: int
    topic: str | None
    note: str | None
    sources: list[str]
    scope: list[str]
    in_scope: int  # articles the scope covers
    silent: int  # of those, the ones that do not speak to the claim (they have no cell)
    out_of_scope: list[str] | None = Field(
        description="Ids of the articles the scope leaves out; None when the corpus is too large."
    )
    # One per article that speaks to the claim or names a value a rule discarded (see
    # cells_left_out).
    cells: list[CellField]
    cells_left_out: int = Field(
        default=0,
        description="Cells not listed (detail 'findings': only claims with findings list them).",
    )
    verdict_counts: dict[str, int] = Field(
        default_factory=dict,
        description="How many speaking articles reached each verdict, listed cells or not.",
    )
    discounted: dict[str, int] = Field(
        default_factory=dict,
        description=(
            "Mentions a mention rule discarded (role source or dropped), by rule code; the "
            "cells list them as evidence when the report lists sentences."
        ),
    )


class SentenceReport(Frozen):
    """One sentence of an article and what the check made of it."""

    index: int
    line: int
    column: int
    text: str
    is_title: bool
    role: str = Field(default="prose", description="title, subheading, prose, list-item, caption")
    status: SentenceStatus
    claims: list[str]
    novel_terms: list[str]
    negated: bool
    hedged: bool


class BoilerplateLine(Frozen):
    """A line dropped as page chrome or a repeated headline."""

    line: int
    text: str
    reason: str


class ArticleReport(Frozen):
    """An article and its sentences."""

    id: str
    path: str
    title: str
    metadata: dict[str, str]
    sentence_count: int
    supported: int
    stray: int
    unsupported: int
    sentences: list[SentenceReport]
    boilerplate: list[BoilerplateLine]
    sentences_left_out: int = Field(
        default=0, description="Sentences not listed (detail 'findings'); the counts hold them."
    )


class ArticlePair(Frozen):
    """How far two articles agree on the claims both speak to."""

    first: str
    second: str
    shared: int
    agree: int
    disagree: int
    disagreeing_claims: list[str]
    different_events: bool = Field(
        description="True when the pair disagrees on most claims it shares."
    )


class Summary(Frozen):
    """Counts for the overview."""

    articles: int
    sentences: int
    claims: int
    supported_sentences: int
    by_kind: dict[FindingKind, int] = Field(description="Findings of each kind, waived included.")
    errors: int
    warnings: int
    infos: int
    waived: int

    def count(self, kind: str) -> int:
        """Return how many findings of a kind there are."""
        return self.by_kind.get(FindingKind(kind), 0)


class Result(Frozen):
    """Whether the run passes its gate, and why."""

    status: Literal["pass", "fail", "not-gating"]
    fail_on: Severity | None
    gating: int = Field(description="Findings at or above fail-on, neither waived nor existing.")
    new: int | None = Field(description="New findings, in changed-only runs.")

    @property
    def failed(self) -> bool:
        """Tell whether the run fails its gate."""
        return self.status == "fail"

    @property
    def text(self) -> str:
        """Say the result in one line; every format shows this text."""
        if self.fail_on is None:
            return "not gating (--fail-on never)"
        if self.failed:
            return f"FAIL, {self.gating} finding(s) at or above {self.fail_on.value}"
        return f"OK, no finding at or above {self.fail_on.value}"


class Judgement(Frozen):
    """What the engine makes of a corpus: claims, articles, pairs and findings."""

    articles: list[ArticleReport]
    claims: list[ClaimReport]
    pairs: list[ArticlePair] | None  # None: too many articles share claims for a pair table
    findings: list[Finding]
    # Info-level sentence findings of each kind that were counted but not made (see trim).
    left_out: dict[FindingKind, int] = Field(default_factory=dict)


class Report(Frozen):
    """The whole result of a run; the JSON report is this model."""

    schema_version: int = SCHEMA_VERSION
    tool_version: str
    ledger_hash: str
    mention_rules: list[str] = Field(
        default_factory=list,
        description="The mention rules that were on, by code (`crossfact rules`).",
    )
    disabled_rules: list[str] = Field(
        default_factory=list,
        description="The mention rules switched off (disable-rules), by code.",
    )
    run_id: str = Field(
        default="",
        description=(
            "The run's id, in every report file it wrote: a hash of the tool, the settings, the "
            "ledger, the waivers, the date and every article's name and bytes."
        ),
    )
    summary: Summary
    result: Result
    articles: list[ArticleReport]
    claims: list[ClaimReport]
    pairs: list[ArticlePair] | None  # None: too many articles share claims for a pair table
    findings: list[Finding]
    detail: Literal["sentences", "findings"] = Field(
        default="sentences",
        description="sentences: every sentence and finding listed; findings: sentence lists "
        "left out and info-level sentence findings capped per article (counts stay whole).",
    )
    findings_left_out: int = Field(default=0, description="Info-level findings not listed.")


# Past this many sentences in the corpus, reports list findings, not every sentence.
DETAIL_SENTENCES_BUDGET = 5_000
# Info-level sentence findings listed per article when sentences are left out.
INFO_PER_ARTICLE = 10


def choose_detail(sentences: int) -> str:
    """Return the default detail: every sentence for a small corpus, findings for an archive."""
    return "sentences" if sentences <= DETAIL_SENTENCES_BUDGET else "findings"


def trim(report: Report, detail: str | None = None) -> Report:
    """Keep a report's size following its findings, not its sentences.

    `detail` None picks "sentences" for a corpus of up to DETAIL_SENTENCES_BUDGET sentences and
    "findings" past it. The summary and the result were computed before: they stay whole.
    """
    chosen = detail or choose_detail(report.summary.sentences)
    if chosen == "sentences":
        return report.model_copy(update={"detail": "sentences"})
    per_article: Counter[str] = Counter()
    kept: list[Finding] = []
    for finding in report.findings:
        info_sentence = finding.severity is Severity.INFO and finding.kind in (
            FindingKind.UNSUPPORTED,
            FindingKind.STRAY,
        )
        if info_sentence:
            per_article[finding.article or ""] += 1
            if per_article[finding.article or ""] > INFO_PER_ARTICLE:
                continue
        kept.append(finding)
    articles = [
        a
        if not a.sentences
        else a.model_copy(
            update={"sentences": [], "boilerplate": [], "sentences_left_out": len(a.sentences)}
        )
        for a in report.articles
    ]
    return report.model_copy(
        update={
            "detail": "findings",
            "articles": articles,
            "findings": kept,
            "findings_left_out": report.findings_left_out + len(report.findings) - len(kept),
        }
    )


def decide(findings: list[Finding], fail_on: Severity | None, *, changed: bool = False) -> Result:
    """Decide the run's result from its findings."""
    gating = sum(gates(f, fail_on) for f in findings)
    status = "not-gating" if fail_on is None else ("fail" if gating else "pass")
    new = sum(f.change == "new" for f in findings) if changed else None
    return Result(status=status, fail_on=fail_on, gating=gating, new=new)


def build_report(
    judgement: Judgement,
    findings: list[Finding],
    fail_on: Severity | None,
    *,
    tool_version: str,
    ledger_hash: str,
    changed: bool = False,
    mention_rules: Sequence[str] = (),
    disabled_rules: Sequence[str] = (),
    run_id: str = "",
) -> Report:
    """Assemble the report: the summary and the result are computed here and only here."""
    findings = sorted(findings, key=Finding.sort_key)
    kinds = Counter(f.kind for f in findings) + Counter(judgement.left_out)
    severities = Counter(f.severity for f in findings)
    severities[Severity.INFO] += sum(judgement.left_out.values())
    summary = Summary(
        articles=len(judgement.articles),
        sentences=sum(a.sentence_count for a in judgement.articles),
        claims=len(judgement.claims),
        supported_sentences=sum(a.supported for a in judgement.articles),
        by_kind={kind: kinds[kind] for kind in RULES},
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        infos=severities[Severity.INFO],
        waived=sum(f.waived for f in findings),
    )
    return Report(
        tool_version=tool_version,
        ledger_hash=ledger_hash,
        mention_rules=list(mention_rules),
        disabled_rules=sorted(disabled_rules),
        run_id=run_id,
        summary=summary,
        result=decide(findings, fail_on, changed=changed),
        articles=judgement.articles,
        claims=judgement.claims,
        pairs=judgement.pairs,
        findings=findings,
        findings_left_out=sum(judgement.left_out.values()),
    )
