"""The checked-in public contracts: current, compatible, private, and consistent with the wire."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebus.contracts.__main__ import main
from casebus.contracts.catalogue import catalogue
from casebus.contracts.compatibility import breaking_changes
from casebus.contracts.generate import ASYNCAPI_FILE, DEFAULT_DIR, check, render_all, schemas
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.events import DomainEvent
from casebus.envelope import make_cloud_event, schema_uri
from casebus.topics import TOPICS, events_topic
from services.intake.domain import current_state, decide
from services.intake.domain.events import PetitionRegistered
from services.intake.domain.facts import PetitionerDetails
from services.intake.domain.registry import PETITION_EVENTS
from services.routing.domain.events import ROUTING_EVENTS

from ..intake.scenario import RULES, register

CHECKED_IN = DEFAULT_DIR
REGENERATE = "run `python -m casebus.contracts write` and commit contracts/"


def checked_in_schema(wire_type: str) -> dict[str, Any]:
    path = CHECKED_IN / "schemas" / f"{wire_type}.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def property_names(node: Any) -> set[str]:
    """Every property name declared anywhere in a schema, $defs included."""
    names: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                names |= set(value)
            names |= property_names(value)
    elif isinstance(node, list):
        for item in node:
            names |= property_names(item)
    return names


def test_checked_in_contracts_are_what_the_code_generates() -> None:
    on_disk = {str(p.relative_to(CHECKED_IN).as_posix()): p.read_text(encoding="utf-8")
               for p in CHECKED_IN.rglob("*") if p.is_file()}
    generated = render_all()
    assert sorted(on_disk) == sorted(generated), REGENERATE
    stale = [rel for rel, text in generated.items() if on_disk[rel] != text]
    assert stale == [], f"{stale} differ from the code: {REGENERATE}"


def test_every_current_schema_is_compatible_with_the_checked_in_one() -> None:
    reasons = [reason for wire_type, schema in schemas().items()
               if (CHECKED_IN / "schemas" / f"{wire_type}.json").exists()
               for reason in breaking_changes(wire_type, checked_in_schema(wire_type), schema)]
    assert reasons == []


def test_check_passes_on_the_checked_in_contracts() -> None:
    assert check(CHECKED_IN).ok


def test_generation_is_deterministic() -> None:
    first = render_all()
    assert first == render_all()
    for rel, text in first.items():
        assert text.endswith("\n") and not text.endswith("\n\n"), rel
        if rel.endswith(".json"):
            assert text == json.dumps(json.loads(text), indent=2, sort_keys=True,
                                      ensure_ascii=False) + "\n", rel


def test_the_catalogue_holds_every_published_event_once_on_its_services_topic() -> None:
    entries = catalogue()
    wire_types = [e.wire_type for e in entries]
    assert len(wire_types) == len(set(wire_types))
    by_type = {e.wire_type: e for e in entries}
    expected: list[tuple[list[type[DomainEvent]], str]] = [
        (list(PETITION_EVENTS), "intake"), (list(ROUTING_EVENTS), "routing"),
        (list(CLOCK_EVENTS), "accountability")]
    for events, service in expected:
        for cls in events:
            entry = by_type[cls.wire_type()]
            assert (entry.event, entry.service, entry.topic) == (cls, service,
                                                                 events_topic(service))
    accountability = {e.wire_type for e in entries if e.service == "accountability"}
    assert {"petition.responsibility-letter.signed.v1", "petition.breach.recorded.v1",
            "petition.accountability-review.opened.v1", "petition.spot-check.drawn.v1",
            } <= accountability
    declared_topics = {t.name for t in TOPICS}
    assert {e.topic for e in entries} <= declared_topics


def test_no_personal_field_appears_in_any_published_schema() -> None:
    details = set(PetitionerDetails.model_fields)  # name, id_number, phone, address
    assert {"name", "id_number", "phone", "address"} <= details
    current = schemas()
    for entry in catalogue():
        for schema in (current[entry.wire_type], checked_in_schema(entry.wire_type)):
            top_level = set(schema.get("properties", {}))
            assert not top_level & entry.personal_fields, entry.wire_type
            assert not top_level - set(schema.get("required", [])) & entry.personal_fields
            assert not property_names(schema) & details, entry.wire_type
    registered = checked_in_schema(PetitionRegistered.wire_type())
    assert "petitioners" not in registered["properties"]
    assert "description" not in registered["properties"]
    assert "PetitionerDetails" not in registered.get("$defs", {})


def test_a_published_registration_matches_its_schema_and_leaks_nothing() -> None:
    events = decide(current_state([]), register(), RULES)
    registered = next(e for e in events if isinstance(e, PetitionRegistered))
    schema = checked_in_schema(registered.wire_type())
    data = registered.public_data()
    assert set(schema["required"]) <= set(data) <= set(schema["properties"])
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("Zhang San", "110101199001011234", "13800000000", "Dingjia 3-2-101",
                   registered.description):
        assert secret not in text


def test_every_schema_id_is_the_cloud_event_dataschema() -> None:
    for entry in catalogue():
        schema = checked_in_schema(entry.wire_type)
        envelope = make_cloud_event(
            event_id="e-1", source=f"urn:petition:{entry.service}", wire_type=entry.wire_type,
            subject="case-1", time=_an_instant(), district="beiyuan", correlation_id="c",
            causation_id="c", actor="test", data={})
        assert schema["$id"] == envelope.dataschema == schema_uri(entry.wire_type)
        assert schema["title"] == entry.wire_type


def test_the_asyncapi_document_describes_every_topic_and_message() -> None:
    doc = yaml.safe_load((CHECKED_IN / ASYNCAPI_FILE).read_text(encoding="utf-8"))
    assert doc["asyncapi"] == "3.0.0"
    assert doc["defaultContentType"] == "application/cloudevents+json"
    assert "no personal data" in doc["info"]["description"]
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {e.topic for e in catalogue()}
    messages = doc["components"]["messages"]
    assert set(messages) == {e.wire_type for e in catalogue()}
    for channel_id, channel in doc["channels"].items():
        for wire_type, ref in channel["messages"].items():
            assert ref == {"$ref": f"#/components/messages/{wire_type}"}
        sent = [m["$ref"].rsplit("/", 1)[-1] for op in doc["operations"].values()
                if op["channel"]["$ref"] == f"#/channels/{channel_id}" for m in op["messages"]]
        assert sorted(sent) == sorted(channel["messages"])
    for wire_type, message in messages.items():
        envelope_ref, specifics = message["payload"]["allOf"]
        assert envelope_ref == {"$ref": "#/components/schemas/CloudEventEnvelope"}
        assert specifics["properties"]["type"] == {"const": wire_type}
        assert specifics["properties"]["dataschema"] == {"const": schema_uri(wire_type)}
        data_ref = specifics["properties"]["data"]["$ref"]
        assert (CHECKED_IN / data_ref).is_file(), data_ref


def test_check_fails_readably_on_a_stale_or_breaking_change(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CHECKED_IN, contracts)
    assert main(["check", "--dir", str(contracts)]) == 0

    # The checked-in schema had a field the code no longer publishes: breaking.
    path = contracts / "schemas" / "petition.case.assigned.v1.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["priority"] = {"type": "integer"}
    schema["required"].append("priority")
    path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (contracts / "schemas" / "petition.case.retired.v1.json").write_text("{}\n")
    assert main(["check", "--dir", str(contracts)]) == 1
    err = capsys.readouterr().err
    assert "petition.case.assigned.v1: $.priority: property removed" in err
    assert "schemas/petition.case.assigned.v1.json: differs" in err
    assert "schemas/petition.case.retired.v1.json: no longer generated" in err

    # write refuses to overwrite a published schema with a breaking one...
    assert main(["write", "--dir", str(contracts)]) == 1
    assert "$.priority: property removed" in capsys.readouterr().err
    # ...unless told to; then the directory is exactly what the code generates.
    assert main(["write", "--dir", str(contracts), "--allow-breaking"]) == 0
    assert main(["check", "--dir", str(contracts)]) == 0
    assert not (contracts / "schemas" / "petition.case.retired.v1.json").exists()


def test_check_reports_missing_files(tmp_path: Path) -> None:
    report = check(tmp_path / "contracts")
    assert not report.ok
    assert f"{ASYNCAPI_FILE}: missing" in report.out_of_date
    assert "Contracts in" in report.render(tmp_path)


def _an_instant() -> Any:
    from datetime import UTC, datetime
    return datetime(2026, 1, 1, tzinfo=UTC)
