"""The clocks routing's events start, stop and extend (Art. 22, 23, 34; supervision orders).

Routing's events of one case come in order, but intake's may come before or after them: an
answer read before the acceptance it follows stops the answer clock as soon as it starts
(``case_answers``), and routing's ``assignment-closed`` (its reaction to a conclusion) stops
what a late handover started after intake's conclusion was read.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import asyncpg

from casebus.consumer import Handler
from casebus.domain.clock_events import ExtendClock, StartClock
from casebus.domain.clocks import ClockPhase, ClockState
from casebus.domain.deadlines import CHINA_TZ, ClockKind, DayCount, Limit
from casebus.envelope import CloudEvent
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clock_ids import clock_id
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.clocks_of_case import (
    ClocksOfCase,
    caused_by,
    later,
    log_disagreement,
)
from services.accountability.service_layer.event_views import (
    Accepted,
    CaseFact,
    ExtensionApproved,
    Handover,
    SupervisionOrdered,
)

K = ClockKind
HANDOVERS = ("assigned", "rerouted", "transferred", "escalated", "reopened")


class RoutingReactions:
    def __init__(self, keeping: ClockKeeping) -> None:
        self.keeping = keeping

    @property
    def handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {f"petition.case.{h}.v1": self.on_handover
                                        for h in HANDOVERS}
        return handlers | {
            "petition.case.accepted.v1": self.on_accepted,
            "petition.case.returned.v1": self.on_returned,
            "petition.case.extension-approved.v1": self.on_extension_approved,
            "petition.case.supervision-ordered.v1": self.on_supervision_ordered,
            "petition.case.assignment-closed.v1": self.on_assignment_closed,
        }

    async def on_handover(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        """A handover restarts the Art. 23 clocks: the new unit's notify-acceptance clock."""
        h = Handover.model_validate(event.data)
        async with self.keeping.of_case(conn, h.case_id) as clocks:
            at = h.occurred_at
            await clocks.stop(event, clock_id(h.case_id, K.REGISTER_AND_FORWARD), h.district,
                              "forwarded", at)
            await clocks.stop_open(event, h.district, (K.NOTIFY_ACCEPTANCE, K.HANDLE_AND_ANSWER),
                                   "handed over", at)
            category = h.category or clocks.category()
            limit = self.keeping.policy(h.district).limit_for(K.NOTIFY_ACCEPTANCE, category)
            await clocks.start(event, StartClock(
                clock_id=clock_id(h.case_id, K.NOTIFY_ACCEPTANCE, event.id), case_id=h.case_id,
                district=h.district, kind=K.NOTIFY_ACCEPTANCE, limit=limit, at=at,
                unit_id=h.unit_id, category=category), stated_due=h.acceptance_due)

    async def on_accepted(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        a = Accepted.model_validate(event.data)
        async with self.keeping.of_case(conn, a.case_id) as clocks:
            await clocks.stop_open(event, a.district, (K.NOTIFY_ACCEPTANCE,), "accepted",
                                   a.occurred_at)
            # The limit routing applied, counted with the same calendar: due = answer_due.
            await _start_then_stop_if_answered(clocks, event, StartClock(
                clock_id=clock_id(a.case_id, K.HANDLE_AND_ANSWER, event.id), case_id=a.case_id,
                district=a.district, kind=K.HANDLE_AND_ANSWER, at=a.occurred_at,
                limit=Limit(a.answer_limit_days, DayCount.CALENDAR), unit_id=a.unit_id,
                category=clocks.category()), a.answer_due)

    async def on_returned(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        r = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, r.case_id) as clocks:
            await clocks.stop_open(event, r.district, (K.NOTIFY_ACCEPTANCE,), "returned",
                                   r.occurred_at)

    async def on_extension_approved(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        x = ExtensionApproved.model_validate(event.data)
        async with self.keeping.of_case(conn, x.case_id) as clocks:
            for answer_clock in clocks.open((K.HANDLE_AND_ANSWER,)):
                def extend(state: ClockState, answer_clock: str = answer_clock) -> ExtendClock:
                    return ExtendClock(clock_id=answer_clock, at=later(x.occurred_at, state),
                                       approved_at=x.occurred_at, days=x.days,
                                       approved_by=x.approver, reason=x.reason)

                state, new = await clocks.run(answer_clock, x.district, extend, caused_by(event))
                if new and state is not None and x.answer_due not in (None, state.due_at):
                    log_disagreement(state, x.answer_due, event)

    async def on_supervision_ordered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        s = SupervisionOrdered.model_validate(event.data)
        if s.limit_days is not None:  # counted like any period: due = the order's due
            limit, set_due = Limit(s.limit_days, s.day_count or DayCount.CALENDAR), None
        else:  # the order names only its due instant: the clock keeps it as it is
            limit, set_due = Limit(limit_days_until(s.occurred_at, s.due), DayCount.CALENDAR), s.due
        async with self.keeping.of_case(conn, s.case_id) as clocks:
            await _start_then_stop_if_answered(clocks, event, StartClock(
                clock_id=clock_id(s.case_id, K.SUPERVISION, s.order_id), case_id=s.case_id,
                district=s.district, kind=K.SUPERVISION, at=s.occurred_at, limit=limit,
                unit_id=s.unit_id, due_at=set_due), s.due)

    async def on_assignment_closed(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        c = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, c.case_id) as clocks:
            await clocks.stop_open(event, c.district, None, "case concluded", c.occurred_at)


async def _start_then_stop_if_answered(clocks: ClocksOfCase, event: CloudEvent,
                                       start: StartClock, stated_due: datetime) -> None:
    state = await clocks.start(event, start, stated_due)
    answered = await clock_index.answered_since(clocks.conn, start.case_id, start.at)
    if answered is not None and state is not None and state.phase is not ClockPhase.STOPPED:
        await clocks.stop(event, start.clock_id, start.district, "answered", answered)


def limit_days_until(start: datetime, due: datetime) -> int:
    """The calendar days from ``start`` to the last day before ``due`` (at least 1)."""
    last: date = (due.astimezone(CHINA_TZ) - timedelta(microseconds=1)).date()
    return max(1, (last - start.astimezone(CHINA_TZ).date()).days)
