"""The editor's HTML report: errors first, links that resolve, titles, pages at archive scale."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from checker.formats import OutputFormat, Page, context, make_context, render, stream
from checker.formats.context import RenderContext
from tests.harness import Project, check_texts, location

ARTICLES = {
    "a1": "Talks in Almaty\n\nThey met in Almaty. It rained.",
    "b1": "Summit in Astana\n\nThey met in Astana. Egypt voted.",
    "c1": "Nothing here.",
}


class _Page(HTMLParser):
    """The ids, links and JSON data of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.data: dict[str, str] = {}
        self._block: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if tag == "script" and found.get("type") == "application/json":
            self._block = found.get("id") or ""
            self.data[self._block] = ""

    def handle_endtag(self, tag: str) -> None:
        self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self.data[self._block] += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _site(ctx: RenderContext) -> dict[str, _Page]:
    """Render the main page and every page beside it, by path in the report folder."""
    site = {"report.html": _parse(render(OutputFormat.HTML, ctx))}
    for page in ctx.pages:
        site[page.path] = _parse("".join(stream(page, ctx)))
    return site


def _links(name: str, page: _Page) -> list[str]:
    """Return the page's links, the findings table's included (they are in its data)."""
    rows = json.loads(page.data.get("findings-data", "[]"))
    return page.hrefs + [row[9] for row in rows if row[9]] + [row[13] for row in rows if row[13]]


def _resolve(site: dict[str, _Page], name: str, href: str) -> tuple[str, str]:
    parts = urlsplit(href)
    if not parts.path:
        return name, parts.fragment
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path)), parts.fragment


def _assert_links_resolve(site: dict[str, _Page]) -> int:
    checked = 0
    for name, page in site.items():
        for href in _links(name, page):
            if href.startswith("http"):
                continue
            target, fragment = _resolve(site, name, href)
            assert target in site, (name, href)
            assert not fragment or fragment in site[target].ids, (name, href)
            checked += 1
    return checked


def test_findings_are_listed_errors_first() -> None:
    report = check_texts(location("expected: Almaty"), ARTICLES)
    rows = json.loads(_parse(render(OutputFormat.HTML, make_context(report))).data["findings-data"])
    severities = [row[0] for row in rows]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error"
    assert "info" in severities


def test_every_location_in_a_one_page_report_links_to_its_sentence() -> None:
    ctx = make_context(check_texts(location("expected: Almaty"), ARTICLES))
    assert ctx.pages == []
    site = _site(ctx)
    rows = json.loads(site["report.html"].data["findings-data"])
    assert all(row[9].startswith("#s-") for row in rows if row[8])  # in an article: its sentence
    assert _assert_links_resolve(site) > 10


def test_articles_appear_by_title_and_fall_back_to_their_path() -> None:
    ctx = make_context(check_texts(location(), ARTICLES))
    assert ctx.title("a1") == "Talks in Almaty"
    titles = json.loads(_parse(render(OutputFormat.HTML, ctx)).data["article-titles"])
    assert titles["a1"] == ["Talks in Almaty", "corpus/a1.txt"]
    untitled = ctx.report.articles[0].model_copy(update={"title": " "})
    report = ctx.report.model_copy(update={"articles": [untitled, *ctx.report.articles[1:]]})
    assert make_context(report).title(untitled.id) == untitled.path


def test_a_conflict_shows_one_column_per_value() -> None:
    page = render(OutputFormat.HTML, make_context(check_texts(location(), ARTICLES)))
    card = page[page.index('id="claim-loc"') :]
    card = card[: card.index("</article>")]
    sides = re.findall(r'<div class="side">\n<h4>([^<]+)', card)
    assert sides == ["Almaty", "Astana"]
    assert card.index("Talks in Almaty</a>") < card.index("Summit in Astana</a>")


def test_the_page_runs_only_its_own_script_and_style() -> None:
    page = render(OutputFormat.HTML, make_context(check_texts(location(), ARTICLES)))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", directives["script-src"])
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", directives["style-src"])
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # nothing fetched


@pytest.fixture
def archive(monkeypatch: pytest.MonkeyPatch) -> RenderContext:
    """A report past the sentence budget, written in pages of one finding, claim and article."""
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 1)
    monkeypatch.setattr(context, "FINDINGS_PER_PAGE", 2)
    monkeypatch.setattr(context, "CLAIMS_PER_PAGE", 1)
    monkeypatch.setattr(context, "ARTICLES_PER_PAGE", 2)
    claims = location("expected: Almaty").rstrip() + (
        "\n  - id: weather\n    question: What was the weather?\n"
        "    values: {rain: [rained], sun: [sunny]}\n"
    )
    report = check_texts(claims, ARTICLES)
    assert report.detail == "findings"
    return make_context(report)


def test_an_archive_report_is_written_in_pages_that_reach_everything(
    archive: RenderContext,
) -> None:
    names = [p.path for p in archive.pages]
    assert names[0] == "report-files/findings-002.html"
    assert "report-files/claims-002.html" in names
    assert "report-files/articles-002.html" in names
    site = _site(archive)
    # Every finding is on one page, every claim has a card and every article a reader.
    fingerprints = [
        row[12] for p in site.values() for row in json.loads(p.data.get("findings-data", "[]"))
    ]
    assert sorted(fingerprints) == sorted(f.fingerprint for f in archive.report.findings)
    ids = set().union(*(p.ids for p in site.values()))
    assert {f"claim-{c.id}" for c in archive.report.claims} <= ids
    assert {f"article-{a.id}" for a in archive.report.articles} <= ids
    assert _assert_links_resolve(site) > 10
    # A finding in an article links to its sentence or to the finding on the article's page.
    rows = json.loads(site["report.html"].data["findings-data"])
    assert all(row[9].startswith("report-files/articles-") for row in rows if row[8])


def test_a_run_writes_the_pages_beside_the_report_and_removes_stale_ones(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 1)
    monkeypatch.setattr(context, "ARTICLES_PER_PAGE", 1)
    project.claims(location())
    for name, text in ARTICLES.items():
        project.article(f"{name}.txt", text)
    pages = project.root / "reports" / "report-files"
    pages.mkdir(parents=True)
    (pages / "articles-009.html").write_text(
        '<!DOCTYPE html>\n<meta name="generator" content="crossfact">'
    )
    (pages / "articles-010.html").write_text("<p>not ours</p>")
    (pages / "notes.html").write_text('<meta name="generator" content="crossfact">')
    project.run()
    written = sorted(p.name for p in pages.iterdir())
    assert "articles-009.html" not in written  # stale, and ours
    assert {"articles-010.html", "notes.html"} <= set(written)  # not ours: left alone
    assert {"articles-001.html", "articles-003.html", "claims-001.html"} <= set(written)
    assert not list(project.root.rglob("*.tmp"))


def test_a_symlinked_pages_folder_is_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.findings.results.DETAIL_SENTENCES_BUDGET", 1)
    project.claims(location())
    for name, text in ARTICLES.items():
        project.article(f"{name}.txt", text)
    outside = project.root.parent / "elsewhere"
    outside.mkdir()
    (project.root / "reports").mkdir()
    (project.root / "reports" / "report-files").symlink_to(outside)
    result = project.run()
    assert result.status == 2
    assert "is not a folder of the report's pages" in result.stderr
    assert list(outside.iterdir()) == []


def test_pages_render_as_a_format_stream(archive: RenderContext) -> None:
    page = archive.pages[0]
    assert isinstance(page, Page)
    text = "".join(stream(page, archive))
    assert text.startswith("<!DOCTYPE html>")
    assert 'id="findings-data"' in text
