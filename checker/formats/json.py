"""The machine-readable report: the Report model as JSON (`crossfact schema --report`).

The bytes are exactly pydantic's `report.model_dump_json(indent=2)` plus a newline. The long
lists are written in batches by orjson, which reads the models' fields directly (through
`_plain`) and is about twice as fast on an archive's report (README "Dependencies"); a batch
orjson refuses (an integer past 64 bits, a lone surrogate) is written by pydantic instead,
and so is everything when orjson is not installed. Both give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter

from checker.findings.results import (
    ArticlePair,
    ArticleReport,
    Cell,
    ClaimReport,
    Evidence,
    Finding,
)
from checker.formats.context import RenderContext

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - a platform with no orjson wheel: pydantic writes all
    _orjson = None

# The report's long lists: streamed in batches, so an archive's report is never one string.
STREAMED_LISTS = ("articles", "claims", "pairs", "findings")
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "articles": ArticleReport,
    "claims": ClaimReport,
    "pairs": ArticlePair,
    "findings": Finding,
}
# Items per batch: large enough that a call's overhead vanishes, small enough to stream.
BATCH = 256


def render(context: RenderContext) -> str:
    """Render the report as JSON."""
    return "".join(chunks(context))


def chunks(context: RenderContext) -> Iterator[str]:
    """Yield the report's JSON in pieces; joined, they are `model_dump_json(indent=2)`."""
    report = context.report
    lists: dict[str, list[BaseModel]] = {
        name: value for name in STREAMED_LISTS if (value := getattr(report, name))
    }
    rest = report.model_copy(update={name: [] for name in lists}).model_dump_json(indent=2)
    for name, items in lists.items():
        placeholder = f'\n  "{name}": []'
        before, found, rest = rest.partition(placeholder)
        if not found:  # cannot happen with the Report model; keep the output whole regardless
            yield report.model_dump_json(indent=2) + "\n"
            return
        yield before + f'\n  "{name}": ['
        for start in range(0, len(items), BATCH):
            separator = "," if start else ""
            yield separator + batch_json(name, items[start : start + BATCH])
        yield "\n  ]"
    yield rest + "\n"


def batch_json(name: str, items: list[BaseModel]) -> str:
    """Return items of one of the report's lists as they sit in it: indented, no brackets.

    Dumped as `{name: items}`, the items get the indentation they have in the report (two
    levels), so no piece is re-indented; the wrapper is cut off.
    """
    wrapped = {name: items}
    text = None
    if _orjson is not None:
        try:
            text = _orjson.dumps(wrapped, default=_plain, option=_OPTIONS).decode()
        except TypeError:  # orjson's JSONEncodeError: a value it does not write
            text = None
    if text is None:
        text = _adapter(name).dump_json(wrapped, indent=2).decode()
    head = len(f'{{\n  "{name}": [')
    return text[head : -len("\n  ]\n}")]


_OPTIONS = 0 if _orjson is None else _orjson.OPT_INDENT_2 | _orjson.OPT_NON_STR_KEYS
_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(name: str) -> TypeAdapter[Any]:
    if name not in _ADAPTERS:
        _ADAPTERS[name] = TypeAdapter(dict[str, list[_ITEM_MODELS[name]]])  # type: ignore[name-defined]
    return _ADAPTERS[name]


def _plain(value: object) -> object:
    """Give orjson what pydantic would write for a value it does not know.

    A model is its fields in order (the report's models have no aliases, exclusions or
    serialisers but the cell's; `tests/test_json_stream.py` checks that this stays so); a cell
    is `_cell_to_json`'s mapping, its evidence in the record's own field order.
    """
    if type(value) is Cell:
        return {
            "article": value.article,
            "path": value.path,
            "verdict": value.verdict,
            "asserted": value.asserted,
            "denied": value.denied,
            "evidence": [_evidence(e) for e in value.evidence],
        }
    if isinstance(value, BaseModel):
        return value.__dict__
    if type(value) is Evidence:
        return _evidence(value)
    raise TypeError(f"not written by orjson: {type(value).__name__}")


def _evidence(e: Evidence) -> dict[str, object]:
    """Return a mention as `_cell_to_json` gives it (`Evidence._asdict`, written out: faster)."""
    (value, alias, text, sentence, index, line, column, end, negated, hedged, role, rule) = e[:12]
    return {
        "value": value,
        "alias": alias,
        "text": text,
        "sentence": sentence,
        "sentence_index": index,
        "line": line,
        "column": column,
        "end_column": end,
        "negated": negated,
        "hedged": hedged,
        "role": role,
        "rule": rule,
        "provisional": e.provisional,
        "confusable": e.confusable,
    }
