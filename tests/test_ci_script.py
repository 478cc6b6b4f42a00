"""`.ci/run` fails when any of its steps fails, instead of skipping the tests and passing."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STEPS = ["npm", "python3", "pip", "ruff", "pytest"]


def _stub(path: Path, body: str) -> None:
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "$CI_LOG"\n{body}\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run_ci(tmp_path: Path, failing: str | None, *, chromium: bool = True) -> tuple[int, list[str]]:
    """Run a copy of .ci/run with every tool replaced by a stub; `failing` exits 1."""
    checkout = tmp_path / "checkout"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", checkout / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    venv_bin = checkout / ".venv" / "bin"
    bin_dir.mkdir()
    venv_bin.mkdir(parents=True)
    for tool in ("npm", "python3", "apt-get", *(["chromium"] if chromium else [])):
        _stub(bin_dir / tool, "exit 1" if tool == failing else "exit 0")
    for tool in ("pip", "ruff", "pytest"):
        _stub(venv_bin / tool, "exit 1" if tool == failing else "exit 0")
    log = tmp_path / "log"
    log.touch()
    # Only the stubs and the shell utilities the script itself needs are on PATH.
    utilities = tmp_path / "utilities"
    utilities.mkdir()
    for name in ("dirname", "bash", "env"):
        found = shutil.which(name)
        assert found is not None
        (utilities / name).symlink_to(found)
    environment = {"PATH": f"{bin_dir}:{utilities}", "CI_LOG": str(log), "HOME": str(tmp_path)}
    done = subprocess.run(
        [shutil.which("bash") or "bash", str(checkout / ".ci" / "run")],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    called = [Path(line.split()[0]).name for line in log.read_text().splitlines()]
    return done.returncode, called


def test_every_step_runs_when_all_pass(tmp_path: Path) -> None:
    status, called = _run_ci(tmp_path, failing=None)
    assert status == 0
    assert [step for step in STEPS if step in called] == STEPS
    assert called[-1] == "pytest"


@pytest.mark.parametrize("failing", ["npm", "python3", "pip", "ruff"])
def test_a_failing_step_fails_the_run_and_skips_the_tests(tmp_path: Path, failing: str) -> None:
    status, called = _run_ci(tmp_path, failing=failing)
    assert status != 0
    assert "pytest" not in called


def test_a_failing_test_run_fails_ci(tmp_path: Path) -> None:
    status, _ = _run_ci(tmp_path, failing="pytest")
    assert status != 0


def test_no_step_is_chained_with_and() -> None:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    code = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert not [line for line in code if "&&" in line or "||" in line]


def test_a_missing_browser_is_installed_and_a_failed_install_fails_the_run(tmp_path: Path) -> None:
    status, called = _run_ci(tmp_path / "ok", failing=None, chromium=False)
    assert status == 0
    assert called[:2] == ["apt-get", "apt-get"]
    status, called = _run_ci(tmp_path / "broken", failing="apt-get", chromium=False)
    assert status != 0
    assert "pytest" not in called
