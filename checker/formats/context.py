"""The typed context every format renders from, with the lookups templates need built once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

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
from checker.formats.environment import anchor
from checker.judgement.mention_rules import RULES as MENTION_RULES
from checker.judgement.mention_rules import MentionRule

# Past this many cells the claim × article matrix is left out: it is too big to read or load.
MATRIX_CELLS = 20_000
# Past the sentence budget the reader shows at most this many articles, those with findings first.
READER_ARTICLES = 200
_DISAGREEING = (ClaimStatus.CONFLICT, ClaimStatus.CONTRADICTED)
# An archive's HTML report is written in pages (a report of `detail` "findings"): the main page
# holds the summaries and the first findings, errors first; the rest go to FILES_FOLDER beside it.
FILES_FOLDER = "report-files"
MAIN_PAGE = "report.html"
FINDINGS_PER_PAGE = 8_000
CLAIMS_PER_PAGE = 100
ARTICLES_PER_PAGE = 50
# Past this many claims or articles the filter's inputs offer no list of choices.
CHOICES = 500


@dataclass(frozen=True)
class Page:
    """One page of an archive's HTML report, written in FILES_FOLDER: what it lists, by position."""

    kind: Literal["findings", "claims", "articles"]
    number: int  # 1-based; findings page 1 is the main page
    pages: int  # how many pages of this kind there are
    start: int
    stop: int

    @property
    def name(self) -> str:
        """Return the page's file name inside FILES_FOLDER."""
        return f"{self.kind}-{self.number:03d}.html"

    @property
    def path(self) -> str:
        """Return the page's path inside the report folder."""
        return f"{FILES_FOLDER}/{self.name}"


