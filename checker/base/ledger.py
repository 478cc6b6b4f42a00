"""Load the claim ledger from YAML, strictly, with every error located at path:line:column."""

from __future__ import annotations

import difflib
import hashlib
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.base.claims import (
    CLAIM_ID_PATTERN,
    CLAIM_KINDS,
    AnyOfClaim,
    ClaimFile,
    Ledger,
    LocatedClaim,
    OneOfClaim,
)
from checker.base.errors import ClaimFileError, ErrorLocation
from checker.base.files import walk_files

Loc = tuple[str | int, ...]
KeysFor = Callable[[Loc], list[str]]
M = TypeVar("M", bound=BaseModel)
# Expanded node count above which a file is refused: bounds alias bombs in time and memory.
MAX_EXPANDED_NODES = 2_000_000
# Larger ledgers are split across files; this bounds one file's parse time to seconds.
MAX_CLAIM_FILE_BYTES = 10 * 1024 * 1024
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "timestamp", "seq", "map")
}
_NULL_TAG = "tag:yaml.org,2002:null"
CLAIM_FIELDS = sorted(set(OneOfClaim.model_fields) | set(AnyOfClaim.model_fields))
FILE_FIELDS = sorted(ClaimFile.model_fields)


class _Positions:
    """Marks of every value (and key) in a YAML document, by path."""

    def __init__(self) -> None:
        self.value_marks: dict[Loc, tuple[int, int]] = {}
        self.key_marks: dict[Loc, tuple[int, int]] = {}

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Return the line and column of the deepest known prefix of a pydantic location."""
        known: Loc = ()
        for part in loc:
            candidate = (*known, part)
            if candidate in self.value_marks:
                known = candidate
        if key and known in self.key_marks:
            return self.key_marks[known]
        return self.value_marks.get(known, (1, 1))


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turn composed YAML nodes into plain data, refusing what a ledger must not contain."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.positions = _Positions()
        self.problems: list[ErrorLocation] = []

    def problem(self, node: Node, message: str) -> None:
        line, column = _mark(node)
        self.problems.append(ErrorLocation(self.path, line, column, message))

    def build(self, node: Node, loc: Loc) -> Any:
        self.positions.value_marks[loc] = _mark(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem(node, f"unsupported YAML tag {node.tag!r}; only plain data is allowed")
            self._split_figures(node)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        self.problem(node, "unsupported YAML node")
        return None

    def _split_figures(self, node: SequenceNode) -> None:
        """Refuse `[1,000]`: in a flow list the comma splits a figure into '1' and '000'."""
        items = node.value
        for first, second in itertools.pairwise(items):
            if not (isinstance(first, ScalarNode) and isinstance(second, ScalarNode)):
                continue
            if first.style or second.style:
                continue  # quoted: written as meant
            glued = first.end_mark.index + 1 == second.start_mark.index
            if glued and first.value.isdigit() and len(second.value) >= 3:
                group = second.value[:3]
                if group.isdigit() and len(first.value) <= 3:
                    figure = f"{first.value},{second.value}"
                    self.problem(
                        first,
                        f"{figure!r} in a flow list reads as two items, {first.value!r} and "
                        f'{second.value!r}; quote it: "{figure}"',
                    )

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _NULL_TAG:
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, f"unsupported YAML tag {node.tag!r}; only plain data is allowed")
            return None
        # Every ledger field is text, so keep the source spelling ("2025", "yes", "1.0").
        return node.value

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self.problem(node, f"unsupported YAML tag {node.tag!r}; only plain data is allowed")
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "keys must be plain text (merge keys are not supported)")
                continue
            key = key_node.value
            if key in first_seen:
                line, column = _mark(first_seen[key])
                self.problem(key_node, f"duplicate key {key!r} (first defined at {line}:{column})")
                continue
            first_seen[key] = key_node
            self.positions.key_marks[(*loc, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _expanded_size(root: Node) -> int:
    """Count nodes as if every alias were expanded, without expanding them."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                return sizes[id(node)]
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value!r}"


def _unknown_kind(kind: str) -> str:
    hint = _did_you_mean(kind, CLAIM_KINDS)
    return f"unknown kind {kind!r}; expected one of {', '.join(CLAIM_KINDS)}{hint}"


