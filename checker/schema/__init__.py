"""The claim files' JSON Schema, generated from the pydantic models and shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from checker.claims import ClaimFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:crossfact:schema:claims:1"
SHIPPED = "claims.schema.json"


def claim_schema() -> dict[str, Any]:
    """Return the JSON Schema of a claim file; `$schema` and `$id` sit at the root only."""
    generated = ClaimFile.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **generated}


def schema_text() -> str:
    """Return the schema as the text that ships in the package."""
    return json.dumps(claim_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_text() -> str:
    """Return the schema file that ships in the package."""
    return resources.files("checker.schema").joinpath(SHIPPED).read_text("utf-8")
