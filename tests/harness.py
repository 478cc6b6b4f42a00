"""Test helpers (not tests): a throwaway project, the CLI in-process, and `assert_findings`.

Like yamllint's RuleTestCase: `check_texts` runs the real application on inline claim YAML and
articles, so most behaviour is tested without the seeds.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.application import app
from checker.application.cli import ExitStatus, run
from checker.application.settings import FileSettings, resolve
from checker.findings.results import Report
from checker.findings.rules import FindingKind

REPO = Path(__file__).resolve().parent.parent
LOCATION = """
claims:
  - id: loc
    question: Where did they meet?
    values:
      Almaty: [Almaty]
      Astana: [Astana]
    {extra}
"""

# Broken claim files and the located errors they must give: (case, text, first lines).
LEDGER_ERRORS = [
    (
        "unknown key with a did-you-mean",
        """
        claims:
          - id: a
            question: q
            values: {A: [a]}
            expeted: A
        """,
        ["claims/c.yaml:5:5: unknown key 'expeted'; did you mean 'expected'?"],
    ),
    (
        "unknown top-level key",
        """
        claim: []
        """,
        [
            "claims/c.yaml:1:1: missing required key 'claims'",
            "claims/c.yaml:1:1: unknown key 'claim'; did you mean 'claims'?",
        ],
    ),
    (
        "missing values",
        """
        claims:
          - id: a
            question: q
        """,
        ["claims/c.yaml:2:5: missing required key 'values'"],
    ),
    (
        "YAML syntax error",
        """
        claims:
          - id: a
            question: [unclosed
        """,
        [
            "claims/c.yaml:4:1: YAML syntax error: while parsing a flow sequence expected ',' or ']', but got '<stream end>'; close the bracket opened at line 3"
        ],
    ),
    (
        "a key indented less than its siblings",
        """
        claims:
          - id: a
            question: q
           values: {A: [a]}
        """,
        [
            "claims/c.yaml:4:4: YAML syntax error: while parsing a block collection expected <block end>, but found '<block mapping start>'; check the indentation of line 4: it must line up with the keys above it"
        ],
    ),
    (
        "a key indented more than its siblings",
        """
        claims:
          - id: a
            question: q
              values: {A: [a]}
        """,
        [
            "claims/c.yaml:4:13: YAML syntax error: mapping values are not allowed here; check the indentation of line 4, or quote a value that holds ': ' (question: 'Where: here')"
        ],
    ),
    (
        "an unclosed quote",
        """
        claims:
          - id: a
            question: "open
            values: {A: [a]}
        """,
        [
            "claims/c.yaml:5:1: YAML syntax error: while scanning a quoted scalar found unexpected end of stream; close the quote opened at line 3"
        ],
    ),
    (
        "duplicated YAML key",
        """
        claims:
          - id: a
            question: q
            values: {A: [a]}
            question: r
        """,
        ["claims/c.yaml:5:5: duplicate key 'question' (first defined at 3:5)"],
    ),
    (
        "duplicated value name",
        """
        claims:
          - id: a
            question: q
            values:
              A: [a]
              A: [b]
        """,
        ["claims/c.yaml:6:7: duplicate key 'A' (first defined at 5:7)"],
    ),
    (
        "expected is not a value",
        """
        claims:
          - id: a
            question: q
            values: {A: [a], B: [b]}
            expected: C
        """,
        ["claims/c.yaml:5:15: expected value 'C' is not one of the claim's values ('A', 'B')"],
    ),
    (
        "same alias under two values",
        """
        claims:
          - id: a
            question: q
            values:
              Almaty: [Almaty, the city]
              Astana: [Astana, The City]
        """,
        ["claims/c.yaml:6:24: alias 'The City' of value 'Astana' is listed under 'Almaty' too"],
    ),
    (
        "empty alias",
        """
        claims:
          - id: a
            question: q
            values: {A: ["  "]}
        """,
        ["claims/c.yaml:4:18: alias of value 'A' must not be empty"],
    ),
    (
        "value without aliases",
        """
        claims:
          - id: a
            question: q
            values: {A: []}
        """,
        ["claims/c.yaml:4:17: value 'A' has no aliases"],
    ),
    (
        "bad id and bad kind and bad severity, all at once",
        """
        claims:
          - id: Bad Id
            kind: oneof
            question: q
            values: {A: [a]}
            severity: fatal
        """,
        [
            "claims/c.yaml:3:11: unknown kind 'oneof'; expected one of one-of, any-of; did you mean 'one-of'?",
        ],
    ),
    (
        "bad id and bad severity",
        """
        claims:
          - id: Bad Id
            question: q
            values: {A: [a]}
            severity: fatal
        """,
        [
            "claims/c.yaml:2:9: id 'Bad Id' must match [a-z0-9][a-z0-9._-]*",
            "claims/c.yaml:5:15: severity must be one of 'error', 'warning' or 'info', not 'fatal'",
        ],
    ),
    ("empty file", "", ["claims/c.yaml:1:1: file is empty; expected a 'claims:' list"]),
    (
        "a list instead of a mapping",
        """
        - id: a
        """,
        ["claims/c.yaml:1:1: expected a mapping with a 'claims:' list, not a list"],
    ),
    (
        "a python tag",
        """
        claims: !!python/object:os.system {}
        """,
        [
            "claims/c.yaml:1:9: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'; only plain data is allowed"
        ],
    ),
    (
        "a tab",
        "claims:\n\t- id: a\n",
        [
            "claims/c.yaml:2:1: YAML syntax error: while scanning for the next token found character '\\t' that cannot start any token; YAML indents with spaces only: replace the tab"
        ],
    ),
]


def location(extra: str = "") -> str:
    """Return a one-of location claim (Almaty or Astana) with extra YAML lines."""
    return LOCATION.format(extra=extra)


@dataclass
class CliResult:
    """What one in-process run printed and returned."""

    status: ExitStatus
    stdout: str
    stderr: str


class Project:
    """A project folder with claims/ and an article corpus, run from its root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "claims").mkdir()
        (root / "corpus").mkdir()

    def claims(self, text: str, name: str = "claims.yaml") -> Path:
        path = self.root / "claims" / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, name: str, text: str | bytes) -> Path:
        path = self.root / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, *argv: str) -> CliResult:
        arguments = list(argv)
        if (not arguments or arguments[0] != "validate") and "--corpus" not in arguments:
            arguments = [*arguments, "--corpus", "corpus"]
        return run_cli(*arguments)


