"""The per-article analysis cache: one SQLite file in .crossfact-cache/, authenticated, never code.

Every file in a checkout may come from a hostile pull request, this folder included (`git add -f`
defeats the .gitignore). So:
- the database is used only if it proves it was made on this machine: its `owner` row carries an
  HMAC made with a key kept outside the repository, in the user's cache folder (a fresh CI machine
  has no key yet, so a committed database is never opened for use, only left alone);
- every entry carries its own HMAC too, and is JSON read back field by field: nothing in it runs;
- before use, the schema must be exactly ours (no triggers or views), and SQLite runs with
  `trusted_schema` off;
- the cache never follows a symlink, and keeps nothing in the file system's root.
WAL journaling lets concurrent runs read and write the same file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

from checker import __version__
from checker.application.records import (
    LEDGER_FORMAT,
    analysis_from_json,
    analysis_to_json,
    digest_from_json,
    judgement_from_json,
    judgement_to_json,
    ledger_from_json,
    ledger_to_json,
    outline_from_json,
    outline_to_json,
    sentences_from_json,
    sentences_to_json,
)
from checker.articles.corpus import RawArticle
from checker.articles.readers import reader_named
from checker.base.claims import Ledger, LocatedClaim
from checker.base.files import write_atomically
from checker.base.ledger import load_ledger, parse_claim_file
from checker.judgement.analysis import ArticleAnalysis, ArticleDigest
from checker.judgement.judge import ClaimJudgement
from checker.judgement.reduction import ArticleSentences, Outline

CACHE_DIR = ".crossfact-cache"
DATABASE = "cache.sqlite3"
# Analyses for this many ledgers are kept (switching branches back and forth stays warm).
KEEP_LEDGERS = 4
KEY_BYTES = 32
SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE analyses (ledger TEXT NOT NULL, key TEXT NOT NULL, mac TEXT NOT NULL, "
    "payload BLOB NOT NULL, used REAL NOT NULL, PRIMARY KEY (ledger, key))",
)
# A database file younger than this may be another run's, still being made (`_being_made`).
_FRESH_SECONDS = 2.0
_BUSY_MS = 30_000
T = TypeVar("T")
_DIGEST = "digest:"  # the key prefix of digest rows
_OUTLINE = "outline:"  # ... of outline rows (an outline's key is its digest's, prefixed)
_MEMO = "memo:"  # ... of memoised judgements (`JudgementMemo`)
_PENDING_ROWS = 256  # rows written by one statement inside a transaction
# The `ledger` column of ledger snapshots: a row per claim file, keyed by its name and bytes
# (`snapshot_key`), pruned apart from the analyses to the most recently used few per file.
SNAPSHOTS = "ledger-snapshots"
KEEP_SNAPSHOTS = 4


def _digest_key(key: str, topic: str) -> str:
    """Return the row key of an article's digest: its analysis key and the topic words' hash.

    Digests sit in the analyses table beside the analyses they are cut from, so they share
    its authentication, its pruning by ledger and its schema.
    """
    return f"{_DIGEST}{topic}:{key}"


def fingerprint_of(package: Path) -> str:
    """Return a hash of a package's Python source and word lists."""
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *(package / "data").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def code_fingerprint() -> str:
    """Return the fingerprint of the analysing code that is running."""
    # The version alone misses edits between releases (an editable install, a git checkout):
    # analyses made by other code must be misses, never stale answers.
    return fingerprint_of(Path(__file__).resolve().parents[1])  # the whole checker package


def _secret_for(root: Path) -> tuple[bytes | None, str]:
    """Return the cache key for a project, or None and why no cache can be kept there."""
    if root.resolve() == Path(root.resolve().anchor):
        return None, "the project root is the file system's root: no cache"
    top = root / CACHE_DIR
    if os.path.lexists(top) and not _real_folder(top):
        return None, f"{CACHE_DIR} is not a folder of its own (a symlink?): no cache"
    home = key_home(root)
    if home.path is None:
        return None, home.problem
    return read_or_make_key(home.path)


class KeyHome(NamedTuple):
    """Where the cache key lives, or why no cache can be kept (`path` None)."""

    path: Path | None
    problem: str = ""


