"""Clock events on the wire: stable type names, JSON round trips, a JSON Schema for each."""

from __future__ import annotations

from datetime import timedelta

from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import (
    CLOCK_EVENTS,
    ClockStarted,
    ExtendClock,
    StartClock,
    StopClock,
    WarnClock,
)
from casebus.domain.deadlines import LAW_LIMITS, ClockKind, DayCount, Limit
from casebus.domain.events import EventRegistry

from .calendars import CAL_2026, local
from .playback import play


def test_wire_types_are_unique_past_tense_clock_events() -> None:
    registry = EventRegistry(*CLOCK_EVENTS)
    assert sorted(cls.wire_type() for cls in registry) == [
        f"petition.clock.{name}.v1"
        for name in ["breached", "extended", "paused", "resumed", "started", "stopped", "warned"]
    ]


def test_every_event_round_trips_through_json_and_carries_its_ids() -> None:
    registry = EventRegistry(*CLOCK_EVENTS)
    events = play(ClockDecider(CAL_2026), [
        StartClock(clock_id="c1", case_id="case-7", district="beiyuan", at=local(2026, 8, 4),
                   kind=ClockKind.HANDLE_AND_ANSWER,
                   limit=LAW_LIMITS[ClockKind.HANDLE_AND_ANSWER]),
        WarnClock(clock_id="c1", at=local(2026, 10, 7), lead=timedelta(days=3)),
        ExtendClock(clock_id="c1", at=local(2026, 10, 7), days=30, approved_by="head",
                    reason="site survey"),
        StopClock(clock_id="c1", at=local(2026, 11, 2), outcome="answered"),
    ])
    assert len(events) == 4
    for event in events:
        assert (event.clock_id, event.case_id, event.district) == ("c1", "case-7", "beiyuan")
        parsed = registry.parse(event.wire_type(), event.model_dump(mode="json"))
        assert parsed == event
    started = events[0]
    assert isinstance(started, ClockStarted)
    assert started.public_data()["limit"] == {"days": 60, "count": "calendar"}


def test_limits_parse_from_json_into_day_counts() -> None:
    started = ClockStarted.model_validate({
        "clock_id": "c", "case_id": "k", "district": "d", "kind": "return-outside-remit",
        "limit": {"days": 5, "count": "working"}, "occurred_at": "2026-09-29T09:00:00+08:00",
        "started_at": "2026-09-29T09:00:00+08:00", "due_at": "2026-10-13T00:00:00+08:00",
    })
    assert started.limit == Limit(5, DayCount.WORKING)
    assert started.limit.count is DayCount.WORKING


def test_each_event_has_a_json_schema() -> None:
    for cls in CLOCK_EVENTS:
        schema = cls.model_json_schema()
        assert {"clock_id", "case_id", "district", "occurred_at"} <= set(schema["required"])
