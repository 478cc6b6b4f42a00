"""Read the project's inputs from disk: the ledger, the corpus, waivers, boilerplate, settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from checker.application.defaults import DEFAULT_MAX_ARTICLE_BYTES, settings_file
from checker.application.defaults import find_root as find_root  # its old home
from checker.application.settings import FileSettings, parse_settings
from checker.articles.boilerplate import MIN_GLOB_LETTERS, broad_glob
from checker.articles.corpus import RawArticle
from checker.articles.readers import Unread, reader_for
from checker.base.claims import Ledger
from checker.base.errors import (
    ClaimFileError,
    CorpusError,
    ErrorLocation,
    SettingsError,
    UsageError,
)
from checker.base.files import (
    MAX_LEDGER_FILE_BYTES,
    MAX_SMALL_FILE_BYTES,
    MAX_WAIVER_FILE_BYTES,
    ReadRefused,
    display_path,
    printable_name,
    read_bounded,
    walk_files,
    within,
)
from checker.base.ledger import find_claim_files, load_ledger
from checker.review.waivers import LocatedWaivers, parse_waivers

Folders = Sequence[Path] | None  # where files may resolve to; None: anywhere (--allow-outside)


def require_dir(path: Path, what: str, root: Path, folders: Folders) -> None:
    """Refuse a missing folder, or one outside the project unless allowed."""
    if not path.exists():
        raise UsageError(f"{what} folder not found: {printable_name(str(path))}")
    if not path.is_dir():
        raise UsageError(f"{what} path is not a folder: {printable_name(str(path))}")
    if not within(path, folders):
        raise UsageError(
            f"{what} folder {printable_name(str(path))} lies outside the project {root}; "
            "pass --allow-outside to permit it"
        )


def read_ledger(
    claims_dir: Path,
    root: Path,
    folders: Folders = (),
    *,
    exclude: tuple[Path, ...] = (),
    load: Callable[[list[tuple[str, bytes]]], Ledger] = load_ledger,
) -> Ledger:
    """Load every claim file under a folder (but the excluded ones, such as the waiver file).

    `load` turns the files' names and bytes into the ledger (`cache.snapshot_loader` keeps a
    snapshot of it).
    """
    folders = _with_root(folders, root)
    require_dir(claims_dir, "claims", root, folders)
    try:
        files = find_claim_files(claims_dir, exclude)
    except OSError as exc:
        where = display_path(Path(exc.filename or claims_dir), root)
        raise ClaimFileError(
            [ErrorLocation(where, 1, 1, f"cannot list the folder: {exc.strerror or exc}")]
        ) from None
    if not files:
        raise UsageError(f"no claim files (*.yaml) under {display_path(claims_dir, root)}")
    contents: list[tuple[str, bytes]] = []
    problems: list[ErrorLocation] = []
    for path in files:
        shown = display_path(path, root)
        try:
            contents.append((shown, read_bounded(path, MAX_LEDGER_FILE_BYTES, folders)))
        except ReadRefused as exc:
            split = "; split it into several files" if "size limit" in str(exc) else ""
            problems.append(ErrorLocation(shown, 1, 1, f"claim file {exc}{split}"))
        except OSError as exc:
            problems.append(ErrorLocation(shown, 1, 1, f"cannot read: {exc.strerror}"))
    if problems:
        raise ClaimFileError(problems)
    return load(contents)


def _with_root(folders: Folders, root: Path) -> Folders:
    return None if folders is None else (root, *folders)


def article_files(corpus_dir: Path) -> list[Path]:
    """List a corpus's files in a stable order (hidden files and folders left out)."""
    return [
        path
        for path in walk_files(corpus_dir, ("",))
        if not any(part.startswith(".") for part in path.relative_to(corpus_dir).parts)
    ]


