"""The typed context every format renders from, with the lookups templates need built once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from checker.base.claims import Severity
from checker.findings.results import (
    ArticleReport,
    BoilerplateLine,
    Cell,
    ClaimReport,
    ClaimStatus,
    Evidence,
    Finding,
    Report,
    SentenceReport,
)
from checker.findings.rules import RULES, FindingKind, Rule
from checker.judgement.mention_rules import RULES as MENTION_RULES
from checker.judgement.mention_rules import MentionRule

# Past this many cells the claim × article matrix is left out: it is too big to read or load.
MATRIX_CELLS = 20_000
# Past the sentence budget the reader shows at most this many articles, those with findings first.
READER_ARTICLES = 200
_DISAGREEING = (ClaimStatus.CONFLICT, ClaimStatus.CONTRADICTED)
_BY_RANK = sorted(Severity, key=lambda level: -level.rank)  # error, warning, info


@dataclass(frozen=True)
class ReaderItem:
    """One line of the article reader: a sentence or a dropped boilerplate line."""

    line: int
    column: int
    sentence: SentenceReport | None = None
    boilerplate: BoilerplateLine | None = None


@dataclass(frozen=True)
class RenderContext:
    """Everything a format may use: the report, how the run was made, and built lookups."""

    report: Report
    report_files: list[str] = field(default_factory=list)
    elapsed_seconds: float | None = None
    color: bool = False
    changed_since: str | None = None
    command: str = "check"  # validate shows the ledger's findings and counts instead
    corpus_found: bool = True
    claims_defined: int = 0
    claim_files: int = 0
    # CI annotations (github, gitlab): info-level findings too, only when asked.
    annotate_info: bool = False
    # With --changed-since: the files changed since REF (root-relative); annotations keep to them.
    changed_files: frozenset[str] | None = None
    # The terminal lists at most this many findings (None: all), then says how many it left out.
    max_shown: int | None = None
    statistics: bool = False  # the terminal counts findings by kind and mentions by rule

    # The lookups are built on first use: the HTML reader needs them, the JSON report does not.
    @cached_property
    def evidence(self) -> dict[tuple[str, int], list[Evidence]]:
        """Return each sentence's evidence, by (article, sentence index)."""
        evidence: dict[tuple[str, int], list[Evidence]] = {}
        for claim in self.report.claims:
            for cell in claim.cells:
                for item in cell.evidence:
                    evidence.setdefault((cell.article, item.sentence_index), []).append(item)
        return evidence

    @cached_property
    def cells(self) -> dict[tuple[str, str], Cell]:
        """Return every listed cell, by (claim, article)."""
        return {(c.id, cell.article): cell for c in self.report.claims for cell in c.cells}

    @cached_property
    def out_of_scope(self) -> set[tuple[str, str]]:
        """Return the (claim, article) pairs a claim's scope leaves out."""
        return {(c.id, article) for c in self.report.claims for article in c.out_of_scope or ()}

    @property
    def rules(self) -> list[Rule]:
        """Return the registry's entries, in code order."""
        return list(RULES.values())

    @property
    def disagreements(self) -> list[ClaimReport]:
        """Return the claims in conflict or contradicted."""
        return [c for c in self.report.claims if c.status in _DISAGREEING]

    @property
    def other_claims(self) -> list[ClaimReport]:
        """Return the claims neither in conflict nor contradicted."""
        return [c for c in self.report.claims if c.status not in _DISAGREEING]

    @property
    def annotations(self) -> list[Finding]:
        """Return the findings a CI annotates on the pull request.

        Unwaived warnings and errors (info too with `annotate_info`). In a changed-only run,
        only new findings with a place in a changed file, annotated there, as reviewdog keeps
        to the diff: a conflict that a changed article joins is annotated in that article, a
        contradiction that an edit of `expected` causes at the claim. The exit code and the job
        summary still count every new finding.
        """
        wanted = []
        for finding in self.report.findings:
            if finding.waived or (finding.severity is Severity.INFO and not self.annotate_info):
                continue
            if self.changed_files is None:
                wanted.append(finding)
                continue
            if finding.change != "new":
                continue
            if finding.path in self.changed_files:
                wanted.append(finding)
                continue
            place = next((p for p in finding.related if p.path in self.changed_files), None)
            if place is not None:
                moved = {"path": place.path, "line": place.line, "column": place.column}
                wanted.append(finding.model_copy(update=moved))
        return wanted

    @property
    def terminal_findings(self) -> list[Finding]:
        """Return the findings the terminal lists: above info, errors first once capped."""
        listed = [f for f in self.report.findings if f.severity is not Severity.INFO]
        if self.max_shown is None or len(listed) <= self.max_shown:
            return listed
        ranked = sorted(listed, key=lambda f: -f.severity.rank)  # stable: by location within
        return ranked[: self.max_shown]

    @property
    def terminal_left_out(self) -> dict[str, int]:
        """Return how many findings above info the terminal leaves out, by severity."""
        shown = {id(f) for f in self.terminal_findings}
        left: dict[str, int] = {}
        for finding in self.report.findings:
            if finding.severity is not Severity.INFO and id(finding) not in shown:
                key = finding.severity.value
                left[key] = left.get(key, 0) + 1
        return {level.value: left[level.value] for level in _BY_RANK if level.value in left}

    @property
    def kind_statistics(self) -> list[tuple[int, Rule]]:
        """Return each finding kind's true total (waived and unlisted ones included)."""
        summary = self.report.summary
        return [(summary.count(r.kind.value), r) for r in self.rules if summary.count(r.kind.value)]

    @property
    def rule_statistics(self) -> list[tuple[int, MentionRule]]:
        """Return how many mentions each mention rule that was on decided.

        Discounted mentions are counted whole; demotions (other-event) are read from the
        cells the report lists, which with --detail findings are those of claims with findings.
        """
        counts: Counter[str] = Counter()
        for claim in self.report.claims:
            counts.update(claim.discounted)
            for cell in claim.cells:
                counts.update(e.rule for e in cell.evidence if e.rule and e.role == "other-event")
        on = set(self.report.mention_rules)
        return [(counts[r.code], r) for r in MENTION_RULES if r.code in on]

    def findings_of(self, *kinds: str) -> list[Finding]:
        """Return the findings of the given kinds."""
        wanted = {FindingKind(kind) for kind in kinds}
        return [f for f in self.report.findings if f.kind in wanted]

    def reader(self, article: ArticleReport) -> list[ReaderItem]:
        """Return an article's sentences and boilerplate lines in reading order."""
        items = [ReaderItem(s.line, s.column, sentence=s) for s in article.sentences]
        items += [ReaderItem(b.line, 1, boilerplate=b) for b in article.boilerplate]
        return sorted(items, key=lambda item: (item.line, item.column))

    def cell(self, claim: ClaimReport, article: ArticleReport) -> Cell | None:
        """Return an article's cell of a claim, or None when it is silent or out of scope."""
        return self.cells.get((claim.id, article.id))

    def in_scope(self, claim: ClaimReport, article: ArticleReport) -> bool:
        """Tell whether a claim's scope covers an article, as the report lists it."""
        return (claim.id, article.id) not in self.out_of_scope

    @property
    def shown_articles(self) -> list[ArticleReport]:
        """Return the articles the reader shows: all, or past a budget those with findings first."""
        articles = self.report.articles
        if self.report.detail == "sentences":
            return articles
        gating = {f.article for f in self.report.findings if f.severity.value != "info"}
        ordered = sorted(articles, key=lambda a: (a.id not in gating, a.id))
        return ordered[:READER_ARTICLES]

    @property
    def articles_left_out(self) -> int:
        """Return how many articles the reader leaves out."""
        return len(self.report.articles) - len(self.shown_articles)

    @property
    def matrix_fits(self) -> bool:
        """Tell whether the claim × article matrix is small enough to show."""
        fits = len(self.report.claims) * len(self.report.articles) <= MATRIX_CELLS
        return fits and all(c.out_of_scope is not None for c in self.report.claims)


def make_context(
    report: Report,
    report_files: list[str] | None = None,
    elapsed_seconds: float | None = None,
    *,
    color: bool = False,
    changed_since: str | None = None,
    command: str = "check",
    corpus_found: bool = True,
    claims_defined: int = 0,
    claim_files: int = 0,
    changed_files: frozenset[str] | None = None,
) -> RenderContext:
    """Build the typed context every format renders from."""
    return RenderContext(
        report=report,
        report_files=report_files or [],
        elapsed_seconds=elapsed_seconds,
        color=color,
        changed_since=changed_since,
        command=command,
        corpus_found=corpus_found,
        claims_defined=claims_defined,
        claim_files=claim_files,
        changed_files=changed_files,
    )
