"""The seeds' HTML report in real headless Chromium (Debian's package, no downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import REPO, run_cli

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("CROSSFACT_REQUIRE_BROWSER") == "1"
try:
    from playwright import sync_api
except ImportError:
    if REQUIRED:
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)
if CHROMIUM is None:
    if REQUIRED:
        raise RuntimeError("CROSSFACT_REQUIRE_BROWSER=1 but no chromium binary on PATH")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EGYPT = "Most critically, it sought to rebuild Egypt’s relations with its Arab neighbors."
SEVERE = ("serious", "critical")


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Render the seeds' report in a scratch copy of the project."""
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "claims", root / "claims")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        run_cli("--no-reports")  # warm-up: reading the ledger must not touch reports/
        assert not (root / "reports").exists()
        run_cli()
    finally:
        os.chdir(cwd)
    return (root / "reports" / "report.html").as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, report_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.goto(report_url)
    opened.problems = problems
    yield opened
    context.close()


def test_loads_without_console_errors_and_shows_the_overview(page) -> None:  # type: ignore[no-untyped-def]
    assert page.problems == []
    assert page.locator("#overview .counts li").first.inner_text().split() == ["4", "conflicts"]
    screenshot = REPO / "reports" / "overview.png"
    screenshot.parent.mkdir(exist_ok=True)
    page.locator("#overview").screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000


def test_the_conflicts_section_lists_the_four_seed_conflicts(page) -> None:  # type: ignore[no-untyped-def]
    cards = page.locator("#disagreements > article.card[data-kind=conflict]")
    ids = sorted(cards.evaluate_all("cards => cards.map(c => c.dataset.claims)"))
    assert ids == ["china-representative", "delegation-level", "meeting-location", "trump-office"]


def test_the_egypt_sentence_is_marked_stray_in_the_reader(page) -> None:  # type: ignore[no-untyped-def]
    sentence = page.locator("#articles p[data-kind=stray]", has_text="Egypt")
    assert sentence.count() == 1
    assert sentence.locator(".status").inner_text().lower().startswith("stray")
    # The salient words no other sentence or claim uses, in their order (CF005's message).
    assert sentence.locator(".novel").all_inner_texts() == [
        "critically",
        "sought",
        "rebuild",
        "Egypt",
        "Arab",
    ]
    assert EGYPT.replace("’", "'") in sentence.inner_text().replace("’", "'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(page, scheme: str) -> None:  # type: ignore[no-untyped-def]

    import axe_playwright_python

    page.emulate_media(color_scheme=scheme)
    axe_js = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    # The page's policy runs no script but its own: axe goes in through the test's own channel.
    page.evaluate(axe_js)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    severe = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]
    assert severe == []
    assert result["passes"]  # axe really ran its rules


def test_a_filter_click_hides_what_it_should(page) -> None:  # type: ignore[no-untyped-def]
    stray = page.locator("[data-kind=stray]")
    supported = page.locator("#articles p[data-kind=supported]")
    assert stray.count() == 3  # the Egypt sentence in the list, the findings table and the reader
    assert all(stray.nth(i).is_visible() for i in range(stray.count()))
    page.get_by_role("checkbox", name="stray", exact=True).uncheck()
    assert not any(stray.nth(i).is_visible() for i in range(stray.count()))
    assert supported.first.is_visible()
    page.get_by_role("combobox", name="Claim").fill("meeting-location")
    page.wait_for_timeout(400)  # the filter applies as one types, after a pause
    visible = page.locator("#articles p[data-kind]:visible")
    assert visible.count() == 3
    assert all(
        "meeting-location" in (visible.nth(i).get_attribute("data-claims") or "").split()
        for i in range(visible.count())
    )


