"""The cache's records: analyses and digests as plain JSON, never pickle, checked on the way in.

JSON carries data only, so a record that a hostile checkout planted can be wrong but never run
code; every field is type-checked as it is read, and anything else is a ValueError (a miss).
"""

from __future__ import annotations

import json
import sys

from checker.findings.results import BoilerplateLine, Evidence
from checker.judgement.analysis import (
    ArticleAnalysis,
    ArticleDigest,
    Hit,
    SentenceRecord,
    Unspoken,
)

ANALYSIS_FORMAT = 8  # bump when the record layout changes


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
        sorted(analysis.lowercase),
        [list(place) for place in analysis.hidden],
        sorted(analysis.names),
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
            lower,
            hidden,
            names,
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
            lowercase=frozenset(map(str, lower)),
            hidden=_hidden_from_json(hidden),
            names=frozenset(map(str, names)),
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
        hit = _hit_from_json(record)
        evidence = hit.evidence
        hits.append(
            Hit(
                sys.intern(hit.claim),
                evidence._replace(
                    value=sys.intern(evidence.value),
                    alias=sys.intern(evidence.alias),
                    text=shared.setdefault(evidence.text, evidence.text),
                    sentence=shared.setdefault(evidence.sentence, evidence.sentence),
                ),
            )
        )
    return tuple(hits)


def _hit_from_json(record: list[object]) -> Hit:
    """Rebuild a hit from its JSON list, refusing any field of the wrong type."""
    claim, *fields = record
    if not isinstance(claim, str) or len(fields) != len(_MENTION_TYPES):
        raise ValueError("not a mention record")
    for field_value, kind in zip(fields, _MENTION_TYPES, strict=True):
        # bool is an int subclass: an int field must not take true/false, nor a bool field 1.
        if type(field_value) is not kind:
            raise ValueError(f"mention field {field_value!r} is not {kind.__name__}")
    return Hit(claim, Evidence(*fields))  # type: ignore[arg-type]


DIGEST_FORMAT = 5  # bump when the digest record layout changes


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
        sorted(digest.lowercase),
        sorted(digest.names),
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
            lower,
            names,
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
            lowercase=frozenset(map(str, lower)),
            names=frozenset(map(str, names)),
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
