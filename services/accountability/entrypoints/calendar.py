"""The district's working-day calendar over HTTP: read a year, correct a day (leaders only).

Uses three objects of ``request.app.state`` wired by accountability's bootstrap:
``calendar_book`` (a ``casebus.calendars.CalendarBook``), ``calendar_repository`` (an
``EventSourcedRepository`` of ``CalendarDayCorrected`` publishing on accountability's topic)
and ``accountability.clock``. A correction is appended to the stream ``calendar:<district>``
and recorded in this service's ``calendar_corrections`` in the same transaction; the other
services apply it from the published event. It changes only deadlines computed after it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, StringConstraints

from casebus.access import CurrentPrincipal, Principal, Role, require_roles
from casebus.calendars import CalendarBook
from casebus.clock import Clock
from casebus.domain import calendar_corrections as corrections
from casebus.domain.calendar_corrections import CalendarDayCorrected, CorrectionKind
from casebus.domain.decider import fold
from casebus.domain.national_calendar import Notice, national_calendar, national_schedule
from casebus.repository import EventSourcedRepository, Metadata
from casebus.store import ConcurrencyError

router = APIRouter(prefix="/api/v1", tags=["calendar"])
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]
ATTEMPTS = 3  # a concurrent correction of the same district: decide again on fresh history


class DayCorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CorrectionKind
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=1000)]


@router.get("/calendar")
async def read_calendar(request: Request, principal: CurrentPrincipal,
                        year: Annotated[int, Query(ge=1949, le=2200)]) -> dict[str, Any]:
    """The caller's district's working-day calendar for ``year``: its holidays and make-up
    working days (national schedule plus the district's corrections), whether the year has a
    national schedule (if not, only weekends and the district's corrections count), the
    notice it comes from, and the district's corrections of days in that year."""
    book: CalendarBook = request.app.state.calendar_book
    calendar = await book.calendar(principal.district)
    schedule = national_schedule().get(year)
    return {
        "district": principal.district, "year": year,
        "nationally_scheduled": schedule is not None,
        "source": _notice(schedule.source) if schedule else None,
        "amended_by": [_notice(n) for n in schedule.amended_by] if schedule else [],
        "holidays": sorted(d for d in calendar.holidays if d.year == year),
        "makeup_workdays": sorted(d for d in calendar.makeup_workdays if d.year == year),
        "corrections": [c.model_dump(mode="json", exclude={"district"})
                        for c in await book.corrections(principal.district)
                        if c.day.year == year],
    }


@router.put("/calendar/days/{day}")
async def correct_day(day: date, body: DayCorrectionIn, request: Request,
                      principal: Leader) -> dict[str, Any]:
    """Declare ``day`` a holiday or a working day in the caller's district, or give it back to
    the national schedule (``national``). Refused (409, with the rule) if it changes nothing."""
    book: CalendarBook = request.app.state.calendar_book
    repository: EventSourcedRepository = request.app.state.calendar_repository
    clock: Clock = request.app.state.accountability.clock
    command = corrections.CorrectCalendarDay(
        district=principal.district, at=clock.now(), day=day, kind=body.kind,
        reason=body.reason, corrected_by=principal.subject)
    await _append(book, repository, command, Metadata.fresh(
        f"{principal.role}:{principal.subject}"))
    calendar = replace(await book.calendar(principal.district), on_unscheduled_year=None)
    return {"district": principal.district, "day": day, "kind": body.kind,
            "reason": body.reason, "corrected_by": principal.subject,
            "working_day": calendar.is_working_day(day)}


async def _append(book: CalendarBook, repository: EventSourcedRepository,
                  command: corrections.CorrectCalendarDay, metadata: Metadata) -> None:
    """Append the correction and record it here, in one transaction."""
    stream = corrections.calendar_stream_id(command.district)
    national = national_calendar(command.district)

    def decision(history: list[Any]) -> list[CalendarDayCorrected]:
        state = fold(corrections.evolve, corrections.initial_state(), history)
        return corrections.decide(state, command, national)

    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with book.pool.acquire() as conn, conn.transaction():
                new = await repository.execute(stream, decision, metadata, conn=conn)
                recorded = (await repository.store.load(stream, conn))[-len(new):] if new else []
                for stored, event in zip(recorded, new, strict=True):
                    assert isinstance(event, CalendarDayCorrected)
                    await book.record(conn, stored.event_id, event)
            return
        except ConcurrencyError:
            if attempt == ATTEMPTS:
                raise


def _notice(notice: Notice) -> dict[str, Any]:
    return {"title": notice.title, "document_number": notice.document_number,
            "date": notice.date, "url": notice.url,
            "checked_against": list(notice.checked_against)}
