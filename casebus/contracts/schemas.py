"""The JSON Schema of an event's public data, and the deterministic rendering of contract files.

The public data of an event is what ``DomainEvent.public_data()`` publishes: the model dumped in
JSON mode without its ``personal_fields``. Its schema is therefore the model's *serialization*
schema (decimals are strings on the wire, for example) with the personal fields removed from
``properties`` and ``required``, and with the ``$defs`` only they used pruned away.
"""

from __future__ import annotations

import json
from typing import Any

from casebus.domain.events import DomainEvent
from casebus.envelope import schema_uri

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS_DIR = "schemas"

JsonSchema = dict[str, Any]


def schema_file_name(wire_type: str) -> str:
    return f"{wire_type}.json"


def public_schema(event: type[DomainEvent]) -> JsonSchema:
    """The JSON Schema of ``event.public_data()``, identified by the CloudEvent's dataschema."""
    wire_type = event.wire_type()
    schema = event.model_json_schema(mode="serialization")
    properties: dict[str, Any] = schema.get("properties", {})
    for name in event.personal_fields:
        if name not in properties:
            raise ValueError(f"{wire_type}: personal field {name!r} is not a field of "
                             f"{event.__qualname__}")
        del properties[name]
    if "required" in schema:
        schema["required"] = [n for n in schema["required"] if n not in event.personal_fields]
    _prune_defs(schema)
    _open(schema)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = schema_uri(wire_type)
    schema["title"] = wire_type
    schema["x-event-class"] = event.__qualname__
    return schema


def _open(node: Any) -> None:
    """Published schemas allow unknown fields: adding an optional field must not break a
    subscriber that validates strictly (the models themselves stay strict inside a service)."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        for value in node.values():
            _open(value)
    elif isinstance(node, list):
        for value in node:
            _open(value)


def _refs(node: Any) -> set[str]:
    """The names of the ``#/$defs/<name>`` that ``node`` refers to directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                found.add(value.removeprefix("#/$defs/"))
            elif key != "$defs":
                found |= _refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= _refs(item)
    return found


def _prune_defs(schema: JsonSchema) -> None:
    """Drop the ``$defs`` no longer reachable from the schema (e.g. a personal field's model)."""
    defs: dict[str, Any] = schema.get("$defs", {})
    reachable: set[str] = set()
    todo = _refs(schema)
    while todo:
        name = todo.pop()
        if name in reachable or name not in defs:
            continue
        reachable.add(name)
        todo |= _refs(defs[name])
    for name in set(defs) - reachable:
        del defs[name]
    if "$defs" in schema and not defs:
        del schema["$defs"]


def render_json(document: Any) -> str:
    """Deterministic JSON: sorted keys, 2-space indent, UTF-8 text, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
