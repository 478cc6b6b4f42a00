"""Changed-only runs: read an earlier commit's files with git; label findings new or existing."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from checker.base.errors import UsageError
from checker.base.files import printable_name
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


def _resolve(root: Path, ref: str) -> None:
    """Check that REF names a commit, saying plainly what is wrong when it does not."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return
    except UsageError:
        pass
    try:
        _git(root, "rev-parse", "--git-dir")
    except UsageError:
        raise UsageError(f"--changed-since {ref}: {root} is not inside a git repository") from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except UsageError:
        raise UsageError(f"--changed-since {ref}: the repository has no commits yet") from None
    shallow = _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
    hint = " (a shallow clone: fetch more history, e.g. git fetch --deepen=50)" if shallow else ""
    raise UsageError(f"--changed-since {ref}: no such commit{hint}")


def extract_at(root: Path, ref: str, folders: list[Path], destination: Path) -> None:
    """Write the folders as they were at REF into destination (missing folders are skipped)."""
    _resolve(root, ref)
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = Path(_git(root, "rev-parse", "--show-prefix").decode().strip() or ".")
    for folder in folders:
        inside_repo = (prefix / _relative(folder, root)).as_posix()
        listing = _git(top, "ls-tree", "-r", "--name-only", ref, "--", inside_repo)
        if not listing.strip():
            continue
        archive = _git(top, "archive", "--format=tar", ref, "--", inside_repo)
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(destination / "_repo", filter="data")
        except tarfile.FilterError as exc:
            # The "data" filter refused a member: a link out of the folder, a device, an
            # absolute path. Nothing was read outside; the earlier run cannot be compared.
            raise UsageError(
                f"--changed-since {ref}: {inside_repo} at {ref} holds {exc}; refusing to read it"
            ) from None
        except tarfile.TarError as exc:
            raise UsageError(f"--changed-since {ref}: cannot read {inside_repo}: {exc}") from None
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


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Return the files under root changed since REF (committed, staged, in the working tree or
    untracked), relative to root as reports show paths."""
    _resolve(root, ref)
    # --relative: paths relative to root, and only the files under it.
    changed = _git(root, "diff", "--name-only", "--relative", "-z", ref, "--")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    names = (changed + untracked).decode("utf-8", "surrogateescape").split("\0")
    # Shown as display_path shows a path, so that the two compare equal.
    return frozenset(printable_name(f"./{n}" if n.startswith(":") else n) for n in names if n)
