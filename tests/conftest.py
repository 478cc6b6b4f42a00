"""Shared helpers: build a throwaway project and run the CLI in-process."""

from __future__ import annotations

import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker.cli import ExitStatus, run

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    """What one in-process run printed and returned."""

    status: ExitStatus
    stdout: str
    stderr: str


class Project:
    """A project folder with claims/ and an article corpus, run from its root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "claims").mkdir()
        (root / "corpus").mkdir()

    def claims(self, text: str, name: str = "claims.yaml") -> Path:
        path = self.root / "claims" / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, name: str, text: str | bytes) -> Path:
        path = self.root / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, *argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        arguments = list(argv)
        if not arguments or arguments[0] != "validate":
            arguments = (
                [*arguments, "--corpus", "corpus"] if "--corpus" not in arguments else arguments
            )
        status = run(arguments, out, err)
        return CliResult(status, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Return an empty project and make it the working folder."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def seeds_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a copy of the repository's seeds and claims, as the working folder."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    shutil.copytree(REPO / "claims", tmp_path / "claims")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(*argv: str) -> CliResult:
    """Run the CLI in-process in the current folder."""
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), out, err)
    return CliResult(status, out.getvalue(), err.getvalue())
