"""Routing's events round-trip through the wire registry and carry no personal data."""

from __future__ import annotations

from casebus.domain.events import EventRegistry
from services.routing.domain.assignment import decide, initial_state
from services.routing.domain.events import ROUTING_EVENTS

from .builders import CALENDAR, POLICY, assign, local


def test_type_names_are_unique_and_events_round_trip_through_the_registry():
    registry = EventRegistry(*ROUTING_EVENTS)
    assert len({cls.wire_type() for cls in ROUTING_EVENTS}) == len(ROUTING_EVENTS)
    assert "petition.case.assigned.v1" in registry
    [event] = decide(initial_state(), assign(local(2026, 3, 2)), CALENDAR, POLICY)
    data = event.model_dump(mode="json")
    assert registry.parse(event.wire_type(), data) == event
    assert event.public_data() == data  # nothing personal in an assignment
    assert data["return_deadline"] == "2026-03-10T00:00:00+08:00"


def test_events_stored_before_the_new_optional_fields_still_parse():
    registry = EventRegistry(*ROUTING_EVENTS)
    [event] = decide(initial_state(), assign(local(2026, 3, 2)), CALENDAR, POLICY)
    old = event.model_dump(mode="json", exclude={"community", "location", "collective",
                                                 "key_person", "key_period"})
    parsed = registry.parse("petition.case.assigned.v1", old)
    assert parsed.community is None and parsed.collective is False  # type: ignore[attr-defined]
    order = {"district": "chaoyang", "occurred_at": "2026-03-02T10:00:00+08:00",
             "case_id": "c", "order_id": "db-1", "issued_by": "zhao", "instructions": "act",
             "due": "2026-03-09T00:00:00+08:00"}
    parsed_order = registry.parse("petition.case.supervision-ordered.v1", order)
    assert parsed_order.unit_id is None  # type: ignore[attr-defined]


def test_the_new_events_have_their_wire_names():
    names = {cls.wire_type() for cls in ROUTING_EVENTS}
    assert {"petition.case.reopened.v1", "petition.case.progress-noted.v1",
            "petition.case.flagged-as-key.v1"} <= names
