"""What the command line needs before any model: built-in defaults, the settings file's place.

Kept apart, on the standard library alone, so that `--version` and `--help` load nothing else.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from checker.base.files import MAX_SMALL_FILE_BYTES, ReadRefused, read_bounded

FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_MAX_ARTICLE_BYTES = 8 * 1024 * 1024  # a long article is well under 1 MB
DEFAULT_MAX_FINDINGS = 200  # the terminal lists this many findings at most; reports hold all


def settings_file(root: Path) -> tuple[Path, str | None] | None:
    """Return the settings file of a project root and its TOML section, if there is one."""
    dedicated, pyproject = root / "crossfact.toml", root / "pyproject.toml"
    if os.path.lexists(dedicated):
        return dedicated, None
    if os.path.lexists(pyproject):
        return pyproject, "tool.crossfact"
    return None


# A pyproject.toml counts as a crossfact project only when it has a [tool.crossfact] table.
_TOOL_TABLE = re.compile(rb"^\s*\[\s*tool\s*\.\s*crossfact\s*[\].]", re.MULTILINE)


def _holds_settings(folder: Path) -> bool:
    """Tell whether a folder holds crossfact settings: crossfact.toml or [tool.crossfact]."""
    if os.path.lexists(folder / "crossfact.toml"):
        return True
    pyproject = folder / "pyproject.toml"
    if not os.path.lexists(pyproject):
        return False
    try:
        return bool(_TOOL_TABLE.search(read_bounded(pyproject, MAX_SMALL_FILE_BYTES, (folder,))))
    except (ReadRefused, OSError):
        return True  # the real read, from this root, reports the problem at its path


def _boundary(folder: Path) -> bool:
    """Tell whether the search for settings stops before a folder (it is not a project's)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return True
    # A folder anyone can write to (/tmp) may hold a file another user planted.
    return folder.parent == folder or bool(mode & stat.S_IWOTH)


def find_root(start: Path) -> Path:
    """Return the nearest folder from `start` upward that holds crossfact settings, else start.

    The search stops at the top of the git checkout (a folder with `.git`), at the home
    folder, before the file system's root and before any folder that others may write to;
    the folder it returns is given relative to `start` (`.`, `..`, …).
    """
    here = start.absolute()
    home = Path(os.environ["HOME"]).absolute() if os.environ.get("HOME") else None
    for folder in (here, *here.parents):
        if _boundary(folder):
            break
        if _holds_settings(folder):
            return Path(os.path.relpath(folder, here))
        if os.path.lexists(folder / ".git") or folder == home:
            break
    return start
