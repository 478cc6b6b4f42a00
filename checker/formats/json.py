"""The machine-readable report: the Report model as JSON (`crossfact schema --report`)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from checker.formats.context import RenderContext

# The report's long lists: streamed item by item, so an archive's report is never one string.
STREAMED_LISTS = ("articles", "claims", "pairs", "findings")


def render(context: RenderContext) -> str:
    """Render the report as JSON."""
    return "".join(chunks(context))


def chunks(context: RenderContext) -> Iterator[str]:
    """Yield the report's JSON in pieces; joined, they are `model_dump_json(indent=2)`."""
    # pydantic-core serialises in Rust: many times faster than json.dumps on an archive's report.
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
        for n, item in enumerate(items):
            separator = "," if n else ""
            yield separator + "\n    " + item.model_dump_json(indent=2).replace("\n", "\n    ")
        yield "\n  ]"
    yield rest + "\n"
