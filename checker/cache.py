"""The per-article analysis cache in .crossfact-cache/: authenticated JSON, never code.

Every file in a checkout may come from a hostile pull request, this folder included (`git add -f`
defeats the .gitignore). So an entry is trusted only when it carries an HMAC made with a key
kept outside the repository, in the user's cache folder; a committed file cannot carry a valid
one, and on a fresh CI machine there is no key yet, so every committed entry is a miss. Entries
are JSON data read back field by field: nothing in them can run. The cache never follows a
symlink, and prunes only folders it created itself.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from checker import __version__
from checker.analysis import ArticleAnalysis, analysis_from_json, analysis_to_json
from checker.corpus import RawArticle
from checker.files import write_atomically

CACHE_DIR = ".crossfact-cache"
# Analyses for this many ledgers are kept (switching branches back and forth stays warm).
KEEP_LEDGERS = 4
MAX_ENTRY_BYTES = 256 * 2**20  # no honest analysis comes near this
MARKER = ".crossfact-ledger"  # in every folder the cache made: only those are ever pruned
HEADER = b"crossfact-cache 1 "
KEY_BYTES = 32


def key_file() -> Path:
    """Return where the cache key lives: the user's cache folder, outside any checkout."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crossfact" / "cache.key"


def load_or_make_key(path: Path) -> bytes | None:
    """Return the secret key, creating it (owner-only) on first use; None when impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != KEY_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _real_folder(path: Path) -> bool:
    """Tell whether a path is a folder itself, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


@dataclass
class CacheStats:
    """How many articles the cache answered and how many were analysed afresh."""

    hits: int = 0
    misses: int = 0


@dataclass
class AnalysisCache:
    """Analyses keyed by the article's bytes and names, the ledger's matching hash and settings."""

    root: Path
    matching_hash: str
    settings: str  # everything else a parse depends on, e.g. the boilerplate patterns
    secret: bytes
    stats: CacheStats = field(default_factory=CacheStats)
    _folder_made: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, root: Path, matching_hash: str, settings: str) -> AnalysisCache | None:
        """Return the project's cache, or None where it cannot be kept safely."""
        if root.resolve() == Path(root.resolve().anchor):
            return None  # never a cache in the file system's root (`--root /`)
        top = root / CACHE_DIR
        if os.path.lexists(top) and not _real_folder(top):
            return None  # a symlinked cache folder would read and write elsewhere
        secret = load_or_make_key(key_file())
        return None if secret is None else cls(root, matching_hash, settings, secret)

    @cached_property
    def top(self) -> Path:
        """Return the cache folder."""
        return self.root / CACHE_DIR

    @cached_property
    def folder(self) -> Path:
        """Return the folder for this tool version and ledger."""
        ledger = hashlib.sha256(f"{self.matching_hash}\x1f{self.settings}".encode()).hexdigest()
        return self.top / f"v{__version__}" / ledger[:24]

    def key(self, raw: RawArticle) -> str:
        """Return the cache key of one article."""
        digest = hashlib.sha256(raw.data)
        names = f"\x1f{raw.article_id}\x1f{raw.path}\x1f{raw.markdown}"
        digest.update(names.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _mac(self, key: str, payload: bytes) -> bytes:
        mac = hmac.new(self.secret, key.encode() + b"\x1f", hashlib.sha256)
        mac.update(payload)
        return mac.hexdigest().encode()

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> ArticleAnalysis | None:
        """Return the analysis stored under an article's key, if it is there and authentic."""
        analysis = self._read(key)
        if analysis is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return analysis

    def _read(self, key: str) -> ArticleAnalysis | None:
        path = self._entry(key)
        try:
            if not all(_real_folder(p) for p in (self.top, self.folder.parent, self.folder)):
                return None
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with os.fdopen(descriptor, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                data = handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        header, _, payload = data.partition(b"\n")
        if not header.startswith(HEADER):
            return None
        if not hmac.compare_digest(header[len(HEADER) :], self._mac(key, payload)):
            return None  # not written with this machine's key: forged, or someone else's
        try:
            return analysis_from_json(payload)
        except ValueError:
            return None

    def put(self, key: str, analysis: ArticleAnalysis) -> None:
        """Store an analysis atomically; a cache that cannot be written is only slower."""
        try:
            if not self._folder_made:
                self._folder_made = self._make_folder()
            if not self._folder_made:
                return
            payload = analysis_to_json(analysis)
            write_atomically(self._entry(key), HEADER + self._mac(key, payload) + b"\n" + payload)
        except OSError:
            return

    def _make_folder(self) -> bool:
        top = self.top
        if not os.path.lexists(top):
            top.mkdir()
            # Like .pytest_cache: the folder ignores itself, whatever the project's .gitignore says.
            write_atomically(top / ".gitignore", "# created by crossfact\n*\n")
        for folder in (self.folder.parent, self.folder):
            if not os.path.lexists(folder):
                folder.mkdir()
            if not _real_folder(folder):
                return False
        marker = self.folder / MARKER
        if not os.path.lexists(marker):
            write_atomically(marker, "")
        return _real_folder(top)

    def prune(self) -> None:
        """Drop all but the most recently used ledgers' analyses: only folders this cache made."""
        if not _real_folder(self.top):
            return
        if _real_folder(self.folder):
            os.utime(self.folder)  # this ledger's analyses were just used
        ours = []
        for version in self.top.glob("v*"):
            if not _real_folder(version):
                continue
            for folder in version.iterdir():
                marker = folder / MARKER
                if _real_folder(folder) and os.path.lexists(marker) and not marker.is_symlink():
                    ours.append(folder)
        ours.sort(key=lambda f: os.lstat(f).st_mtime, reverse=True)
        for stale in ours[KEEP_LEDGERS:]:
            shutil.rmtree(stale, ignore_errors=True)  # rmtree unlinks symlinks, never follows
