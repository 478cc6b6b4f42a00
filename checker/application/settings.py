"""Settings: flags, then `crossfact.toml` or `[tool.crossfact]` in pyproject.toml, then defaults."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.application.defaults import (
    DEFAULT_MAX_ARTICLE_BYTES,
    DEFAULT_MAX_FINDINGS,
    FAIL_ON,
)
from checker.base.claims import Severity
from checker.base.errors import ErrorLocation, SettingsError
from checker.findings.rules import RULES, Family, FindingKind
from checker.judgement.mention_rules import resolve as resolve_rules

FailOn = Literal["error", "warning", "info", "never"]
# Load errors stop the run whatever their severity, so only the other kinds can be re-levelled.
ADJUSTABLE = frozenset(kind for kind, rule in RULES.items() if rule.family is not Family.LOAD)


class FileSettings(BaseModel):
    """What a settings file may hold; None means "not set"."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    corpus: str | None = None
    claims: str | None = None
    report_dir: str | None = Field(default=None, alias="report-dir")
    waivers: str | None = None
    fail_on: FailOn | None = Field(default=None, alias="fail-on")
    severity: dict[FindingKind, Severity] = Field(default_factory=dict)
    boilerplate: tuple[str, ...] = ()
    disable_rules: tuple[str, ...] = Field(default=(), alias="disable-rules")
    max_findings: int | None = Field(default=None, alias="max-findings", ge=0)

    @field_validator("disable_rules")
    @classmethod
    def _known_rules(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        resolve_rules(names)  # a ValueError names the unknown rule and the known ones
        return names

    @field_validator("severity")
    @classmethod
    def _adjustable(cls, table: dict[FindingKind, Severity]) -> dict[FindingKind, Severity]:
        fixed = sorted(kind.value for kind in table if kind not in ADJUSTABLE)
        if fixed:
            raise ValueError(f"the severity of {fixed[0]} cannot be changed")  # located by _message
        return table


KEYS = tuple(field.alias or name for name, field in FileSettings.model_fields.items())


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


def _message(error: Any, table: dict[str, Any]) -> tuple[str, str]:
    """Return the key an error is about and a message naming what is allowed."""
    loc = [str(part) for part in error["loc"]]
    key = loc[0]
    if error["type"] == "extra_forbidden":
        return key, f"unknown key {key!r} in crossfact settings; known: {', '.join(KEYS)}"
    if key == "severity" and len(loc) > 1:
        kind = loc[1]
        if kind not in {k.value for k in ADJUSTABLE}:
            known = ", ".join(sorted(k.value for k in ADJUSTABLE))
            return kind, f"unknown finding kind {kind!r}; known: {known}"
        given = table.get("severity", {}).get(kind)
        return kind, f"severity of {kind} must be one of error, warning, info, not {given!r}"
    if key == "severity" and error["type"] == "value_error":
        fixed = sorted(k for k in table.get("severity", {}) if k not in ADJUSTABLE)
        return fixed[0], f"the severity of {fixed[0]} cannot be changed (it is a load error)"
    if key == "severity":
        return key, "severity must be a table of finding kind = severity"
    if key == "fail-on":
        return key, f"fail-on must be one of {', '.join(FAIL_ON)}, not {table.get(key)!r}"
    if key == "boilerplate":
        return key, "boilerplate must be a list of glob strings"
    if key == "disable-rules" and error["type"] == "value_error":
        return key, str(error["ctx"]["error"])
    if key == "disable-rules":
        return key, "disable-rules must be a list of mention rule codes or names (crossfact rules)"
    if key == "max-findings":
        return key, f"max-findings must be a whole number, 0 or more, not {table.get(key)!r}"
    return key, f"{key} must be a path string"


def parse_settings(text: str, shown: str, section: str | None) -> FileSettings:
    """Parse settings text, or raise SettingsError with every problem located."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise SettingsError([ErrorLocation(shown, line, 1, f"TOML error: {exc}")]) from None
    table: Any = data
    for part in section.split(".") if section else ():
        table = table.get(part, {}) if isinstance(table, dict) else {}
    if not isinstance(table, dict) or not table:
        return FileSettings()
    try:
        return FileSettings.model_validate(table)
    except ValidationError as exc:
        problems = {}
        for error in exc.errors():
            key, message = _message(error, table)
            problems[message] = ErrorLocation(shown, _line_of(text, key, section), 1, message)
        raise SettingsError(list(problems.values())) from None


@dataclass(frozen=True)
class Settings:
    """Where everything is and how to judge it, resolved from flags, the file and defaults."""

    root: Path
    corpus: Path
    claims: Path
    report_dir: Path
    waivers: Path
    boilerplate_file: Path
    fail_on: Severity | None
    severity: dict[FindingKind, Severity]
    boilerplate: tuple[str, ...]
    allow_outside: bool = False
    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    jobs: int = 1
    cache: bool = True
    scheduler: str | None = None
    # Honour `<!-- crossfact: ignore … -->` comments in articles; CI can refuse them.
    inline_waivers: bool = True
    # Mention rules switched off (codes): by the settings file and --disable-rules together.
    disabled_rules: frozenset[str] = frozenset()
    # The paths named on the command line: the invoker's choice, allowed wherever they are.
    given: frozenset[str] = frozenset()
    # Findings the terminal lists at most (0: all), by --max-findings or the settings file.
    max_findings: int = DEFAULT_MAX_FINDINGS

    def folders(self, name: str) -> tuple[Path, ...] | None:
        """Return where files reached through a path setting may resolve; None is anywhere.

        Inside the project always; a path given on the command line also inside itself; with
        --allow-outside anywhere. A path from a settings file must stay inside the project.
        """
        if self.allow_outside:
            return None
        return (self.root, getattr(self, name)) if name in self.given else (self.root,)

    def relocated(self, root: Path) -> Settings:
        """Return the same settings for a copy of the project at another root."""

        def move(path: Path) -> Path:
            return root / path.absolute().relative_to(self.root.absolute())

        return replace(
            self,
            root=root,
            corpus=move(self.corpus),
            claims=move(self.claims),
            report_dir=move(self.report_dir),
            waivers=move(self.waivers),
            boilerplate_file=move(self.boilerplate_file),
            cache=False,  # a scratch copy's analyses are of no use later
        )


def resolve(
    root: Path,
    file: FileSettings,
    *,
    corpus: Path | None = None,
    claims: Path | None = None,
    report_dir: Path | None = None,
    waivers: Path | None = None,
    boilerplate_file: Path | None = None,
    fail_on: str | None = None,
    disable_rules: tuple[str, ...] = (),
    max_findings: int | None = None,
    **rest: Any,
) -> Settings:
    """Resolve settings: a flag wins over the file, the file over the defaults."""

    def pick(flag: Path | None, configured: str | None, default: Path) -> Path:
        if flag is not None:
            return flag
        return root / configured if configured is not None else default

    flags = {
        "corpus": corpus,
        "claims": claims,
        "report_dir": report_dir,
        "waivers": waivers,
        "boilerplate_file": boilerplate_file,
    }
    claims_dir = pick(claims, file.claims, root / "claims")
    level = fail_on or file.fail_on or "error"
    return Settings(
        root=root,
        corpus=pick(corpus, file.corpus, root / "seeds"),
        claims=claims_dir,
        report_dir=pick(report_dir, file.report_dir, root / "reports"),
        waivers=pick(waivers, file.waivers, claims_dir / "waivers.yaml"),
        boilerplate_file=boilerplate_file or claims_dir / "boilerplate.txt",
        fail_on=None if level == "never" else Severity(level),
        severity=dict(file.severity),
        boilerplate=file.boilerplate,
        disabled_rules=resolve_rules((*file.disable_rules, *disable_rules)),
        given=frozenset(name for name, flag in flags.items() if flag is not None),
        max_findings=next(
            n for n in (max_findings, file.max_findings, DEFAULT_MAX_FINDINGS) if n is not None
        ),
        **rest,
    )
