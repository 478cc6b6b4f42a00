"""File paths and every write: containment in the project, display names, atomic writes."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

# Size caps for the small inputs; articles have their own (--max-article-mb).
MAX_LEDGER_FILE_BYTES = 10 * 2**20
MAX_WAIVER_FILE_BYTES = 16 * 2**20
MAX_SMALL_FILE_BYTES = 2**20  # settings and boilerplate patterns


class ReadRefused(Exception):
    """A file the tool will not read: outside the project, not a regular file, or too large."""


# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: in a name they could
# start a new line (a forged CI workflow command) or an ANSI escape.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def walk_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """List the files under a folder whose names end with a suffix, sorted.

    Iterative, so a folder nested thousands deep costs a list, not the interpreter's stack;
    symlinked folders are not entered. A folder that cannot be listed raises OSError with its
    path: it is reported, never skipped.
    """
    found: list[Path] = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.name.endswith(suffixes) and not (entry.is_symlink() and entry.is_dir()):
                    found.append(Path(entry.path))
    return sorted(found)


def printable(text: str) -> str:
    """Return text safe for one line of a terminal or CI log: controls shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def printable_name(name: str) -> str:
    """Return a file name as one printable line: non-UTF-8 bytes and controls as escapes."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return printable(text)


def display_path(path: Path, root: Path) -> str:
    """Return a path relative to the project root, with forward slashes, when it lies inside."""
    # abspath, not resolve: a symlinked article is shown under its own name, not its target's.
    try:
        shown = path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        shown = path.as_posix()
    # A line that starts with "::" is a GitHub workflow command; a path never starts one.
    return printable_name("./" + shown if shown.startswith(":") else shown)


def inside(path: Path, root: Path) -> bool:
    """Tell whether a path, symlinks resolved, lies inside the project root."""
    resolved, top = path.resolve(), root.resolve()
    return resolved == top or top in resolved.parents


def within(path: Path, folders: Sequence[Path] | None) -> bool:
    """Tell whether a path, symlinks resolved, lies in one of the folders (None: anywhere)."""
    return folders is None or any(inside(path, folder) for folder in folders)


def read_bounded(path: Path, limit: int, folders: Sequence[Path] | None) -> bytes:
    """Read a regular file of at most `limit` bytes that resolves inside one of the folders.

    Devices, FIFOs and folders are refused before reading, so a symlink to /dev/zero or a
    pipe cannot make a run read forever; OSError is raised as it comes.
    """
    if not within(path, folders):
        raise ReadRefused("links outside the project")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused("not a regular file")
        if info.st_size > limit:
            raise ReadRefused(f"{info.st_size} bytes is over the size limit of {limit} bytes")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ReadRefused(f"over the size limit of {limit} bytes")
    return data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is someone else's
    return True


def remove_stale_temporaries(folder: Path, names: list[str]) -> None:
    """Delete temporary files that a killed run left behind next to its reports.

    A temporary names the process that writes it; only those of processes that no longer
    exist are removed, so a concurrent run's file in progress is never touched.
    """
    for name in names:
        for stale in folder.glob(f".{name}.*.tmp"):
            pid = stale.name.removeprefix(f".{name}.").split(".", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                stale.unlink(missing_ok=True)


def write_atomically(path: Path, content: str | bytes | Iterable[str]) -> None:
    """Write a file so that readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        pieces: Iterable[bytes] = (content,)
    elif isinstance(content, str):
        pieces = (content.encode("utf-8"),)
    else:  # streamed: an archive's report is never held whole
        pieces = (piece.encode("utf-8") for piece in content)
    prefix = (
        f".{path.name}.{os.getpid()}."  # unique per process and call; see remove_stale_temporaries
    )
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    temporary = Path(name)
    try:
        # mkstemp creates the file private (0600); a report gets the usual mode under the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(descriptor, 0o666 & ~umask)
        with os.fdopen(descriptor, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def append_text(path: Path, text: str) -> None:
    """Append text to a file the caller names (a CI job summary, which others append to)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
