"""Settings from `[tool.crossfact]` in pyproject.toml or from crossfact.toml, located on error."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.claims import Severity
from checker.errors import ClaimFileError, ErrorLocation
from checker.results import FindingKind

PATH_KEYS = ("corpus", "claims", "report-dir", "waivers")
KEYS = (*PATH_KEYS, "fail-on", "severity", "boilerplate")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Config:
    """Settings a config file may hold; None means "not set"."""

    source: str | None = None
    paths: dict[str, Path] = field(default_factory=dict)
    fail_on: str | None = None
    severity: dict[FindingKind, Severity] = field(default_factory=dict)
    boilerplate: tuple[str, ...] = ()


def _line_of(text: str, key: str, section: str | None) -> int:
    """Find the line a key sits on (tomllib keeps no positions)."""
    lines = text.splitlines()
    start = 0
    if section:
        header = re.compile(rf"^\s*\[{re.escape(section)}\]\s*(#.*)?$")
        start = next((i for i, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


def load_config(root: Path) -> Config:
    """Read crossfact.toml, or [tool.crossfact] in pyproject.toml, from the project root."""
    dedicated, pyproject = root / "crossfact.toml", root / "pyproject.toml"
    if dedicated.exists():
        return _parse(dedicated, root, section=None)
    if pyproject.exists():
        return _parse(pyproject, root, section="tool.crossfact")
    return Config()


def _parse(path: Path, root: Path, section: str | None) -> Config:
    shown = path.name
    text = path.read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise ClaimFileError([ErrorLocation(shown, line, 1, f"TOML error: {exc}")]) from None
    table: Any = data
    if section:
        for part in section.split("."):
            table = table.get(part, {}) if isinstance(table, dict) else {}
        if not table:
            return Config()
    problems: list[ErrorLocation] = []

    def problem(key: str, message: str) -> None:
        problems.append(ErrorLocation(shown, _line_of(text, key, section), 1, message))

    for key in sorted(set(table) - set(KEYS)):
        problem(key, f"unknown key {key!r} in crossfact settings; known: {', '.join(KEYS)}")
    paths = {}
    for key in PATH_KEYS:
        if key in table:
            if isinstance(table[key], str):
                paths[key] = root / table[key]
            else:
                problem(key, f"{key} must be a path string")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        problem("fail-on", f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    severity = _severities(table.get("severity", {}), problem)
    boilerplate = table.get("boilerplate", [])
    if not (isinstance(boilerplate, list) and all(isinstance(g, str) for g in boilerplate)):
        problem("boilerplate", "boilerplate must be a list of glob strings")
        boilerplate = []
    if problems:
        raise ClaimFileError(problems)
    return Config(str(path), paths, fail_on, severity, tuple(boilerplate))


def _severities(table: Any, problem: Any) -> dict[FindingKind, Severity]:
    kinds = {k.value for k in FindingKind}
    levels = {s.value for s in Severity}
    if not isinstance(table, dict):
        problem("severity", "severity must be a table of finding kind = severity")
        return {}
    result = {}
    for kind, level in table.items():
        if kind not in kinds:
            problem(kind, f"unknown finding kind {kind!r}; known: {', '.join(sorted(kinds))}")
        elif level not in levels:
            problem(kind, f"severity of {kind} must be one of error, warning, info, not {level!r}")
        else:
            result[FindingKind(kind)] = Severity(level)
    return result
