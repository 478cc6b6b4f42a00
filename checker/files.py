"""File paths and every write: containment in the project, display names, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def display_path(path: Path, root: Path) -> str:
    """Return a path relative to the project root, with forward slashes, when it lies inside."""
    # abspath, not resolve: a symlinked article is shown under its own name, not its target's.
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def inside(path: Path, root: Path) -> bool:
    """Tell whether a path, symlinks resolved, lies inside the project root."""
    resolved, top = path.resolve(), root.resolve()
    return resolved == top or top in resolved.parents


def remove_stale_temporaries(folder: Path, names: list[str]) -> None:
    """Delete temporary files that a killed run left behind next to its reports."""
    for name in names:
        for stale in folder.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        # mkstemp creates the file private (0600); a report gets the usual mode under the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(descriptor, 0o666 & ~umask)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def append_text(path: Path, text: str) -> None:
    """Append text to a file the caller names (a CI job summary, which others append to)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
