"""A realistic corpus in web and wire styles (tests/data/realcopy, sentences written for it):
the planted errors are found, and nothing else is reported above info."""

from __future__ import annotations

import json
import shutil

import pytest

from checker.application.cli import ExitStatus
from tests.harness import REPO, run_cli

DATA = REPO / "tests" / "data" / "realcopy"
# Every finding above info that the corpus must give: its planted errors and what follows.
EXPECTED = {
    ("contradiction", "summit-location", "wire_summit_wrong_city", 3),
    ("conflict", "summit-location", None, 10),
    ("contradiction", "meeting-china", "web_meeting_wrong_minister", 3),
    ("conflict", "meeting-china", None, 5),
    ("stray", None, "web_meeting_almaty", 9),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("realcopy")
    shutil.copytree(DATA / "corpus", root / "corpus")
    shutil.copytree(DATA / "claims", root / "claims")
    result = run_cli(
        "--root",
        str(root),
        "--corpus",
        str(root / "corpus"),
        "--claims",
        str(root / "claims"),
        "--no-reports",
        "--no-cache",
        "--format",
        "json",
    )
    assert result.status is ExitStatus.FINDINGS, result.stderr
    return json.loads(result.stdout)


def test_the_planted_errors_are_found_and_nothing_else(report: dict) -> None:  # type: ignore[type-arg]
    found = {
        (f["kind"], f["claim"], f["article"], f["line"])
        for f in report["findings"]
        if f["severity"] != "info"
    }
    assert found == EXPECTED


def article(report: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(a for a in report["articles"] if a["id"] == name)


def test_chrome_meta_credits_and_references_are_never_sentences(report: dict) -> None:  # type: ignore[type-arg]
    web = article(report, "web_summit_chrome")
    assert web["title"] == "Leaders gather in Kazakh capital for regional summit"
    assert [(b["line"], b["reason"]) for b in web["boilerplate"]] == [
        (1, "boilerplate"),  # Home / World / Asia
        (2, "meta"),  # Views / Author / Publish Time
        (4, "boilerplate"),  # wechat sharing button
        (12, "boilerplate"),  # Reference(s):
        (13, "reference"),
        (14, "reference"),
    ]
    roles = {s["line"]: s["role"] for s in web["sentences"]}
    assert roles[6] == "subheading"
    assert roles[7] == roles[8] == roles[9] == "list-item"
    assert roles[10] == "caption"
    caption = next(s for s in web["sentences"] if s["line"] == 10)
    assert not caption["text"].endswith(")")  # the credit is cut from its caption
    wire = article(report, "wire_summit_xinhua_style")
    assert wire["metadata"]["dateline_place"] == "ASTANA"
    assert wire["metadata"]["dateline_date"] == "June 18"
    assert [b["reason"] for b in wire["boilerplate"]] == ["credit"]


def test_other_occasions_are_evidence_that_does_not_count(report: dict) -> None:  # type: ignore[type-arg]
    [summit] = [c for c in report["claims"] if c["id"] == "summit-location"]
    cell = next(c for c in summit["cells"] if c["article"] == "wire_summit_xinhua_style")
    roles = {(e["value"], e["role"]) for e in cell["evidence"]}
    assert ("Xi'an", "other-event") in roles
    assert ("Astana", "answer") in roles
    assert cell["verdict"] == "supports"
