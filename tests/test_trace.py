"""The decision trace: every mention a rule discounts is shown with its rule, wherever it is read."""

from __future__ import annotations

import json

from checker.application.cli import ExitStatus
from checker.findings import results
from tests.harness import Project, check_texts

MAYOR = """
claims:
  - id: mayor
    question: Who is the mayor?
    values: {Ines Albrecht: [Ines Albrecht, Mayor Ines Albrecht], Tomas Berg: [Tomas Berg]}
"""
ARTICLES = {
    "a.txt": "Bridge reopens\n\nThe bridge will reopen in May, Mayor Ines Albrecht said.\n",
    "b.txt": "Council news\n\nTomas Berg was elected mayor in March.\n",
}


def make(project: Project) -> None:
    project.claims(MAYOR)
    for name, text in ARTICLES.items():
        project.article(name, text)


def test_explain_shows_the_discounted_speaker_and_its_rule(project: Project) -> None:
    make(project)
    result = project.run("explain", "mayor")
    assert result.status is ExitStatus.OK, result.stderr
    lines = result.stdout.splitlines()
    [verdict] = [line for line in lines if line.strip().startswith("- a:")]
    assert verdict.strip() == "- a: silent"
    [mention] = [line for line in lines if "corpus/a.txt:3:" in line]
    assert "[source: MR002 speaker]" in mention
    assert "»Mayor Ines Albrecht«" in result.stdout
    assert "mentions discounted: 1 by MR002 speaker" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no dimming codes


def test_show_lists_the_mention_that_did_not_count(project: Project) -> None:
    make(project)
    result = project.run("show", "a")
    assert result.status is ExitStatus.OK, result.stderr
    assert "not counted: mayor 'Ines Albrecht' source: MR002 speaker" in result.stdout


def test_json_cells_carry_discounted_mentions_with_their_rule(project: Project) -> None:
    make(project)
    result = project.run("--format", "json", "--no-reports")
    report = json.loads(result.stdout)
    [mayor] = report["claims"]
    cells = {cell["article"]: cell for cell in mayor["cells"]}
    assert cells["a"]["verdict"] == "silent"
    [evidence] = cells["a"]["evidence"]
    assert (evidence["role"], evidence["rule"]) == ("source", "MR002")
    assert cells["b"]["evidence"][0]["rule"] == ""
    assert mayor["discounted"] == {"MR002": 1}
    assert mayor["verdict_counts"] == {"asserts": 1}  # a trace cell is not a speaking article
    assert mayor["silent"] == 1
    assert "MR002" in report["mention_rules"]


def test_a_discounted_sentence_still_needs_support(project: Project) -> None:
    make(project)
    result = project.run("--format", "json", "--no-reports")
    [article] = [a for a in json.loads(result.stdout)["articles"] if a["id"] == "a"]
    [sentence] = [s for s in article["sentences"] if s["line"] == 3]
    assert sentence["status"] == "unsupported"
    assert sentence["claims"] == []


def test_an_archive_report_counts_discounted_mentions_instead_of_listing_them() -> None:
    texts = {f"n{i:02d}": ARTICLES["a.txt"] for i in range(3)}
    report = check_texts(MAYOR, texts)
    [mayor] = report.claims
    assert mayor.discounted == {"MR002": 3}
    assert len(mayor.cells) == 3
    # With sentences left out, cells are listed only for claims with findings and the trace
    # is counted, never listed.
    original = results.DETAIL_SENTENCES_BUDGET
    try:
        results.DETAIL_SENTENCES_BUDGET = 1
        counted = check_texts(MAYOR, texts)
    finally:
        results.DETAIL_SENTENCES_BUDGET = original
    [mayor] = counted.claims
    assert counted.detail == "findings"
    assert mayor.discounted == {"MR002": 3}
    assert all(not e.discounted for cell in mayor.cells for e in cell.evidence)
