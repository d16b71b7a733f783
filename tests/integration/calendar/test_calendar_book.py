"""CalendarBook on a real database: corrections applied from events, shared by instances."""

from __future__ import annotations

import logging
from datetime import date
from uuid import uuid4

import asyncpg
import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from casebus.calendars import DDL, CalendarBook
from casebus.domain.calendar_corrections import CalendarDayCorrected, CorrectionKind
from casebus.domain.deadlines import LAW_LIMITS, ClockKind, due_at
from casebus.domain.national_calendar import national_calendar
from casebus.envelope import CloudEvent, make_cloud_event
from tests.unit.clocks.calendars import local


@pytest.fixture
async def book(pool: asyncpg.Pool) -> CalendarBook:
    await pool.execute(DDL)
    return CalendarBook(pool)


def district() -> str:
    return f"d-{uuid4().hex[:8]}"  # one per test: metrics and warnings are per process


def corrected(where: str, day: date, kind: CorrectionKind,
              payload: dict[str, object] | None = None) -> CloudEvent:
    event = CalendarDayCorrected(district=where, occurred_at=local(2025, 9, 1, 10), day=day,
                                 kind=kind, reason="street notice", corrected_by="leader-zhao")
    return make_cloud_event(
        event_id=str(uuid4()), source="urn:petition:accountability",
        wire_type=event.wire_type(), subject=f"calendar:{where}", time=event.occurred_at,
        district=where, correlation_id="c", causation_id="c", actor="leader:leader-zhao",
        data=event.public_data() | (payload or {}))


async def apply(book: CalendarBook, event: CloudEvent) -> None:
    async with book.pool.acquire() as conn, conn.transaction():
        await book.handlers[event.type](conn, event)


async def test_without_corrections_the_calendar_is_national(book: CalendarBook) -> None:
    where = district()
    assert await book.calendar(where) == national_calendar(where)
    assert await book.corrections(where) == ()


async def test_a_correction_event_changes_the_calendar(book: CalendarBook) -> None:
    where, day = district(), date(2025, 10, 9)
    assert (await book.calendar(where)).is_working_day(day)
    await apply(book, corrected(where, day, CorrectionKind.HOLIDAY))
    assert not (await book.calendar(where)).is_working_day(day)
    assert [c.day for c in await book.corrections(where)] == [day]
    other = district()  # another district is untouched
    assert (await book.calendar(other)).is_working_day(day)


async def test_redelivery_is_idempotent(book: CalendarBook) -> None:
    where = district()
    event = corrected(where, date(2025, 10, 9), CorrectionKind.HOLIDAY)
    await apply(book, event)
    await apply(book, event)
    assert await book.pool.fetchval(
        "SELECT count(*) FROM calendar_corrections WHERE district = $1", where) == 1
    assert len(await book.corrections(where)) == 1


async def test_the_later_correction_wins_and_national_restores(book: CalendarBook) -> None:
    where, day = district(), date(2025, 10, 8)  # a national holiday
    await apply(book, corrected(where, day, CorrectionKind.WORKING_DAY))
    assert (await book.calendar(where)).is_working_day(day)
    await apply(book, corrected(where, day, CorrectionKind.HOLIDAY))
    assert not (await book.calendar(where)).is_working_day(day)
    await apply(book, corrected(where, date(2025, 10, 11), CorrectionKind.HOLIDAY))
    await apply(book, corrected(where, date(2025, 10, 11), CorrectionKind.NATIONAL))
    calendar = await book.calendar(where)
    assert calendar.is_working_day(date(2025, 10, 11))  # the national make-up day again
    assert calendar == national_calendar(where).with_holidays([day])


async def test_a_second_instance_sees_the_change(book: CalendarBook, pool: asyncpg.Pool) -> None:
    where, day = district(), date(2025, 9, 15)
    other_instance = CalendarBook(pool)
    assert (await other_instance.calendar(where)).is_working_day(day)  # cached now
    await apply(book, corrected(where, day, CorrectionKind.HOLIDAY))
    assert not (await other_instance.calendar(where)).is_working_day(day)


async def test_deadlines_use_the_corrected_calendar(book: CalendarBook) -> None:
    where = district()
    limit = LAW_LIMITS[ClockKind.RETURN_OUTSIDE_REMIT]
    start = local(2025, 9, 29, 10)  # Mon: Tue 30 Sep, 9, 10, Sat 11 (make-up), Mon 13 Oct
    assert due_at(start, limit, await book.calendar(where)) == local(2025, 10, 14)
    await apply(book, corrected(where, date(2025, 10, 9), CorrectionKind.HOLIDAY))
    assert due_at(start, limit, await book.calendar(where)) == local(2025, 10, 15)


async def test_an_unscheduled_year_is_counted_and_logged_once(
        book: CalendarBook, caplog: pytest.LogCaptureFixture) -> None:
    where = district()

    def counted() -> float:
        return REGISTRY.get_sample_value("casebus_calendar_unscheduled_year_total",
                                         {"district": where, "year": "2027"}) or 0.0

    calendar = await book.calendar(where)
    limit = LAW_LIMITS[ClockKind.RETURN_OUTSIDE_REMIT]
    with caplog.at_level(logging.WARNING, logger="casebus.calendars"):
        assert due_at(local(2026, 12, 30, 10), limit, calendar) == local(2027, 1, 7)
        first = counted()
        due_at(local(2026, 12, 31, 10), limit, calendar)
    assert 0 < first < counted()
    warnings = [r for r in caplog.records if "2027" in r.getMessage() and where in r.getMessage()]
    assert len(warnings) == 1
    assert REGISTRY.get_sample_value("casebus_calendar_unscheduled_year_total",
                                     {"district": where, "year": "2026"}) is None


async def test_a_malformed_correction_is_refused_for_the_dead_letters(book: CalendarBook) -> None:
    event = corrected(district(), date(2025, 9, 15), CorrectionKind.HOLIDAY,
                      {"kind": "vacation"})
    with pytest.raises(ValidationError):
        await apply(book, event)