def _message(error: ErrorDetails, loc: Loc, fields: list[str]) -> str:
    kind = error["type"]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "file")
    got = _describe(error.get("input"))
    named = loc[loc.index("values") + 1] if "values" in loc[:-1] else field
    messages = {
        "empty_aliases": lambda: f"value {named!r} has no aliases",
        "extra_forbidden": lambda: f"unknown key {field!r}{_did_you_mean(field, fields)}",
        "missing": lambda: f"missing required key {field!r}",
        "union_tag_invalid": lambda: _unknown_kind(str(error.get("ctx", {}).get("tag"))),
        "string_pattern_mismatch": lambda: (
            f"{field} {got} must match {CLAIM_ID_PATTERN.strip('^$')}"
        ),
        "string_too_short": lambda: (
            f"alias of value {named!r} must not be empty"
            if "values" in loc[:-1]
            else f"{field} must not be empty"
        ),
        "string_type": lambda: f"{field} must be text, not {got}",
        "list_type": lambda: f"{field} must be a list, not {got}",
        "dict_type": lambda: f"{field} must be a mapping, not {got}",
        "model_type": lambda: f"{field} must be a mapping, not {got}",
        "model_attributes_type": lambda: f"{field} must be a mapping, not {got}",
        "too_short": lambda: (
            f"value {named!r} has no aliases"
            if "values" in loc[:-1]
            else f"{field} must not be empty"
        ),
        "enum": lambda: f"{field} must be one of {error.get('ctx', {}).get('expected')}, not {got}",
    }
    build = messages.get(kind)
    if build is not None:
        return build()
    text = error["msg"]
    return text.removeprefix("Value error, ")


def _problems_from(
    error: ValidationError, path: str, positions: _Positions, keys_for: KeysFor
) -> list[ErrorLocation]:
    problems = []
    for detail in error.errors(include_url=False):
        loc: Loc = tuple(detail["loc"])
        ctx = detail.get("ctx") or {}
        if detail["type"] == "union_tag_invalid":
            loc = (*loc, "kind")
        if isinstance(ctx.get("at"), list | tuple):
            loc = (*loc, *ctx["at"])
        key = detail["type"] == "extra_forbidden"
        line, column = positions.locate(loc, key=key)
        problems.append(ErrorLocation(path, line, column, _message(detail, loc, keys_for(loc))))
    return problems


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_hint(error: yaml.MarkedYAMLError, line: int) -> str | None:
    """Return what a PyYAML syntax error usually means, in words a ledger's author can act on."""
    problem, context = error.problem or "", error.context or ""
    opened = error.context_mark.line + 1 if error.context_mark else line
    if "'\\t'" in problem:
        return "YAML indents with spaces only: replace the tab"
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return f"check the indentation of line {line}: it must line up with the keys above it"
    if "mapping values are not allowed" in problem:
        return (
            f"check the indentation of line {line}, or quote a value that holds ': ' "
            "(question: 'Where: here')"
        )
    if "flow sequence" in context or "flow mapping" in context:
        return f"close the bracket opened at line {opened}"
    if "quoted scalar" in context:
        return f"close the quote opened at line {opened}"
    return None


