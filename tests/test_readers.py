"""The reader seam: formats, wrapped paragraphs, HTML pages, skipped files and inline waivers."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from checker.application.cli import ExitStatus
from checker.articles import readers
from checker.articles.boilerplate import Boilerplate
from checker.articles.corpus import RawArticle, parse_article
from checker.articles.readers import reader_for, wrap_width
from tests.harness import Project, assert_findings, location, run_cli

FIXTURE = Path(__file__).parent / "data" / "html" / "summit.html"
WANG = """
claims:
  - id: chair
    question: Who chaired the talks?
    values:
      Wang: [Wang Yi]
      Li: [Li Qiang]
    expected: Li
"""


def _report(*argv: str) -> dict:
    result = run_cli(*argv, "--format", "json", "--no-reports", "--no-cache")
    assert result.status in (ExitStatus.OK, ExitStatus.FINDINGS), result.stderr
    return json.loads(result.stdout)


def _verdicts(report: dict) -> dict[tuple[str, str], str]:
    return {
        (c["id"], cell["article"]): cell["verdict"]
        for c in report["claims"]
        for c_ in [c]
        for cell in c_["cells"]
    }


@pytest.mark.skipif(shutil.which("fold") is None, reason="needs coreutils fold")
def test_a_seed_wrapped_by_fold_keeps_every_claim_and_points_at_its_own_lines(
    seeds_project: Path,
) -> None:
    plain = _report()
    for path in (seeds_project / "seeds").glob("*.txt"):
        folded = subprocess.run(
            ["fold", "-s", "-w", "70", str(path)], capture_output=True, check=True
        ).stdout
        path.write_bytes(folded)
    wrapped = _report()
    assert _verdicts(wrapped) == _verdicts(plain)
    assert [f["fingerprint"] for f in wrapped["findings"]] == [
        f["fingerprint"] for f in plain["findings"]
    ]
    assert [s["text"] for a in wrapped["articles"] for s in a["sentences"]] == [
        s["text"] for a in plain["articles"] for s in a["sentences"]
    ]
    files = {
        a["id"]: (seeds_project / a["path"]).read_text("utf-8").split("\n")
        for a in wrapped["articles"]
    }
    checked = 0
    for claim in wrapped["claims"]:
        for cell in claim["cells"]:
            for e in cell["evidence"]:
                line = files[cell["article"]][e["line"] - 1]
                spelled = line[e["column"] - 1 : e["column"] - 1 + len(e["text"])]
                if len(line) >= e["column"] - 1 + len(e["text"]):
                    assert spelled == e["text"], (e["line"], e["column"], e["text"])
                    checked += 1
                else:  # the mention goes on over the line break
                    assert e["text"].startswith(line[e["column"] - 1 :].rstrip())
    assert checked > 40
    for article in wrapped["articles"]:
        for s in article["sentences"]:
            start = files[article["id"]][s["line"] - 1][s["column"] - 1 :]
            assert s["text"].startswith(start.rstrip()[:20])


PARAGRAPH = (
    "The foreign ministers of China and the five Central Asian states met on Saturday in the "
    "Kazakh capital to prepare the summit of their presidents, officials said, and they agreed "
    "on a joint statement on trade, transport and water that the leaders are due to sign."
)


def _lines(text: str) -> list[tuple[int, str]]:
    article = parse_article(text, "a", "a.txt", Boilerplate())
    return [(line.number, line.text) for line in article.lines if line.text.strip()]


def _wrapped(width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(PARAGRAPH, width))


@pytest.mark.parametrize(
    ("case", "text", "paragraphs"),
    [
        ("a paragraph per line stays as it is", f"{PARAGRAPH}\n\n{PARAGRAPH}\n", 2),
        (
            "lines of whole similar sentences stay lines",
            "\n".join(f"They met in Almaty, day {n}." for n in range(12)),
            12,
        ),
        ("wrapped at 72 columns joins", _wrapped(72), 1),
        ("wrapped at 60 joins", _wrapped(60), 1),
        (
            "a headline and byline over wrapped copy stay lines",
            "Ministers meet in Astana\nBy Jane Roe\n\n" + _wrapped(70) + "\n\n" + _wrapped(70),
            4,
        ),
        (
            "a list item is never joined to the line above",
            _wrapped(70) + "\n- a list item that follows\n" + _wrapped(70),
            3,
        ),
    ],
)
def test_hard_wrapped_paragraphs_are_joined_from_the_line_profile(
    case: str, text: str, paragraphs: int
) -> None:
    assert len(_lines(text)) == paragraphs, case


def test_wrap_width_reads_the_profile() -> None:
    assert wrap_width(_wrapped(70).split("\n")) is not None
    assert wrap_width([PARAGRAPH] * 5) is None


@pytest.mark.parametrize(
    ("case", "name", "text", "contradiction"),
    [
        (
            "a soft line break inside an alias in Markdown",
            "a.md",
            "The talks were chaired by Wang\nYi on Saturday.\n",
            [("a", 1, 27)],
        ),
        (
            "emphasis across a soft line break",
            "a.md",
            "The talks were chaired by **Wang\nYi** on Saturday.\n",
            [("a", 1, 29)],
        ),
        (
            "a hard line break ends the line in Markdown",
            "a.md",
            "The talks were chaired by Wang  \nYi on Saturday.\n",
            [],
        ),
        (
            "a heading is never joined to the text below",
            "a.md",
            "# Wang\nYi chaired the talks.\n",
            [],
        ),
        (
            "plain text that is not hard-wrapped keeps its lines",
            "a.txt",
            "The talks were chaired by Wang\nYi on Saturday.\n",
            [],
        ),
    ],
)
def test_markdown_soft_line_breaks_join_a_paragraph(
    case: str, name: str, text: str, contradiction: list[tuple[str, int, int]]
) -> None:
    assert_findings(WANG, {name: text}, contradiction=contradiction)


@pytest.fixture
def html_project(project: Project) -> Project:
    project.claims(location("expected: Astana\n    about: [met, meeting, talks]"))
    project.article("summit.html", FIXTURE.read_bytes())
    return project


def test_an_html_page_is_read_with_its_metadata_and_positions_in_the_file(
    html_project: Project,
) -> None:
    report = _report("--corpus", "corpus")
    (article,) = report["articles"]
    assert article["title"] == "Ministers meet in Astana ahead of summit"
    assert {k: article["metadata"][k] for k in ("date", "author", "dateline_place")} == {
        "date": "2025-04-26",
        "author": "Jane Roe",
        "dateline_place": "ASTANA",
    }
    page = FIXTURE.read_text("utf-8").split("\n")
    (claim,) = report["claims"]
    evidence = [e for cell in claim["cells"] for e in cell["evidence"]]
    assert {(e["value"], e["line"]) for e in evidence} >= {("Astana", 24), ("Almaty", 26)}
    for e in evidence:  # every position is the HTML file's own line and column
        assert page[e["line"] - 1][e["column"] - 1 :].startswith(e["text"])
    texts = [s["text"] for s in article["sentences"]]
    assert "Chinese Foreign Minister Wang Yi chaired the session" in " ".join(texts)
    assert not any("Subscribe" in t or "Privacy" in t or "not text" in t for t in texts)
    # What the extractor leaves out is listed, never dropped in silence.
    outside = {b["text"] for b in article["boilerplate"] if b["reason"] == "outside-article"}
    assert {"Home", "Read next", "Privacy policy"} <= outside


def test_an_inline_comment_waives_the_paragraph_below_it_unless_ci_refuses(
    html_project: Project,
) -> None:
    waived = [f for f in _report("--corpus", "corpus")["findings"] if f["kind"] == "contradiction"]
    assert [(f["line"], f["waived"], f["waiver_reason"]) for f in waived] == [
        (26, True, "inline comment at corpus/summit.html:25")
    ]
    refused = run_cli("--no-inline-waivers", "--no-reports", "--no-cache", "--corpus", "corpus")
    assert refused.status is ExitStatus.FINDINGS
    assert "corpus/summit.html:26:" in refused.stdout


@pytest.mark.parametrize(
    ("case", "comment", "waived"),
    [
        ("every finding", "<!-- crossfact: ignore -->", True),
        ("this claim", "<!-- crossfact: ignore loc -->", True),
        ("this kind", "<!-- crossfact: ignore contradiction -->", True),
        ("this code", "<!-- crossfact: ignore CF002 -->", True),
        ("another claim", "<!-- crossfact: ignore other-claim -->", False),
        ("not a directive", "<!-- crossfact: please ignore -->", False),
    ],
)
@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_inline_comments_name_what_they_waive(
    project: Project, case: str, comment: str, waived: bool, name: str
) -> None:
    project.claims(location("expected: Astana"))
    suffix = name.rsplit(".", 1)[1]
    project.article(f"a.{suffix}", f"They met in Astana.\n\n{comment}\nThey met in Almaty.\n")
    project.article(f"b.{suffix}", "They met in Astana.\n\nThey met in Almaty.\n")
    report = _report("--corpus", "corpus")
    found = [f for f in report["findings"] if f["kind"] == "contradiction"]
    assert [(f["article"], f["line"], f["waived"]) for f in found] == [
        ("a", 4, waived),
        ("b", 3, False),
    ], case


def test_files_no_reader_takes_are_listed_and_counted(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_html_reader", lambda: None)  # as without crossfact[html]
    monkeypatch.setattr(readers, "READERS", dict(readers.READERS))
    readers.READERS.pop("html", None)
    project.claims(location())
    project.article("a.txt", "They met in Almaty.\n")
    project.article("b.html", "<p>They met in Astana.</p>")
    project.article("c.pdf", b"%PDF-1.7")
    project.article(".DS_Store", b"\x00")
    result = run_cli("--no-reports", "--no-cache", "--corpus", "corpus")
    assert (
        "corpus/b.html:1:1: warning CF009 skipped-file: not read: .html: pip install 'crossfact[html]'"
        in result.stdout
    )
    assert (
        "corpus/c.pdf:1:1: warning CF009 skipped-file: not read: .pdf: no reader for PDF files"
        in result.stdout
    )
    assert (
        "2 file(s) skipped (.html: pip install 'crossfact[html]'; .pdf: no reader for PDF files)"
        in result.stdout
    )
    assert result.status is ExitStatus.OK  # a warning: it shows, it does not gate by default


@pytest.mark.parametrize(
    ("name", "reader"),
    [("a.txt", "plain"), ("a.md", "markdown"), ("a.HTML", "html"), ("a.htm", "html")],
)
def test_each_format_has_its_reader(name: str, reader: str) -> None:
    found = reader_for(name)
    assert not isinstance(found, readers.Unread)
    assert found.name == reader


@pytest.mark.parametrize(
    "page",
    [
        "<" * 200_000,
        '<a title="' * 100_000,
        "<!--" * 100_000,
        "<p>" + "&amp" * 200_000,
        "<script>" + "<p>x" * 100_000,
    ],
)
def test_a_hostile_page_is_read_in_linear_time(page: str) -> None:
    started = time.perf_counter()
    RawArticle(page.encode(), "a", "a.html", "html").parse(Boilerplate())
    assert time.perf_counter() - started < 10
