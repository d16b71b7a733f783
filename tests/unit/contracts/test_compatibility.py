"""The backward-compatibility checker on small hand-written schemas."""

from __future__ import annotations

import copy
from typing import Any

from casebus.contracts.compatibility import breaking_changes, is_compatible

WIRE = "petition.example.happened.v1"


def event_schema() -> dict[str, Any]:
    return {
        "$defs": {
            "Level": {"enum": ["community", "street", "district"], "type": "string"},
            "Limit": {
                "additionalProperties": False,
                "properties": {"days": {"type": "integer", "minimum": 1},
                               "level": {"$ref": "#/$defs/Level"}},
                "required": ["days", "level"],
                "type": "object",
            },
        },
        "additionalProperties": False,
        "properties": {
            "case_id": {"type": "string", "minLength": 1},
            "occurred_at": {"type": "string", "format": "date-time"},
            "unit_id": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            "limit": {"$ref": "#/$defs/Limit"},
            "tags": {"items": {"type": "string"}, "type": "array"},
        },
        "required": ["case_id", "occurred_at", "limit", "tags"],
        "type": "object",
    }


def changed(edit: Any) -> list[str]:
    old = event_schema()
    new = copy.deepcopy(old)
    edit(new)
    return breaking_changes(WIRE, old, new)


def test_an_identical_schema_is_compatible() -> None:
    assert breaking_changes(WIRE, event_schema(), event_schema()) == []


def test_a_new_optional_field_is_compatible() -> None:
    def add_optional(s: dict[str, Any]) -> None:
        s["properties"]["note"] = {"type": "string", "default": ""}

    assert changed(add_optional) == []


def test_documentation_changes_are_compatible() -> None:
    def document(s: dict[str, Any]) -> None:
        s["title"] = "Renamed"
        s["description"] = "Now documented."
        s["properties"]["case_id"]["title"] = "Case"
        s["x-event-class"] = "Other"

    assert changed(document) == []


def test_a_removed_field_breaks() -> None:
    assert changed(lambda s: s["properties"].pop("tags")) == [
        f"{WIRE}: $.tags: property removed"]


def test_a_new_required_field_breaks() -> None:
    def add_required(s: dict[str, Any]) -> None:
        s["properties"]["priority"] = {"type": "integer"}
        s["required"].append("priority")

    assert changed(add_required) == [f"{WIRE}: $.priority: new required property"]


def test_an_optional_field_made_required_breaks() -> None:
    assert changed(lambda s: s["required"].append("unit_id")) == [
        f"{WIRE}: $.unit_id: optional property became required"]


def test_a_type_change_breaks() -> None:
    def retype(s: dict[str, Any]) -> None:
        s["properties"]["case_id"] = {"type": "integer"}

    assert changed(retype) == [f"{WIRE}: $.case_id: type changed from string to integer"]


def test_a_format_change_breaks() -> None:
    def reformat(s: dict[str, Any]) -> None:
        s["properties"]["occurred_at"]["format"] = "date"

    assert changed(reformat) == [
        f"{WIRE}: $.occurred_at: format changed from 'date-time' to 'date'"]


def test_nullability_changes_break_both_ways() -> None:
    def not_nullable(s: dict[str, Any]) -> None:
        s["properties"]["unit_id"] = {"type": "string"}

    def nullable(s: dict[str, Any]) -> None:
        s["properties"]["case_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    assert [r.split(": ", 2)[1] for r in changed(not_nullable)] == ["$.unit_id"]
    assert "no longer accepts null" in changed(not_nullable)[0]
    assert [r.split(": ", 2)[1] for r in changed(nullable)] == ["$.case_id"]
    assert "now also null" in changed(nullable)[0]


def test_a_removed_enum_value_in_defs_breaks_where_it_is_used() -> None:
    assert changed(lambda s: s["$defs"]["Level"]["enum"].remove("district")) == [
        f"{WIRE}: $.limit.level: enum values removed: 'district'"]


def test_a_new_enum_value_is_compatible() -> None:
    assert changed(lambda s: s["$defs"]["Level"]["enum"].append("city")) == []


def test_a_nested_defs_change_is_detected() -> None:
    def nested(s: dict[str, Any]) -> None:
        s["$defs"]["Limit"]["properties"]["days"]["type"] = "string"
        s["$defs"]["Limit"]["properties"]["count"] = {"type": "string"}
        s["$defs"]["Limit"]["required"].append("count")

    assert changed(nested) == [
        f"{WIRE}: $.limit.days: type changed from integer to string",
        f"{WIRE}: $.limit.count: new required property",
    ]


def test_a_renamed_definition_with_the_same_shape_is_compatible() -> None:
    def rename(s: dict[str, Any]) -> None:
        s["$defs"]["DeadlineLimit"] = s["$defs"].pop("Limit")
        s["properties"]["limit"] = {"$ref": "#/$defs/DeadlineLimit"}

    assert changed(rename) == []


def test_narrowed_constraints_break_and_widened_ones_do_not() -> None:
    def narrow(s: dict[str, Any]) -> None:
        s["properties"]["case_id"]["minLength"] = 3
        s["properties"]["case_id"]["pattern"] = "^case-"
        s["properties"]["tags"]["maxItems"] = 5
        s["$defs"]["Limit"]["properties"]["days"]["minimum"] = 2

    def widen(s: dict[str, Any]) -> None:
        s["properties"]["case_id"]["minLength"] = 0
        s["$defs"]["Limit"]["properties"]["days"].pop("minimum")

    assert changed(narrow) == [
        f"{WIRE}: $.case_id: constraint narrowed: minLength 1 -> 3",
        f"{WIRE}: $.case_id: pattern changed from None to '^case-'",
        f"{WIRE}: $.limit.days: constraint narrowed: minimum 1 -> 2",
        f"{WIRE}: $.tags: constraint narrowed: maxItems unset -> 5",
    ]
    assert changed(widen) == []


def test_array_items_and_closed_objects_are_compared() -> None:
    def retype_items(s: dict[str, Any]) -> None:
        s["properties"]["tags"]["items"] = {"type": "integer"}

    def open_then_close(s: dict[str, Any]) -> None:
        s["$defs"]["Limit"]["additionalProperties"] = True

    assert changed(retype_items) == [f"{WIRE}: $.tags[*]: type changed from string to integer"]
    assert changed(open_then_close) == []  # accepting more is not breaking
    opened = copy.deepcopy(event_schema())
    opened["$defs"]["Limit"]["additionalProperties"] = True
    assert breaking_changes(WIRE, opened, event_schema()) == [
        f"{WIRE}: $.limit: additional properties are no longer allowed"]


def test_map_values_are_compared() -> None:
    old: dict[str, Any] = {"type": "object", "properties": {
        "targets": {"type": "object", "additionalProperties": {"type": "string"}}}}
    new = copy.deepcopy(old)
    new["properties"]["targets"]["additionalProperties"] = {"type": "number"}
    assert breaking_changes(WIRE, old, new) == [
        f"{WIRE}: $.targets.*: type changed from string to number"]


def test_recursive_definitions_terminate() -> None:
    node: dict[str, Any] = {"$defs": {"Node": {"type": "object", "properties": {
        "parent": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
        "$ref": "#/$defs/Node"}
    assert is_compatible(node, copy.deepcopy(node))
    changed_node = copy.deepcopy(node)
    changed_node["$defs"]["Node"]["properties"]["name"] = {"type": "string"}
    changed_node["$defs"]["Node"]["required"] = ["name"]
    assert breaking_changes(WIRE, node, changed_node) == [f"{WIRE}: $.name: new required property"]