def raw_articles(
    corpus_dir: Path,
    root: Path,
    folders: Folders = (),
    *,
    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
    skipped: list[tuple[str, Unread]] | None = None,
    exclude: Sequence[Path] = (),
) -> Iterator[RawArticle]:
    """Yield each article file of the corpus, one at a time, as bytes.

    A file no reader takes is never dropped in silence: it goes into `skipped` with its reason
    (an extra to install, or no reader for its format). Files under `exclude` (the report
    folder, when it lies inside the corpus) are the run's own output, not articles.
    """
    folders = _with_root(folders, root)
    require_dir(corpus_dir, "corpus", root, folders)
    try:
        files = article_files(corpus_dir)
    except OSError as exc:
        where = display_path(Path(exc.filename or corpus_dir), root)
        raise CorpusError(where, f"cannot list the folder: {exc.strerror or exc}") from None
    excluded = [folder.absolute() for folder in exclude]
    chosen: list[tuple[Path, str]] = []
    unread: list[tuple[str, Unread]] = []
    for path in files:
        if any(path.absolute().is_relative_to(folder) for folder in excluded):
            continue
        reader = reader_for(path.name)
        if isinstance(reader, Unread):
            unread.append((display_path(path, root), reader))
        else:
            chosen.append((path, reader.name))
    if skipped is not None:
        skipped += unread
    if not chosen:
        left = f" ({len(unread)} other file(s) skipped)" if unread else ""
        raise CorpusError(
            display_path(corpus_dir, root), f"the corpus holds no .txt or .md articles{left}"
        )
    seen: dict[str, str] = {}
    for path, reader_name in chosen:
        shown = display_path(path, root)
        article_id = printable_name(path.relative_to(corpus_dir).with_suffix("").as_posix())
        if article_id in seen:
            raise CorpusError(
                shown, f"article id {article_id!r} is also used by {seen[article_id]}"
            )
        seen[article_id] = shown
        data = _read_article(path, shown, folders, max_bytes)
        yield RawArticle(data, article_id, shown, reader_name)


def _read_article(path: Path, shown: str, folders: Folders, max_bytes: int) -> bytes:
    try:
        return read_bounded(path, max_bytes, folders)
    except ReadRefused as exc:
        hint = {
            "links outside the project": "; pass --allow-outside to permit it",
        }.get(str(exc), "; raise it with --max-article-mb" if "size limit" in str(exc) else "")
        raise CorpusError(shown, f"{exc}{hint}") from None
    except OSError as exc:
        raise CorpusError(shown, f"cannot read: {exc.strerror}") from None


def read_waivers(path: Path, root: Path, folders: Folders = ()) -> LocatedWaivers:
    """Load the waiver file; a missing file means no waivers."""
    shown = display_path(path, root)
    if not os.path.lexists(path):
        return LocatedWaivers(path=shown)
    try:
        data = read_bounded(path, MAX_WAIVER_FILE_BYTES, _with_root(folders, root))
    except ReadRefused as exc:
        raise ClaimFileError([ErrorLocation(shown, 1, 1, f"waiver file {exc}")]) from None
    except OSError as exc:
        raise ClaimFileError([ErrorLocation(shown, 1, 1, f"cannot read: {exc.strerror}")]) from None
    return parse_waivers(data, shown)


def read_boilerplate(path: Path, root: Path, folders: Folders = ()) -> list[str]:
    """Load the user's extra boilerplate globs, one per line (# starts a comment)."""
    return [glob for _, glob in read_boilerplate_lines(path, root, folders)]


def read_boilerplate_lines(path: Path, root: Path, folders: Folders = ()) -> list[tuple[int, str]]:
    """Load the user's extra boilerplate globs with the line each one is on."""
    if not os.path.lexists(path):
        return []
    shown = display_path(path, root)
    try:
        data = read_bounded(path, MAX_SMALL_FILE_BYTES, _with_root(folders, root))
        lines = data.decode("utf-8").splitlines()
    except ReadRefused as exc:
        raise UsageError(f"{shown}: boilerplate file {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{shown}: cannot read boilerplate patterns: {exc}") from None
    globs = []
    for number, line in enumerate(lines, start=1):
        glob = line.strip()
        if not glob or line.startswith("#"):
            continue
        if broad_glob(glob):
            # The file is the checkout's: a lone "*" would drop every line and pass the gate.
            raise UsageError(
                f"{shown}:{number}:1: the pattern {glob!r} would match almost any line; "
                f"spell out the chrome's own words (at least {MIN_GLOB_LETTERS} letters)"
            )
        globs.append((number, glob))
    return globs


def read_settings(root: Path) -> FileSettings:
    """Read crossfact.toml, or [tool.crossfact] in pyproject.toml, from the project root."""
    found = settings_file(root)
    if found is None:
        return FileSettings()
    path, section = found
    try:
        text = read_bounded(path, MAX_SMALL_FILE_BYTES, (root,)).decode("utf-8")
    except ReadRefused as exc:
        raise SettingsError([ErrorLocation(path.name, 1, 1, f"settings file {exc}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) else f"not UTF-8: {exc.reason}"
        raise SettingsError([ErrorLocation(path.name, 1, 1, f"cannot read: {problem}")]) from None
    return parse_settings(text, path.name, section)
