"""The tool's own error types; the CLI turns each into one line (or one per problem) and exit 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ErrorLocation:
    """One problem at `path:line:column`."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class CrossfactError(Exception):
    """Bad input the user must fix; never a bug in the tool."""


class LocatedError(CrossfactError):
    """One or more problems in an input file, each with file, line and column."""

    what = "the input"

    def __init__(self, problems: list[ErrorLocation]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ClaimFileError(LocatedError):
    """Problems in the claim ledger or the waiver file."""

    what = "the claim ledger"


class SettingsError(LocatedError):
    """Problems in crossfact.toml or [tool.crossfact] of pyproject.toml."""

    what = "the settings"


class CorpusError(CrossfactError):
    """A corpus that cannot be read: empty, or holding an article that cannot be read."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class UsageError(CrossfactError):
    """A command line or path the tool refuses."""
