"""The check's results: small frozen models, and the report document built from them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from checker.claims import Severity

SCHEMA_VERSION = 2  # 2: verdicts only for speaking articles; silent and in_scope counts


class Frozen(BaseModel):
    """A frozen model."""

    model_config = ConfigDict(frozen=True)


class FindingKind(StrEnum):
    """What a finding says."""

    CONFLICT = "conflict"
    CONTRADICTION = "contradiction"
    MIXED = "mixed"
    DIVERGENT = "divergent"
    STRAY = "stray"
    UNSUPPORTED = "unsupported"
    STALE_WAIVER = "stale-waiver"


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


class Finding(Frozen):
    """One thing a reviewer should look at; findings sort by location."""

    kind: FindingKind
    severity: Severity | None = None  # stamped by the engine, never by a check
    path: str
    line: int
    column: int
    message: str
    claim: str | None = None
    article: str | None = None
    related: tuple[Location, ...] = ()
    fingerprint: str = Field(default="", description="Content-based id that survives lines moving.")
    waived: bool = False
    waiver_reason: str | None = None
    change: str | None = Field(default=None, description="new or existing, in changed-only runs.")

    @property
    def gates(self) -> bool:
        """Tell whether the finding may fail a run: not waived, and not pre-existing."""
        return not self.waived and self.change != "existing"

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


class Evidence(Frozen):
    """A mention of a claim value in an article sentence."""

    value: str
    alias: str
    text: str = Field(description="The matched text as the article spells it.")
    sentence: str
    sentence_index: int
    line: int
    column: int
    end_column: int
    negated: bool
    hedged: bool


class Verdict(Frozen):
    """What one article says about one claim."""

    article: str
    path: str
    status: VerdictStatus
    asserted: list[str]
    denied: list[str]
    evidence: list[Evidence]


class ClaimReport(Frozen):
    """A claim and the verdict of every article that speaks to it."""

    id: str
    question: str
    kind: str
    status: ClaimStatus
    severity: Severity
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
    silent: int  # of those, the ones that do not speak to the claim (they have no verdict)
    verdicts: list[Verdict]  # one per article that speaks to the claim


class Conflict(Frozen):
    """Articles that disagree on a claim."""

    claim: str
    severity: Severity
    values: dict[str, list[str]]
    denied: dict[str, list[str]]


class Contradiction(Frozen):
    """An article that contradicts a claim's verified value."""

    claim: str
    article: str
    severity: Severity
    expected: list[str]
    found: list[str]
    denied: list[str]


class UnsupportedSentence(Frozen):
    """A sentence no claim supports."""

    article: str
    path: str
    sentence: str
    line: int
    column: int
    severity: str = Field(description="stray (novel terms, a warning) or unsupported (info).")
    novel_terms: list[str]


class SentenceReport(Frozen):
    """One sentence of an article and what the check made of it."""

    index: int
    line: int
    column: int
    text: str
    is_title: bool
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
    conflicts: int
    contradictions: int
    mixed: int
    divergent: int
    stray: int
    unsupported: int
    supported_sentences: int
    errors: int
    warnings: int
    infos: int
    waived: int = 0
    stale_waivers: int = 0


class Report(Frozen):
    """The whole result of a check; the JSON report is this model."""

    schema_version: int = SCHEMA_VERSION
    tool_version: str
    ledger_hash: str
    summary: Summary
    articles: list[ArticleReport]
    claims: list[ClaimReport]
    conflicts: list[Conflict]
    contradictions: list[Contradiction]
    unsupported: list[UnsupportedSentence]
    pairs: list[ArticlePair] | None  # None: too many articles share claims for a pair table
    findings: list[Finding]

    def gating(self, threshold: Severity | None) -> list[Finding]:
        """Return the findings at or above a severity threshold (None gates nothing)."""
        if threshold is None:
            return []
        return [
            f for f in self.findings if f.gates and f.severity and f.severity.rank >= threshold.rank
        ]
