"""Every output format: it renders, it is deterministic, hostile text cannot break out of it.

Snapshots of the seeds' report in every format live in tests/snapshots/. After an intended
change, rewrite them with:

    CROSSFACT_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_format_contract.py

and review the diff like any other change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from checker.application import app
from checker.application.reading import read_settings
from checker.application.settings import resolve
from checker.findings.results import Report
from checker.formats import FORMATS, OutputFormat, make_context, render
from tests.harness import REPO, check_texts

SNAPSHOTS = REPO / "tests" / "snapshots"
UPDATE = os.environ.get("CROSSFACT_UPDATE_SNAPSHOTS") == "1"
SUFFIX = {
    OutputFormat.TEXT: "txt",
    OutputFormat.JSON: "json",
    OutputFormat.MARKDOWN: "md",
    OutputFormat.HTML: "html",
    OutputFormat.SARIF: "sarif",
    OutputFormat.JUNIT: "xml",
    OutputFormat.GITHUB: "github",
    OutputFormat.GITLAB: "gitlab.json",
    OutputFormat.CLAIMREVIEW: "claimreview.json",
}
HOSTILE = (
    "<script>alert(1)</script> | **bold** [x](javascript:alert(1)) @everyone "
    '&amp; ]]> "quoted" %0A::error::forged'
)


def seeds_report(tmp_path: Path) -> Report:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    shutil.copytree(REPO / "claims", tmp_path / "claims")
    # Relative paths, as a run from the project root shows them.
    os.chdir(tmp_path)
    settings = resolve(Path(), read_settings(Path()), cache=False)
    return app.check(settings, today=dt.date(2026, 1, 1), write_reports=False).report


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Report:
    before = Path.cwd()
    try:
        return seeds_report(tmp_path_factory.mktemp("seeds"))
    finally:
        os.chdir(before)


def test_every_format_has_a_snapshot_suffix() -> None:
    assert set(SUFFIX) == set(FORMATS) == set(OutputFormat)


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=str)
def test_the_seeds_render_as_their_snapshot(seeds: Report, output_format: OutputFormat) -> None:
    text = render(output_format, make_context(seeds))
    assert text == render(output_format, make_context(seeds))  # deterministic
    snapshot = SNAPSHOTS / f"seeds.{SUFFIX[output_format]}"
    if UPDATE:
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot: run with CROSSFACT_UPDATE_SNAPSHOTS=1 ({snapshot})"
    assert text == snapshot.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile() -> Report:
    claims = f"""
    claims:
      - id: loc
        question: {json.dumps("Where? " + HOSTILE)}
        values:
          Almaty: [Almaty]
          Astana: [Astana]
        note: {json.dumps(HOSTILE)}
    """
    articles = {
        "a": f"They met in Almaty. {HOSTILE} Zanzibar voted.",
        "b": "They met in Astana.",
    }
    return check_texts(claims, articles)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_data: list[str] = []
        self.in_script = False
        self.data = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.in_script = tag == "script"
        if self.in_script:
            self.scripts.append(dict(attrs))
            self.script_data.append("")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_data[-1] += data
        self.data += data


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def _structure_holds(output_format: OutputFormat, text: str) -> None:
    """Parse the output as its consumer would; hostile text must stay text."""
    if output_format in (OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.GITLAB):
        assert any(HOSTILE in value for value in _strings(json.loads(text)))
    elif output_format is OutputFormat.CLAIMREVIEW:
        assert HOSTILE in json.loads(text)["@graph"][0]["claimReviewed"]
    elif output_format is OutputFormat.JUNIT:
        root = ElementTree.fromstring(text)
        assert HOSTILE in " ".join(e.get("message", "") for e in root.iter("failure"))
    elif output_format is OutputFormat.HTML:
        page = _Text()
        page.feed(text)
        # Only our script runs; the other script elements are JSON data, with no "<" to close them.
        assert [s.get("type") for s in page.scripts].count(None) == 1
        assert all(s.get("type") in (None, "application/json") for s in page.scripts)
        data = [d for s, d in zip(page.scripts, page.script_data, strict=True) if s.get("type")]
        assert data
        assert not any("<" in d for d in data)
        assert any("alert(1)" in d for d in data)  # the findings table's rows hold it, as data
        assert HOSTILE.replace("&amp;", "&amp;") in page.data
        assert "Content-Security-Policy" in text
        assert "script-src 'sha256-" in text
    elif output_format is OutputFormat.MARKDOWN:
        assert "<script>" not in text
        assert "@everyone" not in text  # a PR comment must not notify anyone
        assert "| **bold**" not in text
    elif output_format is OutputFormat.GITHUB:
        for line in text.splitlines():
            assert line.startswith(("::error file=", "::warning file=", "::notice file="))
        assert "%0A::error::forged" not in text.replace("%250A", "")
    elif output_format is OutputFormat.TEXT:
        assert HOSTILE in text  # a terminal shows text as it is; control characters: issue 14


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=str)
def test_hostile_text_cannot_break_out_of_any_format(
    hostile: Report, output_format: OutputFormat
) -> None:
    text = render(output_format, make_context(hostile))
    assert text.endswith("\n")
    _structure_holds(output_format, text)