def test_a_fragment_points_at_one_sentence(browser, report_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(report_url + "#s-000_e909acf5820e5662-10")
    target = page.locator(":target")
    assert target.get_attribute("data-kind") == "stray"
    assert "Egypt" in target.inner_text()
    page.close()


def test_the_findings_table_lists_errors_first_and_sorts_by_a_column(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("#filters").is_visible()  # the page's own script ran under its policy
    rows = page.locator("#findings-table tbody tr")
    severities = rows.evaluate_all("rows => rows.map(r => r.cells[0].textContent)")
    assert severities[0] == "error"
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    page.get_by_role("button", name="Kind").click()
    kinds = rows.evaluate_all("rows => rows.map(r => r.cells[1].querySelector('abbr').textContent)")
    assert kinds == sorted(kinds)
    assert page.locator("th[data-sort=kind]").get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Kind").click()
    assert page.locator("th[data-sort=kind]").get_attribute("aria-sort") == "descending"


def test_search_filters_the_table_and_every_section(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("searchbox", name="Search").fill("Egypt")
    page.wait_for_timeout(400)
    assert page.locator("#findings-table tbody tr").count() == 1
    assert "1 of 1 (filtered from 15)" in page.locator("#findings-status").inner_text()
    reader = page.locator("#articles p[data-kind]:visible")
    assert reader.count() == 1
    assert "Egypt" in reader.first.inner_text()
    assert page.locator("#unsupported li[data-kind]:visible").count() == 1


def test_a_location_link_opens_its_sentence(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("searchbox", name="Search").fill("Egypt")
    page.wait_for_timeout(400)
    page.locator("#findings-table tbody tr a").first.click()
    target = page.locator(":target")
    assert target.get_attribute("data-kind") == "stray"
    assert "Egypt" in target.inner_text()


def test_a_conflict_card_shows_its_values_side_by_side(page) -> None:  # type: ignore[no-untyped-def]
    card = page.locator("#claim-meeting-location")
    sides = card.locator(".side")
    assert sides.locator("h4").all_inner_texts() == ["Almaty", "Astana"]
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert first is not None
    assert second is not None
    assert abs(first["y"] - second["y"]) < 1
    assert second["x"] > first["x"] + first["width"] - 1
    assert "Almaty Meeting" in sides.nth(0).locator("a").first.inner_text()  # by title


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Render the seeds' report as an archive's: in pages beside report.html."""
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "claims", root / "claims")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        run_cli("--detail", "findings")
    finally:
        os.chdir(cwd)
    assert (root / "reports" / "report-files" / "articles-001.html").exists()
    return (root / "reports" / "report.html").as_uri()


def _severe_axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    import axe_playwright_python

    axe_js = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.evaluate(axe_js)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    return [v["id"] for v in result["violations"] if v["impact"] in SEVERE]


def test_an_archive_report_reaches_its_pages_without_errors(browser, archive_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(archive_url)
    assert _severe_axe_violations(page) == []
    link = page.locator("#findings-table tbody tr", has_text="Egypt").locator("a").first
    assert "report-files/articles-001.html#" in (link.get_attribute("href") or "")
    link.click()
    page.wait_for_load_state("load")
    target = page.locator(":target")
    assert "Egypt" in target.inner_text()
    assert _severe_axe_violations(page) == []
    page.locator("#readers a", has_text="claim ").first.click()  # on to a claim card's page
    page.wait_for_load_state("load")
    assert "/report-files/claims-001.html#claim-" in page.url
    assert page.locator(":target .side").count() >= 1
    assert _severe_axe_violations(page) == []
    assert problems == []
    context.close()


HTML_FIXTURE = REPO / "tests" / "data" / "html" / "desk-briefing.html"
WIRE = "Ministers meet in Astana\n\nASTANA, April 26 — Foreign ministers from China and the five Central Asian republics met in Astana on Saturday, officials said.\n"
PLACE = """claims:
  - id: meeting-place
    question: Where did the foreign ministers meet?
    values:
      Almaty: [Almaty]
      Astana: [Astana]
"""


@pytest.fixture(scope="module")
def news_page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Check a news page (HTML of our own, with chrome and script) against a wire story."""
    pytest.importorskip("trafilatura")
    root = tmp_path_factory.mktemp("newspage")
    (root / "corpus").mkdir()
    (root / "claims").mkdir()
    shutil.copy(HTML_FIXTURE, root / "corpus" / HTML_FIXTURE.name)
    (root / "corpus" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (root / "claims" / "place.yaml").write_text(PLACE, encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        run_cli("--corpus", "corpus")
    finally:
        os.chdir(cwd)
    return (root / "reports" / "report.html").as_uri()


def test_a_news_page_reads_by_its_title_and_links_to_its_source_lines(  # type: ignore[no-untyped-def]
    browser, news_page_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(news_page_url)
    sides = page.locator("#claim-meeting-place .side")
    assert sides.locator("h4").all_inner_texts() == ["Almaty", "Astana"]
    assert sides.nth(0).locator("a").first.inner_text() == "Envoys gather in Almaty for trade talks"
    assert sides.nth(1).locator("a").first.inner_text() == "Ministers meet in Astana"
    assert "tracking" not in page.locator("main").inner_text()  # the page's own script is gone
    first = page.locator("#findings-table tbody tr").first
    assert first.locator("td").first.inner_text() == "error"
    where = first.locator("a").first
    assert where.inner_text().startswith("corpus/desk-briefing.html:20:")  # the HTML source line
    where.click()
    target = page.locator(":target")  # the headline, on the page's line 20, names Almaty first
    assert target.get_attribute("id") == "s-desk-briefing-0"
    assert "Envoys gather in Almaty" in target.inner_text()
    stray = page.locator("#findings-table tbody tr", has_text="Cairo").locator("a").first
    assert stray.inner_text().startswith("corpus/desk-briefing.html:26:")
    stray.click()
    assert page.locator(":target").get_attribute("data-kind") == "stray"
    assert _severe_axe_violations(page) == []
    assert problems == []
    context.close()
