"""`crossfact init`: the files a new project starts from, written only inside its folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from checker.base.errors import UsageError
from checker.base.files import display_path, inside, printable_name, write_atomically
from checker.schema import schema_text

SETTINGS = """\
# crossfact settings. A flag on the command line wins over these, and these over the
# built-in defaults; `crossfact --help` shows the values in effect. crossfact finds this file
# from any folder below it (up to the top of the git checkout).
corpus = "{corpus}"          # the articles (.txt, .md), searched recursively
claims = "claims"            # the claim ledger (**/*.yaml)
report-dir = "reports"       # report.html, report.md and report.json
# fail-on = "error"          # lowest severity that fails the run: error, warning, info, never
# disable-rules = []         # mention rules to switch off, by code or name (crossfact rules)
# boilerplate = []           # page-chrome globs, as in claims/boilerplate.txt
# max-findings = 200         # findings the terminal lists at most (0: all)

# [severity]                 # re-level a finding kind (crossfact rules lists them)
# stray = "info"
"""

LEDGER = """\
# yaml-language-server: $schema=claims.schema.json
# A claim ledger. Each claim is a question with named candidate answers (values), and each
# value lists the phrases (aliases) that express it in text. crossfact checks every article
# against every claim: articles that disagree are a conflict, an article that disagrees with
# `expected` is a contradiction. See README, "The claim ledger", for every key.
topic: An example ledger; replace it with your own claims
claims:
  - id: summit-city                  # unique across all files: [a-z0-9][a-z0-9._-]*
    question: Where was the summit held?
    kind: one-of                     # one-of: at most one value is true; any-of: several may be
    values:
      Almaty: [Almaty]               # value name: [the phrases the text uses for it]
      Astana: [Astana, the Kazakh capital]
    expected: Almaty                 # optional: the verified answer
    about: [summit, met]             # optional: count a mention only beside one of these words
    examples:                        # optional: self-tests that `crossfact validate` runs
      Almaty: ["The summit was held in Almaty."]
      denies Astana: ["The summit was not held in Astana."]
      silent: ["Trade was discussed."]
    sources: ["https://example.org/the-official-statement"]
"""

ARTICLE = """\
---
title: Leaders meet in Almaty
date: 2025-06-17
---
# Leaders meet in Almaty

The leaders met in Almaty for the summit.
"""

PRE_COMMIT = """\
# crossfact as a pre-commit hook: it runs the installed crossfact on every commit that
# touches an article, a claim file or the settings.
repos:
  - repo: local
    hooks:
      - id: crossfact
        name: crossfact
        entry: crossfact check --no-reports
        language: system
        pass_filenames: false
        files: \\.(txt|md|ya?ml|toml)$
"""
PRE_COMMIT_FILE = ".pre-commit-config.yaml"


@dataclass(frozen=True)
class Start:
    """What `init` wrote, and the pre-commit snippet it left for the user to add."""

    written: tuple[str, ...]
    snippet: str | None  # the pre-commit lines, when a .pre-commit-config.yaml already exists


def starter_files(corpus: str, with_article: bool) -> dict[str, str]:
    """Return a new project's files by path relative to its folder."""
    files = {
        "crossfact.toml": SETTINGS.format(corpus=corpus),
        "claims/claims.yaml": LEDGER,
        "claims/claims.schema.json": schema_text(),
    }
    if with_article:
        files[f"{corpus}/example.md"] = ARTICLE
    return files


def _check_corpus_name(corpus: str) -> None:
    parts = Path(corpus).parts
    if not parts or Path(corpus).is_absolute() or ".." in parts or '"' in corpus:
        raise UsageError(f"--corpus {printable_name(corpus)}: give a folder inside the project")


def _lands_inside(path: Path, folder: Path) -> bool:
    """Tell whether a file to be made lands inside the folder, symlinked parents resolved."""
    existing = path.parent
    while not os.path.lexists(existing) and existing != folder:
        existing = existing.parent
    return inside(existing, folder)


def init_project(folder: Path, corpus: str = "articles") -> Start:
    """Write a new project's files into `folder`; refuse to overwrite or to write outside it."""
    _check_corpus_name(corpus)
    if not folder.is_dir():
        raise UsageError(f"{printable_name(str(folder))} is not a folder")
    files = starter_files(corpus, with_article=not os.path.lexists(folder / corpus))
    pre_commit = folder / PRE_COMMIT_FILE
    snippet = PRE_COMMIT if os.path.lexists(pre_commit) else None
    if snippet is None:
        files[PRE_COMMIT_FILE] = PRE_COMMIT
    present = [name for name in files if os.path.lexists(folder / name)]
    if present:
        raise UsageError(
            f"{', '.join(printable_name(name) for name in present)} already exist(s) in "
            f"{printable_name(str(folder))}: init never overwrites; delete them or run it elsewhere"
        )
    for name in files:
        # A symlinked claims/ or corpus folder in the checkout must not carry a write outside.
        if not _lands_inside(folder / name, folder):
            shown = printable_name(str(folder))
            raise UsageError(f"{printable_name(name)} would be written outside {shown}")
    for name, text in files.items():
        try:
            write_atomically(folder / name, text)
        except OSError as exc:
            raise UsageError(f"cannot write {printable_name(name)}: {exc.strerror}") from None
    return Start(tuple(display_path(folder / name, folder) for name in files), snippet)
