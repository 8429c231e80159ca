"""What API clients depend on, pinned: every path and method with its operation
id, parameters, request body and responses, and every schema's fields with
their types, limits, defaults and whether they are required.

Titles, summaries and descriptions are prose and left out. A change to anything
else fails here: update ``openapi_shape.json`` only for a change clients are
meant to see (run this file with ``PIN_OPENAPI=write`` to rewrite it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

PINNED = Path(__file__).with_name("openapi_shape.json")
PROSE = {"title", "description", "summary"}


def shape(node: Any, *, names: bool = False) -> Any:
    """The document without its prose, keys sorted, and a schema's required
    fields as the set they are. ``names``: the keys of this mapping name fields
    (a schema's ``properties``), so none is prose."""
    if isinstance(node, dict):
        return {
            key: sorted(value)
            if key == "required" and not names and isinstance(value, list)
            else shape(value, names=key == "properties" and not names)
            for key, value in sorted(node.items())
            if names or key not in PROSE
        }
    if isinstance(node, list):
        return [shape(item) for item in node]
    return node


def client_view(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "paths": shape(document["paths"]),
        "schemas": shape(document["components"]["schemas"]),
        "security": shape(document["components"]["securitySchemes"]),
    }


def test_the_openapi_document_is_what_clients_were_given(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    current = client_view(response.json())
    if os.environ.get("PIN_OPENAPI") == "write":
        PINNED.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    pinned = json.loads(PINNED.read_text())
    assert sorted(current["paths"]) == sorted(pinned["paths"])
    assert sorted(current["schemas"]) == sorted(pinned["schemas"])
    for path, operations in pinned["paths"].items():
        assert current["paths"][path] == operations, path
    for name, schema in pinned["schemas"].items():
        assert current["schemas"][name] == schema, name
    assert current["security"] == pinned["security"]
