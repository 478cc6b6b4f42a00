"""The package's layers: no module imports a higher layer, no import cycles, every module documented."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.harness import REPO

PACKAGE = REPO / "checker"
# Layers from the bottom up; packages on one level never import each other.
LAYERS = {
    "base": 0,
    "articles": 1,
    "findings": 2,
    "judgement": 3,
    "review": 4,
    "formats": 4,
    "schema": 4,
    "application": 5,
    "": 6,  # checker/__init__.py and __main__.py
    "crossfact": 7,  # installed as the top-level `crossfact`, for `python -m crossfact`
}


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts)] = path
    return found


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else ""


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Return the package modules a module imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found |= {name for name in names if name in known}
    return found


def test_no_module_imports_a_higher_layer() -> None:
    known = modules()
    upward = []
    for name, path in known.items():
        for imported in imports_of(path, set(known)):
            mine, theirs = layer_of(name), layer_of(imported)
            if mine != theirs and LAYERS[theirs] >= LAYERS[mine] and name != "checker":
                upward.append(f"{name} -> {imported}")
    assert upward == []


def test_there_are_no_import_cycles() -> None:
    known = modules()
    graph = {name: imports_of(path, set(known)) - {name} for name, path in known.items()}
    # A package's __init__ importing its own modules is how packages re-export; leave it out.
    for name in graph:
        if name.endswith("__init__") or name == "checker":
            graph[name] = set()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(nxt_name(node), set())):
            key = nxt_name(nxt)
            if state.get(key) == 1:
                cycles.append(" -> ".join([*trail, node, key]))
            elif key not in state:
                visit(key, [*trail, node])
        state[node] = 2

    def nxt_name(name: str) -> str:
        return name if name in graph else f"{name}.__init__"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_the_architecture_page_lists_every_module() -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and f"`{path.relative_to(PACKAGE)}`" not in page
    ]
    assert missing == []
    for layer in LAYERS:
        if layer:
            assert f"`{layer}/`" in page, layer
