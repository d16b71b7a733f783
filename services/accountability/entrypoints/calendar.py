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

import asyncpg
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, StringConstraints

from casebus.access import CurrentPrincipal, Principal, Role, require_roles
from casebus.calendars import CalendarBook
from casebus.clock import Clock
from casebus.commands import IdempotencyKey, run_command
from casebus.domain import calendar_corrections as corrections
from casebus.domain.calendar_corrections import CalendarDayCorrected, CorrectionKind
from casebus.domain.decider import fold
from casebus.domain.national_calendar import Notice, national_calendar, national_schedule
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES
from casebus.repository import EventSourcedRepository, Metadata

router = APIRouter(prefix="/api/v1", tags=["calendar"])
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]


class DayCorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "holiday", "reason": "District holiday for the Beiyuan flood clean-up"},
        {"kind": "working-day", "reason": "Make-up working day set by the district"}]})

    kind: CorrectionKind
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=1000)]


@router.get("/calendar", responses=LIST_RESPONSES)
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


@router.put("/calendar/days/{day}", responses=COMMAND_RESPONSES)
async def correct_day(day: date, body: DayCorrectionIn, request: Request, principal: Leader,
                      idempotency: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Declare ``day`` a holiday or a working day in the caller's district, or give it back to
    the national schedule (``national``). Refused (409, with the rule) if it changes nothing.
    Deadlines already computed keep their due instants; later ones use the corrected day."""
    book: CalendarBook = request.app.state.calendar_book
    repository: EventSourcedRepository = request.app.state.calendar_repository
    clock: Clock = request.app.state.accountability.clock
    command = corrections.CorrectCalendarDay(
        district=principal.district, at=clock.now(), day=day, kind=body.kind,
        reason=body.reason, corrected_by=principal.subject)
    stream = corrections.calendar_stream_id(principal.district)
    national = national_calendar(principal.district)

    def decision(history: list[Any]) -> list[CalendarDayCorrected]:
        state = fold(corrections.evolve, corrections.initial_state(), history)
        return corrections.decide(state, command, national)

    async def append_and_record(conn: asyncpg.Connection) -> dict[str, Any]:
        # Recorded here in the same transaction: this service's calendar changes with the append.
        new = await repository.execute(stream, decision, Metadata.fresh(principal.actor), conn)
        stored = (await repository.store.load(stream, conn))[-len(new):] if new else []
        for record, event in zip(stored, new, strict=True):
            assert isinstance(event, CalendarDayCorrected)
            await book.record(conn, record.event_id, event)
        calendar = replace(await book.calendar(principal.district, conn),
                           on_unscheduled_year=None)  # an answer, not a deadline: no report
        return {"district": principal.district, "day": day.isoformat(), "kind": str(body.kind),
                "reason": body.reason, "corrected_by": principal.subject,
                "working_day": calendar.is_working_day(day)}

    answer = await run_command(book.pool, district=principal.district, idempotency=idempotency,
                               body=body.model_dump(mode="json") | {"day": day.isoformat()},
                               action=append_and_record)
    return answer.send(response)


def _notice(notice: Notice) -> dict[str, Any]:
    return {"title": notice.title, "document_number": notice.document_number,
            "date": notice.date, "url": notice.url,
            "checked_against": list(notice.checked_against)}