def run_cli(*argv: str) -> CliResult:
    """Run the CLI in-process in the current folder."""
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), out, err)
    return CliResult(status, out.getvalue(), err.getvalue())


def check_texts(
    claims: str,
    articles: dict[str, str],
    severity: dict[str, str] | None = None,
    disable_rules: Sequence[str] = (),
) -> Report:
    """Run the application's check on inline claim YAML and articles (name -> text)."""
    with tempfile.TemporaryDirectory(prefix="crossfact-test-") as scratch:
        root = Path(scratch)
        project = Project(root)
        project.claims(claims, "c.yaml")
        for name, text in articles.items():
            project.article(
                name if name.endswith((".txt", ".md", ".html")) else f"{name}.txt", text
            )
        file = FileSettings.model_validate(
            {"severity": severity or {}, "disable-rules": list(disable_rules)}
        )
        settings = resolve(root, file, corpus=root / "corpus", cache=False)
        return app.check(settings, today=dt.date(2026, 1, 1), write_reports=False).report


def run_validate_texts(claims: str, articles: dict[str, str]) -> list[Any]:
    """Run `crossfact validate`'s linter on inline claim YAML and articles; return findings."""
    with tempfile.TemporaryDirectory(prefix="crossfact-test-") as scratch:
        root = Path(scratch)
        project = Project(root)
        project.claims(claims, "c.yaml")
        for name, text in articles.items():
            project.article(f"{name}.txt", text)
        settings = resolve(root, FileSettings(), corpus=root / "corpus", cache=False)
        return list(app.validate(settings).report.findings)


def _key(finding: Any, like: object) -> object:
    if isinstance(like, str):
        return finding.claim if finding.claim is not None else finding.article
    if isinstance(like, tuple) and len(like) == 2:
        return (finding.line, finding.column)
    return (finding.article, finding.line, finding.column)


def assert_findings(claims: str, articles: dict[str, str], **expected: list[Any]) -> Report:
    """Check inline texts and assert exactly the findings of each named kind.

    Keys are kinds with `_` for `-` (stale_waiver=...). Each expected item is a claim id
    (or, for sentence findings, an article id), a (line, column) pair, or an
    (article, line, column) triple. Kinds not named are not checked.
    """
    report = check_texts(claims, articles)
    for name, wanted in expected.items():
        kind = FindingKind(name.replace("_", "-"))
        found = [f for f in report.findings if f.kind is kind]
        got = sorted((_key(f, wanted[0]) if wanted else f.fingerprint) for f in found)
        assert got == sorted(wanted), f"{kind.value}: expected {wanted}, found {got}"
    return report