def _compose(text: str, path: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        pass  # parse again below: the pure-Python loader words its errors the same everywhere
    except RecursionError:
        raise ClaimFileError([ErrorLocation(path, 1, 1, "YAML nesting is too deep")]) from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        hint = yaml_hint(exc, line)
        message = f"YAML syntax error: {detail}" + (f"; {hint}" if hint else "")
        raise ClaimFileError([ErrorLocation(path, line, column, message)]) from None
    except yaml.YAMLError as exc:
        raise ClaimFileError([ErrorLocation(path, 1, 1, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise ClaimFileError([ErrorLocation(path, 1, 1, "YAML nesting is too deep")]) from None


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        message = f"not valid UTF-8 (byte offset {exc.start})"
        raise ClaimFileError([ErrorLocation(path, line, column, message)]) from None


def load_located(
    data: bytes, path: str, model: type[M], expected: str, keys_for: KeysFor
) -> tuple[M, _Positions]:
    """Parse strict YAML into a model, with every problem located at path:line:column."""
    if len(data) > MAX_CLAIM_FILE_BYTES:
        limit = MAX_CLAIM_FILE_BYTES // (1024 * 1024)
        message = f"file is larger than {limit} MB; split it into several files"
        raise ClaimFileError([ErrorLocation(path, 1, 1, message)])
    text = _decode(data, path)
    built = _build_guarded(text, path)
    if built is None:
        raise ClaimFileError([ErrorLocation(path, 1, 1, f"file is empty; expected {expected}")])
    root, document, builder = built
    if not isinstance(document, dict):
        message = f"expected a mapping with {expected}, not {_describe(document)}"
        raise ClaimFileError([ErrorLocation(path, *_mark(root), message)])
    try:
        parsed = model.model_validate(document)
    except ValidationError as exc:
        # Builder problems explain their own fallout; keep one message per position.
        seen = {(p.line, p.column) for p in builder.problems}
        later = [
            p
            for p in _problems_from(exc, path, builder.positions, keys_for)
            if (p.line, p.column) not in seen
        ]
        raise ClaimFileError([*builder.problems, *later]) from None
    if builder.problems:
        raise ClaimFileError(builder.problems)
    return parsed, builder.positions


def load_plain(text: str, path: str) -> Any:
    """Parse a small YAML document into plain data with the ledger's guards.

    Only plain data, no alias bombs, bounded nesting, no duplicate keys; scalars stay the
    text written. Raise ClaimFileError with every problem located.
    """
    built = _build_guarded(text, path)
    if built is None:
        return None
    _, document, builder = built
    if builder.problems:
        raise ClaimFileError(builder.problems)
    return document


def _build_guarded(text: str, path: str) -> tuple[Node, Any, _Builder] | None:
    """Compose and build YAML into plain data, refusing alias bombs and deep nesting."""
    root = _compose(text, path)
    if root is None:
        return None
    # Only anchors can make a node count twice; without an '&' the tree is its own size.
    if "&" in text and _expanded_size(root) > MAX_EXPANDED_NODES:
        message = f"YAML expands to more than {MAX_EXPANDED_NODES} nodes (alias bomb?)"
        raise ClaimFileError([ErrorLocation(path, *_mark(root), message)])
    builder = _Builder(path)
    try:
        document = builder.build(root, ())
    except RecursionError:
        raise ClaimFileError([ErrorLocation(path, 1, 1, "YAML nesting is too deep")]) from None
    return root, document, builder


def _claim_keys(loc: Loc) -> list[str]:
    in_claim = "claims" in loc and len([p for p in loc if p != "claims"]) > 1
    return CLAIM_FIELDS if in_claim else FILE_FIELDS


def parse_claim_file(data: bytes, path: str) -> list[LocatedClaim]:
    """Parse one claim file's bytes into located claims, or raise ClaimFileError."""
    parsed, positions = load_located(data, path, ClaimFile, "a 'claims:' list", _claim_keys)
    marks = positions.value_marks
    parts: dict[int, dict[str, tuple[int, int]]] = {i: {} for i in range(len(parsed.claims))}
    for loc, mark in marks.items():
        if len(loc) > 2 and loc[0] == "claims" and isinstance(loc[1], int):
            parts[loc[1]]["/".join(str(p) for p in loc[2:])] = mark
    return [
        LocatedClaim(
            claim=claim,
            path=path,
            line=marks[("claims", i)][0],
            column=marks[("claims", i)][1],
            topic=parsed.topic,
            marks=parts[i],
        )
        for i, claim in enumerate(parsed.claims)
    ]


def find_claim_files(claims_dir: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """List the ledger's YAML files in a stable order, leaving out e.g. the waiver file."""
    skip = {p.absolute() for p in exclude}
    found = walk_files(claims_dir, (".yaml", ".yml"))
    return [p for p in found if p.is_file() and p.absolute() not in skip]


def load_ledger(
    files: list[tuple[str, bytes]],
    parse: Callable[[bytes, str], list[LocatedClaim]] = parse_claim_file,
) -> Ledger:
    """Load every claim file, report every problem at once, and reject duplicated claim ids.

    `parse` reads one file (`parse_claim_file`, or a cache of its results: one file's claims
    depend on its bytes and name alone).
    """
    problems: list[ErrorLocation] = []
    claims: list[LocatedClaim] = []
    for path, data in sorted(files):
        try:
            claims.extend(parse(data, path))
        except ClaimFileError as exc:
            problems.extend(exc.problems)
    first: dict[str, LocatedClaim] = {}
    for located in claims:
        earlier = first.setdefault(located.claim.id, located)
        if earlier is not located:
            where = f"{earlier.path}:{earlier.line}:{earlier.column}"
            message = f"duplicate claim id {located.claim.id!r} (first defined at {where})"
            problems.append(ErrorLocation(located.path, located.line, located.column, message))
    if problems:
        raise ClaimFileError(problems)
    digest = hashlib.sha256()
    for path, data in sorted(files):
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    ordered = tuple(sorted(claims, key=lambda c: c.claim.id))
    return Ledger(claims=ordered, content_hash=digest.hexdigest())
