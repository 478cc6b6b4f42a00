"""The JSON report is written in pieces: joined, they are exactly the report's JSON."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from checker.base.files import write_atomically
from checker.findings import results
from checker.findings.results import Cell, Evidence, Finding, Location, Report, VerdictStatus
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


@pytest.fixture(params=["orjson", "pydantic"])
def writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with orjson writing the lists, and again with pydantic's fallback alone."""
    assert json_format._orjson is not None, "orjson is a dependency: pip install -e ."
    if request.param == "pydantic":
        monkeypatch.setattr(json_format, "_orjson", None)
    return str(request.param)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_joined_pieces_are_the_models_json(corpus: str, writer: str) -> None:
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


# Text that JSON escapes or that a writer might: quotes, backslashes, controls, DEL, the line
# separators JavaScript minds, non-ASCII and astral letters.
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from('"\\/\x00\x1f\x7f\u2028\u2029\ufeffÅé–’𝔘😀\n\t\r\b\f'),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=12,
)
_INT = st.integers(min_value=0, max_value=2**31)


@st.composite
def _evidence(draw: st.DrawFn) -> Evidence:
    return Evidence(
        *(draw(_TEXT) for _ in range(4)),
        *(draw(_INT) for _ in range(4)),
        *(draw(st.booleans()) for _ in range(2)),
        role=draw(st.sampled_from(["answer", "other-event", "source", "dropped"])),
        rule=draw(_TEXT),
        provisional=draw(st.booleans()),
        confusable=draw(st.booleans()),
    )


@st.composite
def _findings(draw: st.DrawFn) -> list[Finding]:
    made = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(list(results.FindingKind)))
        details = draw(
            st.dictionaries(
                _TEXT,
                st.one_of(
                    _TEXT, st.lists(_TEXT, max_size=3), st.dictionaries(_TEXT, st.lists(_TEXT))
                ),
                max_size=3,
            )
        )
        related = tuple(
            Location(path=draw(_TEXT), line=draw(_INT), column=draw(_INT))
            for _ in range(draw(st.integers(0, 2)))
        )
        made.append(
            Finding(
                kind=kind,
                code=results.RULES[kind].code,
                severity=draw(st.sampled_from(list(results.Severity))),
                path=draw(_TEXT),
                line=draw(_INT),
                column=draw(_INT),
                message=draw(_TEXT),
                claim=draw(st.none() | _TEXT),
                article=draw(st.none() | _TEXT),
                related=related,
                details=details,
                fingerprint=draw(_TEXT),
                waived=draw(st.booleans()),
                change=draw(st.sampled_from([None, "new", "existing"])),
            )
        )
    return made


_BASE = check_texts(LEDGER, CORPORA["conflict"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    findings=_findings(),
    evidence=st.lists(_evidence(), max_size=3),
    text=_TEXT,
    values=st.dictionaries(_TEXT, st.lists(_TEXT, max_size=2), max_size=3),
    counts=st.dictionaries(_TEXT, _INT, max_size=3),
    big=st.booleans(),
)
def test_orjson_and_pydantic_write_the_same_bytes(
    findings: list[Finding],
    evidence: list[Evidence],
    text: str,
    values: dict[str, list[str]],
    counts: dict[str, int],
    big: bool,
) -> None:
    """Any text, any figure: the batches orjson writes are pydantic's bytes, key order included.

    `big` puts an integer past 64 bits in a finding: orjson refuses it and pydantic writes that
    batch, so the fallback is exercised inside an orjson run too.
    """
    claim = _BASE.claims[0]
    cell = Cell(text, text, VerdictStatus.ASSERTS, (text,), (), evidence)
    claims = [
        claim.model_copy(update={"question": text, "values": values, "verdict_counts": counts}),
        claim.model_copy(update={"cells": [cell, cell._replace(evidence=[])], "note": text}),
    ]
    if big and findings:
        findings[0] = findings[0].model_copy(update={"line": 2**70})
    article = _BASE.articles[0].model_copy(update={"title": text, "metadata": {text: text}})
    report = _BASE.model_copy(
        update={"claims": claims, "findings": findings, "articles": [article]}
    )
    expected = report.model_dump_json(indent=2) + "\n"
    context = make_context(report)
    assert json_format._orjson is not None
    assert json_format.render(context) == expected
    saved = json_format._orjson
    json_format._orjson = None
    try:
        assert json_format.render(context) == expected
    finally:
        json_format._orjson = saved


def test_a_batch_boundary_joins_like_the_whole(
    writer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_format, "BATCH", 1)
    report = check_texts(LEDGER, CORPORA["conflict"])
    assert len(report.findings) >= 2
    assert json_format.render(make_context(report)) == report.model_dump_json(indent=2) + "\n"


def _models_in(annotation: object, seen: set[type[BaseModel]]) -> None:
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    if is_model and annotation not in seen:
        seen.add(annotation)
        for info in annotation.model_fields.values():
            _models_in(info.annotation, seen)
    for argument in typing.get_args(annotation):
        _models_in(argument, seen)


def test_the_report_models_have_nothing_that_writing_fields_directly_would_miss() -> None:
    """orjson writes a model as its fields in order: that is pydantic's JSON only while no
    model of the report renames, leaves out or converts a field (the cell is `_plain`'s)."""
    models: set[type[BaseModel]] = set()
    _models_in(Report, models)
    assert {results.ClaimReport, Finding, Location, results.ArticleReport} <= models
    for model in models:
        assert not model.model_computed_fields, model
        assert model.__pydantic_decorators__.field_serializers == {}, model
        assert model.__pydantic_decorators__.model_serializers == {}, model
        assert not model.model_config.get("ser_json_inf_nan"), model
        for name, info in model.model_fields.items():
            assert info.alias is None, (model, name)
            assert info.serialization_alias is None, (model, name)
            assert not info.exclude, (model, name)
            plain = [m for m in info.metadata if "Serializer" in type(m).__name__]
            assert not plain or name == "cells", (model, name)


def test_a_mention_is_written_with_every_field_of_the_record_in_order() -> None:
    """`_evidence` spells the record's fields out: a field added to Evidence must be added there."""
    mention = Evidence(*(f"f{i}" for i in range(len(Evidence._fields))))
    assert json_format._evidence(mention) == mention._asdict()
    assert list(json_format._evidence(mention)) == list(Evidence._fields)
