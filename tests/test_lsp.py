"""The claim schema in a real editor server: yaml-language-server over LSP, as VS Code uses it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO, run_cli

pytestmark = pytest.mark.slow

SERVER = REPO / "tests" / "lsp" / "node_modules" / ".bin" / "yaml-language-server"
REQUIRED = os.environ.get("CROSSFACT_REQUIRE_LSP") == "1"
if not (SERVER.exists() and shutil.which("node")):
    if REQUIRED:
        raise RuntimeError("CROSSFACT_REQUIRE_LSP=1 but yaml-language-server is not installed")
    pytest.skip("run `npm install --prefix tests/lsp` for the LSP test", allow_module_level=True)
SCHEMA = REPO / "checker" / "schema" / "claims.schema.json"
TIMEOUT = 60.0


class Client:
    """A minimal LSP client over stdio."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while line := self.process.stdout.readline().decode().strip():
            if line.lower().startswith("content-length:"):
                length = int(line.split(":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = self.receive()
            if "method" in message and "id" in message:  # a request from the server
                answer: Any = (
                    [{"validate": True, "completion": True, "hover": True}]
                    * len(message.get("params", {}).get("items", [None]))
                    if message["method"] == "workspace/configuration"
                    else None
                )
                self.send({"id": message["id"], "result": answer})
                continue
            if wanted(message):
                return message
            self.notifications.append(message)
        raise TimeoutError("the language server did not answer")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def client(tmp_path: Path) -> Any:
    lsp = Client()
    lsp.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": tmp_path.as_uri(),
            "capabilities": {
                "textDocument": {
                    "completion": {"completionItem": {"snippetSupport": False}},
                    "publishDiagnostics": {},
                }
            },
        },
    )
    lsp.notify("initialized", {})
    lsp.notify(
        "workspace/didChangeConfiguration",
        {
            "settings": {
                "yaml": {"validate": True, "completion": True, "schemaStore": {"enable": False}}
            }
        },
    )
    yield lsp
    lsp.close()


def open_document(client: Client, tmp_path: Path, text: str) -> str:
    path = tmp_path / "claims" / "draft.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    return uri


def modeline() -> str:
    return f"# yaml-language-server: $schema={SCHEMA.as_uri()}\n"


def test_an_unknown_key_gets_a_diagnostic(client: Client, tmp_path: Path) -> None:
    text = modeline() + "claims:\n  - id: loc\n    question: Where?\n    valeus: {A: [a]}\n"
    uri = open_document(client, tmp_path, text)
    message = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"]
        )
    )
    diagnostics = message["params"]["diagnostics"]
    lines = {d["range"]["start"]["line"] for d in diagnostics}
    assert 4 in lines  # the line of `valeus`
    assert any("valeus" in d["message"] for d in diagnostics)


def test_completion_at_kind_offers_both_kinds(client: Client, tmp_path: Path) -> None:
    text = (
        modeline()
        + "claims:\n  - id: loc\n    question: Where?\n    kind: \n    values: {A: [a]}\n"
    )
    uri = open_document(client, tmp_path, text)
    result = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 10}},
    )
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert {"one-of", "any-of"} <= labels


def test_the_schema_init_writes_works_through_its_relative_modeline(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pip user's project: the schema written into it by crossfact init, not the package's.
    monkeypatch.chdir(tmp_path)
    assert run_cli("init").status == 0
    ledger = tmp_path / "claims" / "claims.yaml"
    text = ledger.read_text("utf-8").replace("    expected: Almaty", "    expeted: Almaty")
    assert text.startswith("# yaml-language-server: $schema=claims.schema.json\n")
    ledger.write_text(text)
    uri = ledger.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    message = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"]
        )
    )
    line = text.splitlines().index(next(x for x in text.splitlines() if "expeted" in x))
    diagnostics = message["params"]["diagnostics"]
    assert line in {d["range"]["start"]["line"] for d in diagnostics}
    assert any("expeted" in d["message"] for d in diagnostics)
