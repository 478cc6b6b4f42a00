"""The cache's records: analyses, digests, ledger snapshots, as plain JSON, never pickle.

JSON carries data only, so a record that a hostile checkout planted can be wrong but never run
code; every field is type-checked as it is read, and anything else is a ValueError (a miss).
"""

from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from checker.base.claims import (
    AnyOfClaim,
    Ledger,
    LocatedClaim,
    OneOfClaim,
    Severity,
    ValueSpec,
)
from checker.base.quantities import ValueType
from checker.findings.results import (
    MADE_FIELDS,
    ArticleReport,
    BoilerplateLine,
    Cell,
    ClaimReport,
    ClaimStatus,
    Evidence,
    Finding,
    Location,
    SentenceReport,
    VerdictStatus,
)
from checker.findings.rules import FindingKind
from checker.judgement.analysis import (
    ArticleAnalysis,
    ArticleDigest,
    Hit,
    SentenceRecord,
    Unspoken,
)
from checker.judgement.judge import REPORT_FIELDS, ClaimJudgement
from checker.judgement.reduction import ArticleSentences, Outline

ANALYSIS_FORMAT = 9  # bump when the record layout changes


def analysis_to_json(analysis: ArticleAnalysis) -> bytes:
    """Serialise an analysis as plain JSON data (no code can ride along, unlike a pickle)."""
    record = [
        ANALYSIS_FORMAT,
        analysis.id,
        analysis.path,
        analysis.title,
        analysis.metadata,
        [
            [
                s.index,
                s.line,
                s.column,
                s.text,
                s.is_title,
                s.role,
                list(s.words),
                s.shared,
                s.named,
            ]
            for s in analysis.sentences
        ],
        [[b.line, b.text, b.reason] for b in analysis.boilerplate],
        [[h.claim, *h.evidence] for h in analysis.hits],
        sorted(analysis.vocabulary),
        [list(place) for place in analysis.hidden],
        [[h.claim, *h.evidence] for h in analysis.discounted],
    ]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def analysis_from_json(data: bytes) -> ArticleAnalysis:
    """Rebuild an analysis from `analysis_to_json` output; raise ValueError on anything else."""
    try:
        (
            version,
            id_,
            path,
            title,
            metadata,
            sentences,
            boilerplate,
            hits,
            words,
            hidden,
            discounted,
        ) = json.loads(data)
        if version != ANALYSIS_FORMAT:
            raise ValueError(f"analysis format {version!r}")
        return ArticleAnalysis(
            id=str(id_),
            path=str(path),
            title=str(title),
            metadata={str(k): str(v) for k, v in dict(metadata).items()},
            sentences=tuple(
                SentenceRecord(
                    int(index),
                    int(line),
                    int(column),
                    str(text),
                    bool(is_title),
                    str(role),
                    tuple(map(str, content)),
                    float(shared),
                    bool(named),
                )
                for index, line, column, text, is_title, role, content, shared, named in sentences
            ),
            boilerplate=tuple(
                BoilerplateLine(line=line, text=text, reason=reason)
                for line, text, reason in boilerplate
            ),
            hits=_hits_from_json(hits),
            vocabulary=frozenset(map(str, words)),
            hidden=_hidden_from_json(hidden),
            discounted=_hits_from_json(discounted),
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:  # pydantic's is a ValueError
        raise ValueError(f"not an analysis record: {exc}") from None


def _hidden_from_json(hidden: list[list[object]]) -> tuple[tuple[int, int, str], ...]:
    return tuple((int(line), int(column), str(word)) for line, column, word in hidden)  # type: ignore[call-overload]


_MENTION_TYPES = (str, str, str, str, int, int, int, int, bool, bool, str, str, bool, bool)


def _hits_from_json(records: list[list[object]]) -> tuple[Hit, ...]:
    """Rebuild hits, sharing one string per distinct text as the analysis that wrote them did.

    JSON has no references: read back, every mention would carry its own copy of its sentence,
    and an archive's warm run would hold each sentence once per mention.
    """
    shared: dict[str, str] = {}
    hits = []
    for record in records:
        claim, fields = _hit_fields(record)
        hits.append(Hit(sys.intern(claim), _shared_evidence(fields, shared)))
    return tuple(hits)


def _hit_fields(record: list[object]) -> tuple[str, list[Any]]:
    """Return a hit's claim and mention fields, refusing any field of the wrong type."""
    claim, *fields = record
    if not isinstance(claim, str) or len(fields) != len(_MENTION_TYPES):
        raise ValueError("not a mention record")
    for field_value, kind in zip(fields, _MENTION_TYPES, strict=True):
        # bool is an int subclass: an int field must not take true/false, nor a bool field 1.
        if type(field_value) is not kind:
            raise ValueError(f"mention field {field_value!r} is not {kind.__name__}")
    return claim, fields


def _shared_evidence(fields: list[Any], shared: dict[str, str]) -> Evidence:
    """Build a mention from its fields in order: value, alias, role and rule interned, the
    matched text and the sentence one copy each across `shared`."""
    fields[0] = sys.intern(fields[0])
    fields[1] = sys.intern(fields[1])
    fields[2] = shared.setdefault(fields[2], fields[2])
    fields[3] = shared.setdefault(fields[3], fields[3])
    fields[10] = sys.intern(fields[10])
    fields[11] = sys.intern(fields[11])
    return Evidence(*fields)


DIGEST_FORMAT = 6  # bump when the digest record layout changes


def digest_to_json(digest: ArticleDigest) -> bytes:
    """Serialise a digest as plain JSON data, like `analysis_to_json`."""
    record = [
        DIGEST_FORMAT,
        digest.id,
        digest.path,
        digest.title,
        digest.metadata,
        digest.sentence_count,
        digest.supported,
        digest.other_unspoken,
        [
            [
                s.index,
                s.line,
                s.column,
                s.text,
                s.role,
                list(s.words),
            ]
            for s in digest.unspoken
        ],
        [list(place) for place in digest.hidden],
        [[h.claim, *h.evidence] for h in digest.hits],
        sorted(digest.vocabulary),
        digest.unlisted,
        [list(entry) for entry in digest.discounted],
    ]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest_from_json(data: bytes) -> ArticleDigest:
    """Rebuild a digest from `digest_to_json` output; raise ValueError on anything else."""
    try:
        (
            version,
            id_,
            path,
            title,
            metadata,
            sentence_count,
            supported,
            other,
            unspoken,
            hidden,
            hits,
            words,
            unlisted,
            discounted,
        ) = json.loads(data)
        if version != DIGEST_FORMAT:
            raise ValueError(f"digest format {version!r}")
        return ArticleDigest(
            id=str(id_),
            path=str(path),
            title=str(title),
            metadata={str(k): str(v) for k, v in dict(metadata).items()},
            sentence_count=int(sentence_count),
            supported=int(supported),
            other_unspoken=int(other),
            unspoken=tuple(
                Unspoken(
                    int(index),
                    int(line),
                    int(column),
                    str(text),
                    str(role),
                    tuple(map(str, found)),
                )
                for index, line, column, text, role, found in unspoken
            ),
            hidden=_hidden_from_json(hidden),
            hits=_hits_from_json(hits),
            vocabulary=frozenset(map(str, words)),
            unlisted=int(unlisted),
            discounted=_discounted_from_json(discounted),
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a digest record: {exc}") from None


def _discounted_from_json(records: list[list[object]]) -> tuple[tuple[str, str, int], ...]:
    """Rebuild a digest's discounted-mention counts: (claim, rule code, count) triples."""
    found = []
    for claim, rule, count in records:
        if not (isinstance(claim, str) and isinstance(rule, str) and type(count) is int):
            raise ValueError("not a discounted-mention count")
        found.append((sys.intern(claim), sys.intern(rule), count))
    return tuple(found)


LEDGER_FORMAT = 1  # bump when the ledger snapshot's layout changes
try:  # the same objects as json.loads, faster on a large ledger's snapshot
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is a dependency
    _loads = json.loads


def ledger_to_json(ledger: Ledger) -> bytes:
    """Serialise a ledger that loaded cleanly: its models' set fields, as plain JSON."""
    record = [LEDGER_FORMAT, ledger.model_dump(mode="json", exclude_unset=True)]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ledger_from_json(data: bytes) -> Ledger:
    """Rebuild a ledger from `ledger_to_json` output; raise ValueError on anything else.

    The models are built without validating again (`model_construct`): the snapshot holds what
    validation produced, and is read only from an authenticated cache row. Each model gets the
    fields that were set, so defaults, the fields-set and every enum come back as they were;
    `tests/test_ledger_snapshot.py` compares every value's type, not only equality.
    """
    try:
        version, found = _loads(data)
        if version != LEDGER_FORMAT or not isinstance(found, dict):
            raise ValueError("not a ledger snapshot of this format")
        claims = tuple(_located_from_json(entry) for entry in found["claims"])
        content_hash = found["content_hash"]
        if not isinstance(content_hash, str):
            raise ValueError("content hash")
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"malformed ledger snapshot: {exc}") from None
    return Ledger.model_construct(claims=claims, content_hash=content_hash)


def _located_from_json(entry: dict[str, Any]) -> LocatedClaim:
    fields = dict(entry)
    fields["claim"] = _claim_from_json(fields["claim"])
    if "marks" in fields:
        fields["marks"] = {str(part): (int(a), int(b)) for part, (a, b) in fields["marks"].items()}
    for name in ("path", "line", "column"):
        if not isinstance(fields[name], str if name == "path" else int):
            raise ValueError(f"located claim {name}")
    return _construct(LocatedClaim, fields)


def _claim_from_json(entry: dict[str, Any]) -> OneOfClaim | AnyOfClaim:
    fields = dict(entry)
    model = AnyOfClaim if fields.get("kind") == "any-of" else OneOfClaim
    unknown = set(fields) - set(model.model_fields)
    if unknown or not isinstance(fields["id"], str):
        raise ValueError(f"claim fields {sorted(unknown)}")
    fields["values"] = {
        str(name): _construct(ValueSpec, spec) for name, spec in fields["values"].items()
    }
    if "type" in fields:
        fields["type"] = ValueType(fields["type"])
    if fields.get("severity") is not None:
        fields["severity"] = Severity(fields["severity"])
    return _construct(model, fields)


_M = TypeVar("_M", bound=BaseModel)


def _construct(model: type[_M], fields: dict[str, Any]) -> _M:
    """Build a model from the fields that were set, the others at their defaults.

    The defaults are filled in here: `model_construct` would otherwise inspect each default
    factory's signature, for every model, which costs more than validating.
    """
    plain, factories = _defaults(model)
    values = {**plain, **fields}
    for name, factory in factories:
        if name not in fields:
            values[name] = factory()
    return model.model_construct(_fields_set=set(fields), **values)


@functools.cache
def _defaults(model: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    """Return a model's plain defaults by field, and its fields with a default factory."""
    fields = model.model_fields.items()
    plain = {n: i.default for n, i in fields if i.default_factory is None and not i.is_required()}
    factories = tuple((n, i.default_factory) for n, i in fields if i.default_factory is not None)
    return plain, factories


OUTLINE_FORMAT = 1  # bump when the outline record layout changes


def outline_to_json(outline: Outline) -> bytes:
    """Serialise an article's outline as plain JSON data."""
    return json.dumps([OUTLINE_FORMAT, *outline], ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def outline_from_json(data: bytes) -> Outline:
    """Rebuild an outline from `outline_to_json` output; raise ValueError on anything else."""
    try:
        version, key, id_, path, date, count, speaks, touches, rare, asks = _loads(data)
        if version != OUTLINE_FORMAT:
            raise ValueError(f"outline format {version!r}")
        if not all(isinstance(text, str) for text in (key, id_, path, date)):
            raise ValueError("an outline's names are not text")
        if type(count) is not int:
            raise ValueError("an outline's sentence count is not a number")
        return Outline(
            key,
            id_,
            path,
            date,
            count,
            _words(speaks, intern=True),
            _words(touches, intern=True),
            _words(rare),
            _words(asks),
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"not an outline record: {exc}") from None


def _words(items: object, *, intern: bool = False) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("not a list of words")
    return tuple(map(sys.intern, items)) if intern else tuple(items)


JUDGEMENT_FORMAT = 1  # bump when a memoised judgement's layout changes
_ARTICLE_FIELDS = frozenset(ArticleReport.model_fields)

try:
    from orjson import dumps as _dumps
except ImportError:  # pragma: no cover - orjson is a dependency

    def _dumps(record: object) -> bytes:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# Memoised judgements are rebuilt like the ledger snapshot: without validation, for the row is
# authenticated and was written from objects the engine made. A row that does not fit (a layout
# change without a format bump) is a ValueError, so a miss, never a crash.


def judgement_to_json(judgement: ClaimJudgement) -> bytes:
    """Serialise a claim's judgement for the memo: its report, findings and every cell's verdict."""
    report = judgement.report
    record = [
        JUDGEMENT_FORMAT,
        report.model_dump(mode="json", exclude={"cells"}),
        [_cell_record(cell) for cell in report.cells],
        [finding.model_dump(mode="json") for finding in judgement.findings],
        judgement.contradicting,
        # Of each cell, what the pair table reads (article, verdict, asserted, denied); none
        # when the report lists every cell (a claim with findings).
        None
        if report.cells
        else [[c.article, c.verdict.value, c.asserted, c.denied] for c in judgement.cells],
    ]
    return _dumps(record)


def _cell_record(cell: Cell) -> list[object]:
    return [
        cell.article,
        cell.path,
        cell.verdict.value,
        cell.asserted,
        cell.denied,
        [list(evidence) for evidence in cell.evidence],
    ]


def _trusted(model: type[_M], fields_set: set[str]) -> Callable[[dict[str, Any]], _M]:
    """Return a builder of a model from its complete fields, in order, without validation.

    What `model_construct` does, without its per-field walk for aliases and defaults (the
    record holds every field, from `model_dump`): a hundred thousand findings and places are
    read back on a warm archive run. Models that need more fall back to `model_construct`.
    """
    plain = (
        not model.__pydantic_root_model__
        and not model.__pydantic_post_init__
        and model.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in model.model_fields.values())
    )
    if not plain:  # pragma: no cover - every memoised model is plain
        return lambda values: model.model_construct(_fields_set=set(fields_set), **values)
    setattr_ = object.__setattr__
    new = model.__new__

    def build(values: dict[str, Any]) -> _M:
        made = new(model)
        setattr_(made, "__dict__", values)
        setattr_(made, "__pydantic_fields_set__", fields_set)
        setattr_(made, "__pydantic_extra__", None)
        setattr_(made, "__pydantic_private__", None)
        return made

    return build


_LOCATION = _trusted(Location, set(Location.model_fields))
_FINDING = _trusted(Finding, MADE_FIELDS)  # the fields-set the engine's findings share
_VERDICTS = {status.value: status for status in VerdictStatus}
_KINDS = {kind.value: kind for kind in FindingKind}
_SEVERITIES = {level.value: level for level in Severity}
_STATUSES = {status.value: status for status in ClaimStatus}
_intern = sys.intern


def judgement_from_json(data: bytes, shared: dict[str, str] | None = None) -> ClaimJudgement:
    """Rebuild a memoised judgement; raise ValueError on anything else.

    `shared` holds one copy of each sentence across the records a run reads, as the digests
    they were judged from did: read back, every mention would otherwise carry its own.
    """
    shared = {} if shared is None else shared
    try:
        version, fields, cells, findings, contradicting, verdicts = _loads(data)
        if version != JUDGEMENT_FORMAT or list(fields) != _REPORT_ORDER:
            raise ValueError(f"judgement format {version!r}")
        fields["status"] = _STATUSES[fields["status"]]
        fields["severity"] = _SEVERITIES[fields["severity"]]
        listed = [_cell(record, shared) for record in cells]
        report = ClaimReport.model_construct(_fields_set=REPORT_FIELDS, cells=listed, **fields)
        every_cell = (
            listed
            if verdicts is None
            else [
                Cell(_intern(article), "", _VERDICTS[verdict], tuple(asserted), tuple(denied), [])
                for article, verdict, asserted, denied in verdicts
            ]
        )
        return ClaimJudgement(
            report,
            [_finding(finding) for finding in findings],
            [(str(article), int(index)) for article, index in contradicting],
            every_cell,
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a judgement record: {exc}") from None


_REPORT_ORDER = [name for name in ClaimReport.model_fields if name != "cells"]


def _cell(record: list[Any], shared: dict[str, str]) -> Cell:
    article, path, verdict, asserted, denied, evidence = record
    mentions = [_shared_evidence(fields, shared) for fields in evidence]
    return Cell(
        _intern(article),
        _intern(path),
        _VERDICTS[verdict],
        tuple(asserted),
        tuple(denied),
        mentions,
    )


def _finding(fields: dict[str, Any]) -> Finding:
    if list(fields) != _FINDING_ORDER:
        raise ValueError("not a finding record")
    fields["kind"] = _KINDS[fields["kind"]]
    fields["severity"] = _SEVERITIES[fields["severity"]]
    # Names repeat across a run's findings: one copy each, as the engine's findings share them.
    for name in ("code", "path", "claim", "article"):
        if fields[name] is not None:
            fields[name] = _intern(fields[name])
    related = []
    for place in fields["related"]:
        place["path"] = _intern(place["path"])
        related.append(_LOCATION(place))
    fields["related"] = tuple(related)
    return _FINDING(fields)


_FINDING_ORDER = list(Finding.model_fields)


def sentences_to_json(sentences: ArticleSentences) -> bytes:
    """Serialise an article's sentence report and findings for the memo."""
    report, findings, left_out = sentences
    record = [
        JUDGEMENT_FORMAT,
        report.model_dump(mode="json"),
        [finding.model_dump(mode="json") for finding in findings],
        {kind.value: count for kind, count in left_out.items()},
    ]
    return _dumps(record)


def sentences_from_json(data: bytes) -> ArticleSentences:
    """Rebuild memoised sentence findings; raise ValueError on anything else."""
    try:
        version, fields, findings, left_out = _loads(data)
        if version != JUDGEMENT_FORMAT or set(fields) != _ARTICLE_FIELDS:
            raise ValueError(f"sentences format {version!r}")
        # Unlisted articles carry no sentences nor boilerplate lines; any would be validated.
        fields["sentences"] = [SentenceReport.model_validate(s) for s in fields["sentences"]]
        fields["boilerplate"] = [BoilerplateLine.model_validate(b) for b in fields["boilerplate"]]
        report = ArticleReport.model_construct(_fields_set=set(_ARTICLE_FIELDS), **fields)
        counts = Counter({FindingKind(kind): int(count) for kind, count in left_out.items()})
        return report, [_finding(finding) for finding in findings], counts
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a sentences record: {exc}") from None
