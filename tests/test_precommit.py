"""The pre-commit hook, run for real with `pre-commit try-repo` against a throwaway repo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import REPO

pytestmark = pytest.mark.slow

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
if not Path(PRE_COMMIT).exists():
    pytest.skip("pre-commit is not installed", allow_module_level=True)
PLANTED = "\nThe State Council held a meeting on the summit's outcome.\n"


def sh(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=root, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def test_the_hook_fails_on_a_planted_conflict_and_passes_once_waived(tmp_path: Path) -> None:
    repo = tmp_path / "newsroom"
    shutil.copytree(REPO / "seeds", repo / "seeds")
    shutil.copytree(REPO / "claims", repo / "claims")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    env.pop("GITHUB_ACTIONS", None)
    crossfact = [sys.executable, "-m", "checker"]
    assert sh(repo, *crossfact, "baseline", env={**env, "PYTHONPATH": str(REPO)}).returncode == 0
    sh(repo, "git", "init", "-q", env=env)
    sh(repo, "git", "add", ".", env=env)
    assert sh(repo, "git", "commit", "-qm", "seeds, claims, baseline", env=env).returncode == 0

    def hook() -> subprocess.CompletedProcess[str]:
        return sh(repo, PRE_COMMIT, "try-repo", str(REPO), "crossfact", "--all-files", env=env)

    clean = hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr

    article = repo / "seeds" / "001_8ca5992aafb509e6.txt"
    article.write_text(article.read_text("utf-8") + PLANTED, "utf-8")
    planted = hook()
    assert planted.returncode == 1, planted.stdout + planted.stderr
    assert "error CF001 conflict: official-account" in planted.stdout

    assert sh(repo, *crossfact, "baseline", env={**env, "PYTHONPATH": str(REPO)}).returncode == 0
    waived = hook()
    assert waived.returncode == 0, waived.stdout + waived.stderr
    assert re.search(r"^crossfact\.+Passed$", waived.stdout, re.M), waived.stdout
    # pre-commit hides a passing hook's output, so ask crossfact itself what it waived.
    direct = sh(repo, *crossfact, "--no-reports", env={**env, "PYTHONPATH": str(REPO)})
    assert direct.returncode == 0
    assert re.search(r"error CF001 conflict: official-account: .*\[waived: baseline", direct.stdout)