def key_home(root: Path) -> KeyHome:
    """Return the cache key's file: the user's cache folder, never the checkout.

    A relative `XDG_CACHE_HOME` is invalid (the XDG spec says so) and a relative or empty
    `HOME` names no home: either means no cache rather than a guess. A folder that resolves
    inside the project root is refused: a pull request could commit a key there and a cache
    made with it. A home that does not exist is never created.
    """
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and not Path(xdg).is_absolute():
        # Relative, it would be read from wherever the run starts: the checkout.
        return KeyHome(None, f"XDG_CACHE_HOME is {xdg!r}, not an absolute folder: no cache key")
    if xdg:
        base = Path(xdg)
    else:
        home = os.environ.get("HOME", "")
        if not home or not Path(home).is_absolute():
            return KeyHome(None, f"HOME is {home!r}, not an absolute folder: no cache key")
        if not Path(home).is_dir():
            return KeyHome(None, f"HOME {home} does not exist: no cache key (it is not created)")
        base = Path(home) / ".cache"
    folder = base / "crossfact"
    try:
        resolved, project = folder.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return KeyHome(None, f"the cache key folder {folder} cannot be resolved")
    if resolved == project or project in resolved.parents:
        return KeyHome(None, f"the cache key folder {folder} is inside the project: not used")
    return KeyHome(folder / "cache.key")


def read_or_make_key(path: Path) -> tuple[bytes | None, str]:
    """Return the secret key, created (owner-only) on first use, or None and what is wrong.

    The key is used only from a regular file of the right size, owned by this user and readable
    by no one else (mode 0600): anything else could have been planted or read by another user.
    """
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
        if not stat.S_ISREG(info.st_mode):
            return None, f"the cache key {path} is not a regular file: not used"
        if info.st_size != KEY_BYTES:
            return None, f"the cache key {path} is {info.st_size} bytes, not {KEY_BYTES}: not used"
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None, f"the cache key {path} belongs to another user: not used"
        if info.st_mode & 0o077:
            mode = oct(stat.S_IMODE(info.st_mode))
            return None, f"the cache key {path} has mode {mode}, not 0o600: not used"
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(KEY_BYTES + 1)
        if len(data) != KEY_BYTES:
            return None, f"the cache key {path} changed while it was read: not used"
        return data, ""
    except OSError as exc:
        return None, f"the cache key {path} cannot be used: {exc.strerror or exc}"


