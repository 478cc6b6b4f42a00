"""JSON Schemas of claim files and of the JSON report, generated from the models and shipped."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from checker.base.claims import ClaimFile
from checker.findings.results import SCHEMA_VERSION, Report

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:crossfact:schema:claims:1"
SHIPPED = "claims.schema.json"
REPORT_SCHEMA_ID = f"urn:crossfact:schema:report:{SCHEMA_VERSION}"
SHIPPED_REPORT = "report.schema.json"


def claim_schema() -> dict[str, Any]:
    """Return the JSON Schema of a claim file; `$schema` and `$id` sit at the root only."""
    generated = ClaimFile.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **generated}


def schema_text() -> str:
    """Return the schema as the text that ships in the package."""
    return json.dumps(claim_schema(), indent=2, ensure_ascii=False) + "\n"


def report_schema_text() -> str:
    """Return the JSON report's schema, as the text that ships in the package."""
    generated = Report.model_json_schema(mode="serialization")
    document = {"$schema": SCHEMA_DIALECT, "$id": REPORT_SCHEMA_ID, **generated}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def shipped_schema_text(name: str = SHIPPED) -> str:
    """Return a schema file that ships in the package."""
    return resources.files("checker.schema").joinpath(name).read_text("utf-8")
