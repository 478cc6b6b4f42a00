"""The ledger snapshot: a clean ledger is kept in the authenticated cache, keyed by its files.

A hit must be the very ledger the YAML gives (values, types, enums, fields-set, positions), a
broken ledger is never kept (its errors come from the YAML each time), and a snapshot that is
not this machine's is never used.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from checker.application import cache as cache_module
from checker.application.cache import CACHE_DIR, DATABASE, SNAPSHOTS, snapshot_key
from checker.application.reading import read_ledger
from checker.application.records import ledger_from_json, ledger_to_json
from checker.base.ledger import load_ledger, parse_claim_file
from tests.harness import LEDGER_ERRORS, Project, run_cli

RICH = """
topic: Rich ledger
claims:
  - id: loc
    question: Where did they meet?
    values:
      Almaty: [Almaty, Kazakhstan's largest city]
      Astana: Astana
      Bishkek:
        aliases: [Bishkek]
        known_wrong: true
    expected: Almaty
    about: [met, summit]
    scope: [a, b]
    severity: warning
    note: checked
    sources: [https://example.org]
    examples:
      Almaty: [They met in Almaty.]
      silent: [Nothing here.]
  - id: toll
    question: How many died?
    type: count
    unit: people
    tolerance: "5%"
    changes: true
    values:
      "38": {as_of: "2024-01-02"}
      "40": {known_wrong: true}
    when: "2024"
  - id: members
    kind: any-of
    question: Which states joined?
    values: {Kazakhstan: [Kazakhstan], Uzbekistan: [Uzbekistan]}
    expected: [Kazakhstan]
    other_occasions: [5th]
"""


def _same(a: object, b: object, where: str = "ledger") -> None:
    """Assert two values are equal with the same types all the way down, fields-set included."""
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert isinstance(b, BaseModel)
        assert a.model_fields_set == b.model_fields_set, where
        assert list(a.__dict__) == list(b.__dict__), where
        for name in a.__dict__:
            _same(a.__dict__[name], b.__dict__[name], f"{where}.{name}")
    elif isinstance(a, dict):
        assert isinstance(b, dict)
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{n}]")
    else:
        assert a == b, where


def _files(text: str) -> list[tuple[str, bytes]]:
    return [("claims/rich.yaml", text.encode())]


def test_a_snapshot_gives_back_the_very_ledger() -> None:
    ledger = load_ledger(_files(RICH))
    back = ledger_from_json(ledger_to_json(ledger))
    _same(ledger, back)
    assert back == ledger
    assert back.model_dump_json() == ledger.model_dump_json()


def test_the_seeds_ledger_survives_a_snapshot(seeds_project: Path) -> None:
    ledger = read_ledger(seeds_project / "claims", seeds_project)
    _same(ledger, ledger_from_json(ledger_to_json(ledger)))


@pytest.mark.parametrize(
    "payload",
    [b"", b"[]", b"[1]", b"[99, {}]", b'[1, {"claims": [{}], "content_hash": "x"}]', b"\xff"],
)
def test_a_malformed_snapshot_is_a_miss_not_a_crash(payload: bytes) -> None:
    with pytest.raises(ValueError, match=r"."):
        ledger_from_json(payload)


def test_the_key_follows_every_byte_name_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    key = snapshot_key(_files(RICH))
    assert snapshot_key(_files(RICH)) == key
    assert snapshot_key(_files(RICH + " ")) != key
    assert snapshot_key([("claims/other.yaml", RICH.encode())]) != key
    monkeypatch.setattr(cache_module, "__version__", "9.9.9")
    assert snapshot_key(_files(RICH)) != key


def _rows(root: Path) -> list[tuple[str, bytes]]:
    database = sqlite3.connect(root / CACHE_DIR / DATABASE)
    try:
        return database.execute(
            "SELECT key, payload FROM analyses WHERE ledger = ?", (SNAPSHOTS,)
        ).fetchall()
    finally:
        database.close()


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the claim files the snapshot loader parses from their YAML."""
    calls: list[int] = []

    def counted(data: bytes, path: str) -> Any:
        calls.append(1)
        return parse_claim_file(data, path)

    monkeypatch.setattr(cache_module, "parse_claim_file", counted)
    return calls


def test_a_check_keeps_a_snapshot_and_the_next_reads_it(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.claims(RICH)
    project.article("a.txt", "They met in Almaty. 38 people died.")
    calls = _loads(monkeypatch)
    first = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert len(_rows(project.root)) == 1
    second = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert calls == [1]  # the second run read the snapshot
    assert second.stdout == first.stdout
    assert second.status == first.status
    no_cache = run_cli(
        "check", "--corpus", "corpus", "--format", "json", "--no-reports", "--no-cache"
    )
    assert no_cache.stdout == first.stdout
    project.claims(RICH.replace("checked", "checked twice"))
    run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert calls == [1, 1]  # an edited file is read again
    assert len(_rows(project.root)) == 2


def test_no_cache_neither_reads_nor_writes_a_snapshot(project: Project) -> None:
    project.claims(RICH)
    project.article("a.txt", "They met in Almaty.")
    run_cli("check", "--corpus", "corpus", "--no-reports", "--no-cache")
    assert not (project.root / CACHE_DIR).exists()


@pytest.mark.parametrize(("name", "text", "expected"), LEDGER_ERRORS[:4])
def test_a_broken_ledger_is_never_kept_and_gives_its_errors_every_time(
    project: Project, name: str, text: str, expected: list[str]
) -> None:
    project.claims(text, "c.yaml")
    project.article("a.txt", "They met in Almaty.")
    for _ in range(2):
        result = run_cli("check", "--corpus", "corpus", "--no-reports")
        assert result.status == 2
        for line in expected:
            assert line in result.stderr
    assert not (project.root / CACHE_DIR).exists() or _rows(project.root) == []


def test_a_snapshot_that_fails_its_mac_is_never_used(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.claims(RICH)
    project.article("a.txt", "They met in Almaty.")
    first = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    [(key, payload)] = _rows(project.root)
    forged = payload.replace(b"checked", b"chucked")
    database = sqlite3.connect(project.root / CACHE_DIR / DATABASE)
    with database:
        database.execute(
            "UPDATE analyses SET payload = ? WHERE ledger = ? AND key = ?", (forged, SNAPSHOTS, key)
        )
    database.close()
    calls = _loads(monkeypatch)
    second = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert calls == [1]  # the forged row was refused and the YAML read
    assert second.stdout == first.stdout


def test_cache_info_counts_snapshots_apart_from_ledgers(project: Project) -> None:
    project.claims(RICH)
    project.article("a.txt", "They met in Almaty.")
    run_cli("check", "--corpus", "corpus", "--no-reports")
    shown = run_cli("cache", "info").stdout
    assert "1 ledger snapshot(s)" in shown
    assert f"ledger {SNAPSHOTS[:12]}" not in shown  # not listed as one of the analyses' ledgers


def test_editing_one_claim_file_parses_that_file_only(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.claims(RICH)
    other = RICH.replace("id: ", "id: other-")
    project.claims(other, "other.yaml")
    project.article("a.txt", "They met in Almaty. 38 people died.")
    calls = _loads(monkeypatch)
    first = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert calls == [1, 1]  # both files parsed, each kept on its own
    project.claims(other.replace("checked", "checked twice"), "other.yaml")
    second = run_cli("check", "--corpus", "corpus", "--format", "json", "--no-reports")
    assert calls == [1, 1, 1]  # only the edited file is parsed again
    no_cache = run_cli(
        "check", "--corpus", "corpus", "--format", "json", "--no-reports", "--no-cache"
    )
    assert second.stdout == no_cache.stdout
    assert second.stdout != first.stdout


def test_a_duplicate_id_across_snapshotted_files_is_still_an_error(project: Project) -> None:
    project.claims(RICH)
    project.claims(RICH.replace("id: ", "id: other-"), "other.yaml")
    project.article("a.txt", "They met in Almaty.")
    assert (
        run_cli("check", "--corpus", "corpus", "--no-reports").status != 2
    )  # both files kept as snapshots
    project.claims(RICH, "other.yaml")  # now every id of the first file is repeated
    result = run_cli("check", "--corpus", "corpus", "--no-reports")
    assert result.status == 2
    assert "duplicate claim id" in result.stderr
