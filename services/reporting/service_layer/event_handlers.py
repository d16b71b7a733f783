"""Which projection each public event feeds, applied once per event, a consumer's page at once.

Every case event goes into the case's timeline first; the projection runs only if the timeline
did not hold the event yet, so a repeated event (same id) is harmless even outside the inbox.
A page's timeline rows, feed entries, case rows (``RowBatch``) and case records take a few
statements in all, not a few per event; each event's projection runs in the page's order. One
event is a page of one, so the consumer's page and its event-at-a-time fallback (and a
rebuild) share this one path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import asyncpg

from casebus.calendars import CalendarBook
from casebus.consumer import Handler
from casebus.domain.registered import REGISTERED, without_free_text
from casebus.envelope import CloudEvent
from casebus.inbox import ReadAt
from services.reporting.adapters import clock_projection as clocks
from services.reporting.adapters import early_warnings
from services.reporting.adapters import intake_projection as intake
from services.reporting.adapters import office_work_projection as office_work
from services.reporting.adapters import routing_projection as routing
from services.reporting.adapters.accountability_key_cases import KEY_CASE_HANDLERS
from services.reporting.adapters.accountability_projection import BREACH_HANDLERS
from services.reporting.adapters.case_records import fold_into_records
from services.reporting.adapters.event_feed import append_to_feed
from services.reporting.adapters.row_batch import RowBatch
from services.reporting.adapters.timeline import (
    CASE_EVENT_PREFIXES,
    is_case_event,
    keep_in_timeline,
)
from services.reporting.domain.stages import STAGE_AFTER, CaseStage

log = logging.getLogger(__name__)

# What an event changes in the case tables, gathered for the page (``RowBatch``).
Projection = Callable[[RowBatch, CloudEvent], None]


def _stage(stage: CaseStage) -> Projection:
    def project(rows: RowBatch, event: CloudEvent) -> None:
        intake.record_stage(rows, event, stage)
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


@dataclass(frozen=True)
class ReadModels:
    """Applies events to reporting's read models; ``others``: the handlers of events that are
    not about a case (calendar corrections, office work, accountability's own tables)."""
    others: Mapping[str, Handler]

    def __post_init__(self) -> None:
        # A case event goes to the timeline and PROJECTIONS only: a handler of one here would
        # never run.
        if shadowed := sorted(t for t in self.others if t.startswith(CASE_EVENT_PREFIXES)):
            raise ValueError(f"case events are projected, not handled on their own: {shadowed}")

    async def apply_page(self, conn: asyncpg.Connection, events: list[CloudEvent],
                         read_at: Mapping[str, ReadAt] = MappingProxyType({})) -> None:
        """``read_at``: where the consumer read each event (none for a dead letter's replay);
        the case records keep it with each event they fold."""
        # Free text never enters reporting, also from registrations published before v2.
        public = {e.id: _public(e) for e in events if is_case_event(e)}
        kept = await keep_in_timeline(conn, list(public.values()))
        fresh = {e.id for e in kept}
        for event in public.values():
            if event.id not in fresh:
                log.info("event already applied; skipped",
                         extra={"case_id": event.subject, "event_id": event.id})
        # The feed's head before any other row lock: it serialises reporting's transactions
        # until they commit, so every row lock of a transaction is taken after it (one order:
        # no deadlock between topics' pages).
        await append_to_feed(conn, kept)
        rows = RowBatch()
        for event in events:
            if event.id in fresh:
                fresh.discard(event.id)
                if project := PROJECTIONS.get(event.type):
                    project(rows, public[event.id])
            elif not is_case_event(event) and (handler := self.others.get(event.type)):
                await handler(conn, event)  # no case: its own tables, none of the rows'
        await rows.flush(conn)  # the page's case rows, a few statements in all
        await fold_into_records(conn, kept, read_at)  # rates' and rankings' case records

    async def apply(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        await self.apply_page(conn, [event])

    def handlers(self) -> dict[str, Handler]:
        """By event type (the consumer's one-event path and dead-letter replays)."""
        return dict.fromkeys([*PROJECTIONS, *self.others], self.apply)

    @classmethod
    def of(cls, book: CalendarBook) -> ReadModels:
        return cls({**book.handlers, **office_work.HANDLERS,  # no case, no timeline
                    **BREACH_HANDLERS, **KEY_CASE_HANDLERS,  # accountability's: own tables
                    "petition.early-warning.raised.v1": early_warnings.record})


def _public(event: CloudEvent) -> CloudEvent:
    data = without_free_text(event.type, event.data)
    return event if data is event.data else event.model_copy(update={"data": data})


def handlers(book: CalendarBook) -> dict[str, Handler]:
    """The consumer's handlers by event type, the calendar's corrections included."""
    return ReadModels.of(book).handlers()


every_other_event: Handler = ReadModels({}).apply  # still kept in the case's timeline
