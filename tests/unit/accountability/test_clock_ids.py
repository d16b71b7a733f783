"""Clock ids and the limit a supervision order implies: pure parts of accountability's clocks."""

from __future__ import annotations

from casebus.domain.deadlines import ClockKind
from services.accountability.service_layer.clock_ids import clock_id
from services.accountability.service_layer.routing_reactions import limit_days_until
from tests.unit.clocks.calendars import local


def test_ids_are_deterministic_and_one_per_clock() -> None:
    assert clock_id("case-1", ClockKind.REGISTER_AND_FORWARD) == \
        "clock:case-1:register-and-forward"
    first = clock_id("case-1", ClockKind.NOTIFY_ACCEPTANCE, "event-a")
    assert first == clock_id("case-1", ClockKind.NOTIFY_ACCEPTANCE, "event-a")
    assert first != clock_id("case-1", ClockKind.NOTIFY_ACCEPTANCE, "event-b")
    assert clock_id("case-1", ClockKind.SUPERVISION, "order-7") == \
        "clock:case-1:supervision:order-7"


def test_an_order_naming_only_its_due_instant_implies_its_calendar_days() -> None:
    # Issued Tuesday 3 March, due at midnight after Friday 13 March: 10 days.
    assert limit_days_until(local(2026, 3, 3, 10), local(2026, 3, 14)) == 10
    # Due at 17:00 on the 13th: that day is the last, still 10.
    assert limit_days_until(local(2026, 3, 3, 10), local(2026, 3, 13, 17)) == 10
    assert limit_days_until(local(2026, 3, 3, 10), local(2026, 3, 3, 17)) == 1  # at least 1
