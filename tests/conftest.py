"""Fixtures: an empty project or a copy of the seeds, as the working folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness import REPO, Project


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


@pytest.fixture(autouse=True)
def _private_cache_key(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the cache key of every test out of the user's own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