def _pages(kind: Literal["findings", "claims", "articles"], total: int, size: int) -> list[Page]:
    count = max(1, -(-total // size))
    return [Page(kind, n + 1, count, n * size, min(total, (n + 1) * size)) for n in range(count)]


def _severity_first(finding: Finding) -> tuple[int, tuple[str, int, int, str, str, str, str]]:
    return (-finding.severity.rank, finding.sort_key())


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

    # The HTML report: errors first, articles by title, links, and pages at archive scale.
    @property
    def paged(self) -> bool:
        """Tell whether the HTML report is written in pages (an archive's report)."""
        return self.report.detail == "findings"

    @cached_property
    def ordered_findings(self) -> list[Finding]:
        """Return the findings errors first, then warnings, then info; by location within each."""
        return sorted(self.report.findings, key=_severity_first)

    @cached_property
    def ordered_claims(self) -> list[ClaimReport]:
        """Return the claims in conflict or contradicted first, then the others."""
        return self.disagreements + self.other_claims

    @cached_property
    def articles_by_id(self) -> dict[str, ArticleReport]:
        """Return every article, by id."""
        return {a.id: a for a in self.report.articles}

    @cached_property
    def articles_by_path(self) -> dict[str, ArticleReport]:
        """Return every article, by the path the report shows."""
        return {a.path: a for a in self.report.articles}

    def title(self, article: str) -> str:
        """Return an article's title, or its path when it has none (or its id when unknown)."""
        known = self.articles_by_id.get(article)
        if known is None:
            return article
        return known.title.strip() or known.path

    def article_of(self, finding: Finding) -> str | None:
        """Return the id of the article a finding is in: its own, or the one at its path."""
        if finding.article is not None:
            return finding.article
        known = self.articles_by_path.get(finding.path)
        return None if known is None else known.id

    @cached_property
    def sentence_at(self) -> dict[tuple[str, int, int], int]:
        """Return sentence indexes by (article, line, column) of a sentence or a mention in it."""
        at: dict[tuple[str, int, int], int] = {}
        for (article, index), items in self.evidence.items():
            for item in items:
                at.setdefault((article, item.line, item.column), index)
        for a in self.report.articles:
            for s in a.sentences:
                at[(a.id, s.line, s.column)] = s.index
        return at

    @cached_property
    def findings_by_article(self) -> dict[str, list[Finding]]:
        """Return each article's findings, errors first."""
        found: dict[str, list[Finding]] = {}
        for finding in self.ordered_findings:
            article = self.article_of(finding)
            if article is not None:
                found.setdefault(article, []).append(finding)
        return found

    @cached_property
    def finding_pages(self) -> list[Page]:
        """Return the findings' pages: the first is the main page."""
        size = FINDINGS_PER_PAGE if self.paged else max(1, len(self.report.findings))
        return _pages("findings", len(self.report.findings), size)

    @cached_property
    def claim_pages(self) -> list[Page]:
        """Return the claim cards' pages (none when the report is one page)."""
        if not self.paged:
            return []
        return _pages("claims", len(self.report.claims), CLAIMS_PER_PAGE)

    @cached_property
    def article_pages(self) -> list[Page]:
        """Return the article readers' pages (none when the report is one page)."""
        if not self.paged:
            return []
        return _pages("articles", len(self.report.articles), ARTICLES_PER_PAGE)

    @property
    def pages(self) -> list[Page]:
        """Return the pages written beside the main page."""
        return self.finding_pages[1:] + self.claim_pages + self.article_pages

    @cached_property
    def _claim_page(self) -> dict[str, Page]:
        return {
            c.id: page
            for page in self.claim_pages
            for c in self.ordered_claims[page.start : page.stop]
        }

    @cached_property
    def _article_page(self) -> dict[str, Page]:
        return {
            a.id: page
            for page in self.article_pages
            for a in self.report.articles[page.start : page.stop]
        }

    def page_claims(self, page: Page) -> list[ClaimReport]:
        """Return the claims a page shows."""
        return self.ordered_claims[page.start : page.stop]

    def page_articles(self, page: Page) -> list[ArticleReport]:
        """Return the articles a page shows."""
        return self.report.articles[page.start : page.stop]

    @staticmethod
    def href(target: Page | None, anchor: str, here: Page | None) -> str:
        """Return a link from one page (None: the main page) to an anchor on another."""
        if target == here or (target is None and here is None):
            return f"#{anchor}"
        if target is None:
            return f"../{MAIN_PAGE}#{anchor}"
        if here is None:
            return f"{target.path}#{anchor}"
        return f"{target.name}#{anchor}"

    def claim_href(self, claim: str, here: Page | None = None) -> str:
        """Return a link to a claim's card."""
        return self.href(self._claim_page.get(claim), f"claim-{anchor(claim)}", here)

    def article_href(self, article: str, here: Page | None = None) -> str:
        """Return a link to an article's reader."""
        return self.href(self._article_page.get(article), f"article-{anchor(article)}", here)

    def sentence_href(self, article: str, index: int, here: Page | None = None) -> str:
        """Return a link to one sentence in an article's reader (an archive's: the article)."""
        if self.paged:  # an archive's report lists no sentences: its reader pages neither
            return self.article_href(article, here)
        return self.href(None, f"s-{anchor(article)}-{index}", here)

    def finding_href(self, finding: Finding, here: Page | None = None) -> str | None:
        """Return a link to where a finding is: its sentence, its article, or its claim's card."""
        article = self.article_of(finding)
        if article is not None:
            if self.paged:  # the article's reader page lists its findings
                page = self._article_page.get(article)
                return self.href(page, f"f-{finding.fingerprint}", here)
            index = self.sentence_at.get((article, finding.line, finding.column))
            if index is not None:
                return self.sentence_href(article, index, here)
            return self.article_href(article, here)
        if finding.claim is not None:
            return self.claim_href(finding.claim, here)
        return None

    def finding_rows(self, page: Page) -> list[list[object]]:
        """Return a findings page's rows as the page's script reads them (compact lists)."""
        here = None if page.number == 1 else page
        rows: list[list[object]] = []
        for f in self.ordered_findings[page.start : page.stop]:
            labels = (("new", f.change == "new"), ("existing", f.change == "existing"))
            tags = [t for t, on in (*labels, ("waived", f.waived)) if on]
            rows.append(
                [
                    f.severity.value,
                    f.kind.value,
                    f.code,
                    f.path,
                    f.line,
                    f.column,
                    f.message,
                    f.claim or "",
                    self.article_of(f) or "",
                    self.finding_href(f, here) or "",
                    " ".join(tags),
                    f.waiver_reason or "",
                    f.fingerprint,
                    "" if f.claim is None else self.claim_href(f.claim, here),
                ]
            )
        return rows

    def article_titles(self, page: Page | None = None) -> dict[str, tuple[str, str]]:
        """Return the title and path by id of the articles a page names, for its filter.

        The main page and the findings pages name any article; a claims page those in its
        claims' cells, an articles page its own.
        """
        if page is None or page.kind == "findings":
            articles = self.report.articles
        elif page.kind == "articles":
            articles = self.page_articles(page)
        else:
            named = {cell.article for c in self.page_claims(page) for cell in c.cells}
            articles = [a for a in self.report.articles if a.id in named]
        return {a.id: (self.title(a.id), a.path) for a in articles}

    @property
    def offer_choices(self) -> bool:
        """Tell whether the filter's inputs list the claims and articles to choose from."""
        return len(self.report.claims) + len(self.report.articles) <= CHOICES


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
