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