def _real_folder(path: Path) -> bool:
    """Tell whether a path is a folder itself, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _real_file_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True
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
    notes: list[str] = field(default_factory=list)  # said once by the run (a rebuilt file)
    _connection: sqlite3.Connection | None = field(default=None, repr=False)
    _usable: bool | None = field(default=None, repr=False)
    # Memo rows this run read (their `used` is renewed at `prune`; None: the run kept no memo)
    # and when it began: memo rows neither read nor written since are other inputs', dropped.
    _memo_used: list[str] | None = field(default=None, repr=False)
    _opened: float = field(default_factory=time.time, repr=False)
    _pending: list[tuple[str, str, str, bytes, float]] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, root: Path, matching_hash: str, settings: str) -> AnalysisCache | None:
        """Return the project's cache, or None where it cannot be kept safely."""
        secret, _ = _secret_for(root)
        return None if secret is None else cls(root, matching_hash, settings, secret)

    @staticmethod
    def unavailable(root: Path) -> str | None:
        """Return why no cache can be kept for a project, or None when one can."""
        secret, problem = _secret_for(root)
        return problem if secret is None else None

    @property
    def top(self) -> Path:
        """Return the cache folder."""
        return self.root / CACHE_DIR

    @property
    def path(self) -> Path:
        """Return the database file."""
        return self.top / DATABASE

    @property
    def ledger(self) -> str:
        """Return the id of this tool version and code, ledger and settings."""
        text = f"{__version__}\x1f{code_fingerprint()}\x1f{self.matching_hash}\x1f{self.settings}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def key(self, raw: RawArticle) -> str:
        """Return the cache key of one article."""
        digest = hashlib.sha256(raw.data)
        # The reader and its version: a new HTML extractor or joining rule re-reads the file.
        reader = reader_named(raw.reader)
        names = f"\x1f{raw.article_id}\x1f{raw.path}\x1f{reader.name}\x1f{reader.version}"
        digest.update(names.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _mac(self, *parts: bytes) -> str:
        return hmac.new(self.secret, b"\x1f".join(parts), hashlib.sha256).hexdigest()

    def _db(self, *, create: bool) -> sqlite3.Connection | None:
        """Return the connection to our own database, making it if asked; None if not ours."""
        if self._usable is False:
            return None
        if self._connection is not None:
            return self._connection
        try:
            self._connection = self._connect(create=create)
        except (sqlite3.Error, OSError):
            self._connection = None
        if self._connection is None:
            if create or os.path.lexists(self.path):
                self._usable = False  # a foreign or broken file: left alone, never used
            return None
        self._usable = True
        return self._connection

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        files = [self.path, self.path.with_name(DATABASE + "-wal")]
        files.append(self.path.with_name(DATABASE + "-shm"))
        if not all(_real_file_or_absent(f) for f in files):
            return None
        existed = os.path.lexists(self.path)
        if existed and self._never_initialised() and not self._being_made():
            # A run killed just after creating the file leaves it empty or schema-less; left
            # alone, every later run would call it foreign and cache nothing until `clear`.
            for stale in files:
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            shown = f"{CACHE_DIR}/{DATABASE}"
            self.notes.append(f"{shown} was empty or never initialised (a run cut short?): rebuilt")
            existed = False
        if not existed and not create:
            return None
        if not existed:
            self._make_folder()
        owner = self._mac(b"crossfact-cache-owner", DATABASE.encode())
        if existed and not self._ours(owner):
            return None  # not made by this machine's crossfact: never trusted, never written
        connection = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        # WAL with NORMAL sync never corrupts the file; a crash may lose the last entries,
        # which are only analysed again. FULL would sync the disk once per stored article.
        connection.execute("PRAGMA synchronous = NORMAL")
        if not existed:
            try:
                connection.execute("BEGIN IMMEDIATE")
                if not self._schema(connection):  # another run may have made it meanwhile
                    for statement in SCHEMA:
                        connection.execute(statement)
                    connection.execute("INSERT INTO meta VALUES ('owner', ?)", (owner,))
                connection.execute("COMMIT")
            except sqlite3.Error:
                connection.close()
                raise
            if self._schema(connection) != sorted(SCHEMA) or self._owner(connection) != owner:
                connection.close()
                return None
        return connection

    def _being_made(self) -> bool:
        """Wait while another run that has just created the file writes its schema.

        Two first runs at once: one creates the file, and for a moment it is empty. Taken for
        a run cut short, it would be deleted under the run making it (the flaky concurrent-run
        test). A file younger than two seconds gets that long to become a database; only one
        still empty after that, or an older one, is rebuilt.
        """
        deadline = time.monotonic() + _FRESH_SECONDS
        while time.monotonic() < deadline:
            try:
                age = time.time() - os.lstat(self.path).st_mtime
            except OSError:
                return True  # gone: the other run is making it again; connect afresh
            if age > _FRESH_SECONDS:
                return False
            time.sleep(0.05)
            if not self._never_initialised():
                return True
        return False

    def _never_initialised(self) -> bool:
        """Tell whether the database file holds nothing: zero bytes, or SQLite with no schema."""
        try:
            if os.lstat(self.path).st_size == 0:
                return True
            uri = f"{self.path.absolute().as_uri()}?mode=ro"
            connection = sqlite3.connect(uri, uri=True, timeout=_BUSY_MS / 1000)
        except (OSError, sqlite3.Error):
            return False
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            return not connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.Error:
            return False
        finally:
            connection.close()

    def _ours(self, owner: str) -> bool:
        """Tell, opening it read-only, whether the database is exactly ours and this machine's."""
        uri = f"{self.path.absolute().as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=_BUSY_MS / 1000)
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            return self._schema(connection) == sorted(SCHEMA) and self._owner(connection) == owner
        except sqlite3.Error:
            return False
        finally:
            connection.close()

    @staticmethod
    def _schema(connection: sqlite3.Connection) -> list[str]:
        rows = connection.execute("SELECT type, sql FROM sqlite_master").fetchall()
        return sorted(sql for kind, sql in rows if kind == "table" and sql) + [
            f"{kind}: {sql}" for kind, sql in rows if kind not in ("table", "index")
        ]

    @staticmethod
    def _owner(connection: sqlite3.Connection) -> str | None:
        row = connection.execute("SELECT value FROM meta WHERE name = 'owner'").fetchone()
        return row[0] if row else None

    def _make_folder(self) -> None:
        if not os.path.lexists(self.top):
            self.top.mkdir()
            # Like .pytest_cache: the folder ignores itself, whatever the project's .gitignore says.
            write_atomically(self.top / ".gitignore", "# created by crossfact\n*\n")

    def get(self, key: str) -> ArticleAnalysis | None:
        """Return the analysis stored under an article's key, if it is there and authentic."""
        found = self._read(key, analysis_from_json)
        if found is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return found

    def get_digest(self, key: str, topic: str, *, counted: bool = True) -> ArticleDigest | None:
        """Return an article's digest for the ledger's topic words, if stored and authentic.

        Only a hit is counted (unless `counted` is off: an outlined article, already counted):
        on a miss the caller asks for the whole analysis (`get`).
        """
        found = self._read(_digest_key(key, topic), digest_from_json)
        if found is not None and counted:
            self.stats.hits += 1
        return found

    def _read(self, key: str, decode: Callable[[bytes], T], ledger: str | None = None) -> T | None:
        connection = self._db(create=False)
        if connection is None:
            return None
        self._flush()  # a row stored in this transaction is read as stored
        ledger = self.ledger if ledger is None else ledger
        try:
            row = connection.execute(
                "SELECT mac, payload FROM analyses WHERE ledger = ? AND key = ?",
                (ledger, key),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        mac, payload = row
        if not isinstance(payload, bytes) or not hmac.compare_digest(
            str(mac), self._mac(ledger.encode(), key.encode(), payload)
        ):
            return None  # not written with this machine's key
        try:
            return decode(payload)
        except ValueError:
            return None

    def get_outline(self, key: str, topic: str) -> Outline | None:
        """Return an article's outline for the ledger's topic words, if stored and authentic."""
        found = self._read(_OUTLINE + _digest_key(key, topic), outline_from_json)
        if found is not None and found.key != key:
            return None  # a row copied under another article's key
        if found is not None:
            self.stats.hits += 1
        return found

    def put_outline(self, key: str, topic: str, outline: Outline) -> None:
        """Store an article's outline (`outline_of` its digest)."""
        self.put_payload(_OUTLINE + _digest_key(key, topic), outline_to_json(outline))

    def get_memo(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        """Return a memoised judgement (`JudgementMemo`), if stored and authentic."""
        found = self._read(_MEMO + key, decode)
        if self._memo_used is None:
            self._memo_used = []
        if found is not None:
            self._memo_used.append(_MEMO + key)
        return found

    def put_memo(self, key: str, payload: bytes) -> None:
        """Store a memoised judgement."""
        if self._memo_used is None:
            self._memo_used = []
        self.put_payload(_MEMO + key, payload)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Write everything stored inside as one transaction (one sync, not one per row)."""
        connection = self._db(create=True)
        began = False
        if connection is not None and not connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("BEGIN IMMEDIATE")
                began = True
        if began:
            self._pending = []
        try:
            yield
        finally:
            if began and connection is not None:
                self._flush()
                self._pending = None
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("COMMIT")

    def _flush(self) -> None:
        """Write the rows stored inside a transaction, in one statement."""
        if self._pending and self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.executemany(
                    "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?)", self._pending
                )
            self._pending = []

    def put(self, key: str, analysis: ArticleAnalysis) -> None:
        """Store an analysis; a cache that cannot be written is only slower."""
        self.put_payload(key, analysis_to_json(analysis))

    def put_digest(self, key: str, topic: str, payload: bytes) -> None:
        """Store an article's digest (`digest_to_json`) for the ledger's topic words."""
        self.put_payload(_digest_key(key, topic), payload)

    def put_payload(self, key: str, payload: bytes, ledger: str | None = None) -> None:
        """Store an analysis already serialised by `analysis_to_json` (in a worker)."""
        connection = self._db(create=True)
        if connection is None:
            return
        ledger = self.ledger if ledger is None else ledger
        mac = self._mac(ledger.encode(), key.encode(), payload)
        row = (ledger, key, mac, payload, time.time())
        if self._pending is not None:  # inside `transaction`: written together at its end
            self._pending.append(row)
            if len(self._pending) >= _PENDING_ROWS:
                self._flush()
            return
        with contextlib.suppress(sqlite3.Error):
            connection.execute("INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?)", row)

    def get_ledger(self, key: str) -> Ledger | None:
        """Return the ledger snapshot stored under `snapshot_key`, if there and authentic."""
        found = self._read(key, ledger_from_json, ledger=SNAPSHOTS)
        connection = self._db(create=False)
        if found is not None and connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.execute(
                    "UPDATE analyses SET used = ? WHERE ledger = ? AND key = ?",
                    (time.time(), SNAPSHOTS, key),
                )
        return found

    def put_ledger(self, key: str, ledger: Ledger, keep: int = KEEP_SNAPSHOTS) -> None:
        """Store a snapshot of a claim file that loaded cleanly; keep only the latest `keep`."""
        self.put_payload(key, ledger_to_json(ledger), ledger=SNAPSHOTS)
        connection = self._db(create=False)
        if connection is None:
            return
        with contextlib.suppress(sqlite3.Error):
            connection.execute(
                "DELETE FROM analyses WHERE ledger = ? AND key NOT IN (SELECT key FROM analyses "
                "WHERE ledger = ? ORDER BY used DESC LIMIT ?)",
                (SNAPSHOTS, SNAPSHOTS, keep),
            )

    def prune(self) -> None:
        """Drop all but the most recently used ledgers' analyses, and this ledger's memo rows
        that this run neither read nor wrote."""
        connection = self._db(create=False)
        if connection is None:
            return
        with contextlib.suppress(sqlite3.Error), self.transaction():
            now = time.time()
            if self._memo_used is not None:
                connection.executemany(
                    "UPDATE analyses SET used = ? WHERE ledger = ? AND key = ?",
                    ((now, self.ledger, key) for key in self._memo_used),
                )
                connection.execute(
                    "DELETE FROM analyses WHERE ledger = ? AND substr(key, 1, ?) = ? AND used < ?",
                    (self.ledger, len(_MEMO), _MEMO, self._opened),
                )
                self._memo_used = None
            connection.execute("UPDATE analyses SET used = ? WHERE ledger = ?", (now, self.ledger))
            connection.execute(
                "DELETE FROM analyses WHERE ledger != ? AND ledger NOT IN (SELECT ledger FROM "
                "analyses WHERE ledger != ? GROUP BY ledger ORDER BY max(used) DESC LIMIT ?)",
                (SNAPSHOTS, SNAPSHOTS, KEEP_LEDGERS),
            )

    def close(self) -> None:
        """Close the database."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def info(self) -> dict[str, object]:
        """Describe the cache: its file, whether it is this machine's, and what it holds."""
        described: dict[str, object] = {"path": self.path.as_posix(), "exists": False}
        if not os.path.lexists(self.path):
            return described
        described["exists"] = True
        described["bytes"] = sum(
            os.lstat(f).st_size
            for f in (self.path, self.path.with_name(DATABASE + "-wal"))
            if os.path.lexists(f)
        )
        connection = self._db(create=False)
        described["trusted"] = connection is not None
        if connection is not None:
            rows = connection.execute(
                "SELECT ledger, sum(substr(key, 1, ?) = ?), sum(substr(key, 1, ?) = ?), "
                "sum(substr(key, 1, ?) = ?), count(*), max(used) FROM analyses "
                "WHERE ledger != ? GROUP BY ledger ORDER BY max(used) DESC",
                (
                    *(len(_DIGEST), _DIGEST),
                    *(len(_OUTLINE), _OUTLINE),
                    *(len(_MEMO), _MEMO),
                    SNAPSHOTS,
                ),
            ).fetchall()
            described["snapshots"] = connection.execute(
                "SELECT count(*) FROM analyses WHERE ledger = ?", (SNAPSHOTS,)
            ).fetchone()[0]
            described["ledgers"] = [
                {
                    "ledger": ledger,
                    "analyses": count - digests - outlines - judgements,
                    "digests": digests,
                    "outlines": outlines,
                    "judgements": judgements,
                    "current": ledger == self.ledger,
                }
                for ledger, digests, outlines, judgements, count, _ in rows
            ]
        return described

    def clear(self) -> list[str]:
        """Delete the cache's files (only regular files, never through a symlink)."""
        self.close()
        removed = []
        for name in (DATABASE, DATABASE + "-wal", DATABASE + "-shm"):
            target = self.top / name
            if os.path.lexists(target) and _real_file_or_absent(target):
                target.unlink()
                removed.append(name)
        return removed


def snapshot_key(files: list[tuple[str, bytes]]) -> str:
    """Return the key of a ledger snapshot: the claim files' names and bytes, and the code's."""
    digest = hashlib.sha256(f"{LEDGER_FORMAT}\x1f{__version__}\x1f{code_fingerprint()}".encode())
    for path, data in sorted(files):
        digest.update(f"\x1f{path}\x1f{len(data)}\x1f".encode("utf-8", "surrogateescape"))
        digest.update(data)
    return digest.hexdigest()


def snapshot_loader(root: Path, notes: list[str]) -> Callable[[list[tuple[str, bytes]]], Ledger]:
    """Return a ledger loader that keeps a snapshot of each clean claim file in the project's cache.

    A hit is the claims the file's YAML gave, without parsing or validating it again, so editing
    one file of a ledger parses that file only; the ledger-wide checks (duplicated ids) run
    every time. A file with errors is never stored, so it is parsed each time and gives its
    located errors. Where no cache can be kept, the loader only loads. Notes of a rebuilt
    cache file go to `notes`.
    """

    def load(files: list[tuple[str, bytes]]) -> Ledger:
        cache = AnalysisCache.open(root, "", "")
        if cache is None:
            return load_ledger(files)

        def parse(data: bytes, path: str) -> list[LocatedClaim]:
            key = snapshot_key([(path, data)])
            found = cache.get_ledger(key)
            if found is not None:
                return list(found.claims)
            claims = parse_claim_file(data, path)  # raises on a broken file: nothing is stored
            snapshot = Ledger.model_construct(claims=tuple(claims), content_hash="")
            cache.put_ledger(key, snapshot, keep=KEEP_SNAPSHOTS * len(files))
            return claims

        try:
            return load_ledger(files, parse)
        finally:
            cache.close()
            notes.extend(cache.notes)

    return load


class CachedMemo:
    """The judgement memo (`JudgementMemo`) kept in the analysis cache, beside the digests.

    A run that found nothing in the cache keeps no memo: writing it costs a cold run a tenth
    of its time, and a fresh CI machine, whose cache ends with the run, would pay that for
    nothing. The memo starts with the first run that reuses an analysis.
    """

    def __init__(self, cache: AnalysisCache, topic: str) -> None:
        self.cache, self.topic = cache, topic
        self.shared: dict[str, str] = {}  # one copy of each sentence the judgements quote

    def digest(self, key: str) -> ArticleDigest | None:
        """Return an outlined article's digest."""
        found = self.cache.get_digest(key, self.topic, counted=False)
        return None if found is None else found._replace(key=key)

    @property
    def keeping(self) -> bool:
        """Tell whether this run stores what it judges: it found something in the cache."""
        return self.cache.stats.hits > 0

    def put_outline(self, outline: Outline) -> None:
        """Store the outline of an article the run has just read whole."""
        self.cache.put_outline(outline.key, self.topic, outline)

    def claim(self, key: str) -> ClaimJudgement | None:
        """Return a claim's memoised judgement."""
        return self.cache.get_memo(key, lambda data: judgement_from_json(data, self.shared))

    def put_claim(self, key: str, judgement: ClaimJudgement) -> None:
        """Store a claim's judgement."""
        self.cache.put_memo(key, judgement_to_json(judgement))

    def sentences(self, key: str) -> ArticleSentences | None:
        """Return an article's memoised sentence findings."""
        return self.cache.get_memo(key, sentences_from_json)

    def put_sentences(self, key: str, sentences: ArticleSentences) -> None:
        """Store an article's sentence findings."""
        self.cache.put_memo(key, sentences_to_json(sentences))
