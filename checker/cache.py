"""The per-article analysis cache in .crossfact-cache/: one pickle per article and ledger."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from checker import __version__
from checker.analysis import ArticleAnalysis
from checker.corpus import RawArticle
from checker.files import write_atomically

CACHE_DIR = ".crossfact-cache"
# Analyses for this many ledgers are kept (switching branches back and forth stays warm).
KEEP_LEDGERS = 4


@dataclass
class CacheStats:
    """How many articles the cache answered and how many were analysed afresh."""

    hits: int = 0
    misses: int = 0


@dataclass
class AnalysisCache:
    """Analyses keyed by the article's bytes and names, the ledger's matching hash and settings.

    The cache is local, git-ignored state, trusted as __pycache__ is: never share or commit it.
    """

    root: Path
    matching_hash: str
    settings: str  # everything else a parse depends on, e.g. the boilerplate patterns
    stats: CacheStats = field(default_factory=CacheStats)
    _folder_made: bool = field(default=False, repr=False)

    @cached_property
    def folder(self) -> Path:
        """Return the folder for this tool version and ledger."""
        ledger = hashlib.sha256(f"{self.matching_hash}\x1f{self.settings}".encode()).hexdigest()
        return self.root / CACHE_DIR / f"v{__version__}" / ledger[:24]

    def key(self, raw: RawArticle) -> str:
        """Return the cache key of one article."""
        digest = hashlib.sha256(raw.data)
        digest.update(f"\x1f{raw.article_id}\x1f{raw.path}\x1f{raw.markdown}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> ArticleAnalysis | None:
        """Return the cached analysis stored under an article's key, if any."""
        try:
            data = (self.folder / f"{key}.pickle").read_bytes()
            analysis = pickle.loads(data)  # local state this tool wrote (see the class)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            analysis = None
        if not isinstance(analysis, ArticleAnalysis):
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return analysis

    def put(self, key: str, analysis: ArticleAnalysis) -> None:
        """Store an analysis atomically; a cache that cannot be written is only slower."""
        try:
            if not self._folder_made:
                self._make_folder()
                self._folder_made = True
            data = pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomically(self.folder / f"{key}.pickle", data)
        except OSError:
            return

    def _make_folder(self) -> None:
        top = self.root / CACHE_DIR
        if not top.is_dir():
            top.mkdir()
            # Like .pytest_cache: the folder ignores itself, whatever the project's .gitignore says.
            write_atomically(top / ".gitignore", "# created by crossfact\n*\n")
        self.folder.mkdir(parents=True, exist_ok=True)

    def prune(self) -> None:
        """Drop the analyses of all but the most recently used ledgers and tool versions."""
        top = self.root / CACHE_DIR
        if self.folder.exists():
            os.utime(self.folder)  # this ledger's analyses were just used
        folders = sorted(
            (f for v in top.glob("v*") if v.is_dir() for f in v.iterdir() if f.is_dir()),
            key=lambda f: f.stat().st_mtime,
            reverse=True,
        )
        for stale in folders[KEEP_LEDGERS:]:
            shutil.rmtree(stale, ignore_errors=True)
