"""Which projection each public event feeds, applied once per event.

Every case event goes into the case's timeline first; the projection runs only if the timeline
did not hold the event yet, so a repeated event (same id) is harmless even outside the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import asyncpg

from casebus.calendars import CalendarBook
from casebus.consumer import Handler
from casebus.domain.registered import REGISTERED, without_free_text
from casebus.envelope import CloudEvent
from services.reporting.adapters import clock_projection as clocks
from services.reporting.adapters import intake_projection as intake
from services.reporting.adapters import office_work_projection as office_work
from services.reporting.adapters import routing_projection as routing
from services.reporting.adapters.accountability_key_cases import KEY_CASE_HANDLERS
from services.reporting.adapters.accountability_projection import BREACH_HANDLERS
from services.reporting.adapters.case_records import fold_into_record
from services.reporting.adapters.event_feed import append_to_feed
from services.reporting.adapters.timeline import is_case_event, record_in_timeline
from services.reporting.domain.stages import STAGE_AFTER, CaseStage

log = logging.getLogger(__name__)

Projection = Callable[[asyncpg.Connection, CloudEvent], Awaitable[None]]


def _stage(stage: CaseStage) -> Projection:
    async def project(conn: asyncpg.Connection, event: CloudEvent) -> None:
        await intake.record_stage(conn, event, stage)
    return project


def _case(name: str) -> str:
    return f"petition.case.{name}.v1"


PROJECTIONS: dict[str, Projection] = {
    **{wire: _stage(stage) for wire, stage in STAGE_AFTER.items()},
    **dict.fromkeys(REGISTERED, intake.record_registration),
    _case("reclassified"): intake.record_reclassification,
    _case("unit-acceptance-recorded"): intake.record_unit,
    **{_case(h): routing.record_handover
       for h in ("assigned", "rerouted", "transferred", "escalated", "reopened")},
    _case("accepted"): routing.record_acceptance,
    _case("returned"): routing.record_return,
    _case("co-handling-arranged"): routing.record_co_handling,
    _case("extension-approved"): routing.record_extension,
    _case("supervision-ordered"): routing.record_supervision_order,
    _case("assignment-closed"): routing.record_assignment_closed,
    _case("progress-noted"): routing.record_unit_named,
    _case("flagged-as-key"): routing.record_key_case,
    "petition.clock.started.v1": clocks.record_started,
    "petition.clock.paused.v1": clocks.record_paused,
    "petition.clock.resumed.v1": clocks.record_resumed,
    "petition.clock.extended.v1": clocks.record_extended,
    "petition.clock.warned.v1": clocks.record_warned,
    "petition.clock.breached.v1": clocks.record_breached,
    "petition.clock.stopped.v1": clocks.record_stopped,
}


def once(project: Projection | None) -> Handler:
    async def apply(conn: asyncpg.Connection, event: CloudEvent) -> None:
        if not is_case_event(event):
            return  # not about a case: nothing of it is kept
        # Free text never enters reporting, also from registrations published before v2.
        event = event.model_copy(update={"data": without_free_text(event.type, event.data)})
        if not await record_in_timeline(conn, event):
            log.info("event already applied; skipped",
                     extra={"case_id": event.subject, "event_id": event.id})
            return
        # The feed's head before any other row lock: it serialises reporting's transactions
        # until they commit, and a page holds it from its first event on, so every row lock
        # of a transaction is taken after it (one order: no deadlock between topics' pages).
        await append_to_feed(conn, event)
        if project is not None:
            await project(conn, event)
        await fold_into_record(conn, event)  # rates' and rankings' case records
    return apply


def handlers(book: CalendarBook) -> dict[str, Handler]:
    """The consumer's handlers by event type, the calendar's corrections included."""
    return {**{wire: once(project) for wire, project in PROJECTIONS.items()}, **book.handlers,
            **office_work.HANDLERS,  # reception days and service work: no case, no timeline
            **BREACH_HANDLERS, **KEY_CASE_HANDLERS}  # accountability's: their own tables


every_other_event: Handler = once(None)  # still kept in the case's timeline
