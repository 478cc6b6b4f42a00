"""Changed-only runs: read an earlier commit's files with git; label findings new or existing."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from checker.base.errors import UsageError
from checker.findings.results import Finding


def _git(root: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, check=False, timeout=300
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args)} failed: {detail[-1] if detail else 'no output'}")
    return completed.stdout


def extract_at(root: Path, ref: str, folders: list[Path], destination: Path) -> None:
    """Write the folders as they were at REF into destination (missing folders are skipped)."""
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = Path(_git(root, "rev-parse", "--show-prefix").decode().strip() or ".")
    for folder in folders:
        inside_repo = (prefix / _relative(folder, root)).as_posix()
        listing = _git(top, "ls-tree", "-r", "--name-only", ref, "--", inside_repo)
        if not listing.strip():
            continue
        archive = _git(top, "archive", "--format=tar", ref, "--", inside_repo)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(destination / "_repo", filter="data")
        source = destination / "_repo" / inside_repo
        target = destination / _relative(folder, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        source.rename(target)


def _relative(folder: Path, root: Path) -> str:
    try:
        relative = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"--changed-since needs {folder} inside the project") from None
    if relative == ".":
        raise UsageError(
            f"--changed-since needs the corpus and the claims in folders of their own, not {folder}"
        )
    return relative


def label_changes(current: list[Finding], previous: list[Finding] | None) -> list[Finding]:
    """Label each finding new or existing by whether REF's check had the same fingerprint."""
    before = {f.fingerprint for f in previous} if previous else set()
    return [
        f.model_copy(update={"change": "existing" if f.fingerprint in before else "new"})
        for f in current
    ]
