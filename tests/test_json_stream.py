"""The JSON report is written in pieces: joined, they are exactly the report's JSON."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.base.files import write_atomically
from checker.findings.results import Report
from checker.formats import OutputFormat, make_context, stream
from checker.formats import json as json_format
from tests.harness import check_texts

LEDGER = """
claims:
  - id: loc
    question: Where did they meet?
    values: {Almaty: [Almaty], Astana: [Astana]}
    about: [met]
"""
CORPORA = {
    "conflict": {"a": "They met in Almaty.", "b": "They met in Astana. Egypt was calm."},
    "agreement": {"a": "They met in Almaty.", "b": "They met in Almaty too."},
    "silence": {"a": "Nothing here names a place."},
}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_joined_pieces_are_the_models_json(corpus: str) -> None:
    report = check_texts(LEDGER, CORPORA[corpus])
    context = make_context(report)
    pieces = list(json_format.chunks(context))
    assert "".join(pieces) == report.model_dump_json(indent=2) + "\n"
    assert "".join(stream(OutputFormat.JSON, context)) == "".join(pieces)
    assert Report.model_validate_json("".join(pieces)) == report


def test_every_finding_is_a_piece_of_its_own() -> None:
    report = check_texts(LEDGER, CORPORA["conflict"])
    assert len(report.findings) >= 2
    pieces = list(json_format.chunks(make_context(report)))
    assert len(pieces) > len(report.findings) + len(report.claims) + len(report.articles)


def _failing(pieces: list[str]) -> Iterator[str]:
    yield from pieces
    raise RuntimeError("renderer failed mid-stream")


def test_a_stream_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError):
        write_atomically(target, _failing(['{\n  "a": 1', ",\n"]))
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    write_atomically(target, iter(["{", "}\n"]))
    assert target.read_text(encoding="utf-8") == "{}\n"
