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
from services.accountability.service_layer.clock_keeping import ClockKeeping, caused_by, later
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
        keep, at = self.keeping, h.occurred_at
        await clock_index.lock_case(conn, h.case_id)
        await keep.stop(conn, event, clock_id(h.case_id, K.REGISTER_AND_FORWARD), h.district,
                        "forwarded", at)
        await keep.stop_open(conn, event, h.case_id, h.district,
                             (K.NOTIFY_ACCEPTANCE, K.HANDLE_AND_ANSWER), "handed over", at)
        category = h.category or await clock_index.case_category(conn, h.case_id)
        limit = keep.policy(h.district).limit_for(K.NOTIFY_ACCEPTANCE, category)
        await keep.start(conn, event, StartClock(
            clock_id=clock_id(h.case_id, K.NOTIFY_ACCEPTANCE, event.id), case_id=h.case_id,
            district=h.district, kind=K.NOTIFY_ACCEPTANCE, limit=limit, at=at,
            unit_id=h.unit_id, category=category), stated_due=h.acceptance_due)

    async def on_accepted(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        a = Accepted.model_validate(event.data)
        await clock_index.lock_case(conn, a.case_id)
        await self.keeping.stop_open(conn, event, a.case_id, a.district,
                                     (K.NOTIFY_ACCEPTANCE,), "accepted", a.occurred_at)
        # The limit routing applied, counted with the same calendar: due = routing's answer_due.
        await self._start_then_stop_if_answered(conn, event, StartClock(
            clock_id=clock_id(a.case_id, K.HANDLE_AND_ANSWER, event.id), case_id=a.case_id,
            district=a.district, kind=K.HANDLE_AND_ANSWER, at=a.occurred_at,
            limit=Limit(a.answer_limit_days, DayCount.CALENDAR), unit_id=a.unit_id,
            category=await clock_index.case_category(conn, a.case_id)), a.answer_due)

    async def on_returned(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        r = CaseFact.model_validate(event.data)
        await clock_index.lock_case(conn, r.case_id)
        await self.keeping.stop_open(conn, event, r.case_id, r.district,
                                     (K.NOTIFY_ACCEPTANCE,), "returned", r.occurred_at)

    async def on_extension_approved(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        x = ExtensionApproved.model_validate(event.data)
        await clock_index.lock_case(conn, x.case_id)
        for answer_clock in await clock_index.open_clocks(conn, x.case_id,
                                                          (K.HANDLE_AND_ANSWER,)):
            def extend(state: ClockState, answer_clock: str = answer_clock) -> ExtendClock:
                return ExtendClock(clock_id=answer_clock, at=later(x.occurred_at, state),
                                   approved_at=x.occurred_at, days=x.days,
                                   approved_by=x.approver, reason=x.reason)

            state, new = await self.keeping.run(conn, answer_clock, x.district, extend,
                                                caused_by(event))
            if new and state is not None and x.answer_due not in (None, state.due_at):
                self.keeping.log_disagreement(state, x.answer_due, event)

    async def on_supervision_ordered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        s = SupervisionOrdered.model_validate(event.data)
        await clock_index.lock_case(conn, s.case_id)
        if s.limit_days is not None:  # counted like any period: due = the order's due
            limit, set_due = Limit(s.limit_days, s.day_count or DayCount.CALENDAR), None
        else:  # the order names only its due instant: the clock keeps it as it is
            limit, set_due = Limit(limit_days_until(s.occurred_at, s.due), DayCount.CALENDAR), s.due
        await self._start_then_stop_if_answered(conn, event, StartClock(
            clock_id=clock_id(s.case_id, K.SUPERVISION, s.order_id), case_id=s.case_id,
            district=s.district, kind=K.SUPERVISION, at=s.occurred_at, limit=limit,
            unit_id=s.unit_id, due_at=set_due), s.due)

    async def on_assignment_closed(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        c = CaseFact.model_validate(event.data)
        await clock_index.lock_case(conn, c.case_id)
        await self.keeping.stop_open(conn, event, c.case_id, c.district, None,
                                     "case concluded", c.occurred_at)

    async def _start_then_stop_if_answered(self, conn: asyncpg.Connection, event: CloudEvent,
                                           start: StartClock, stated_due: datetime) -> None:
        state = await self.keeping.start(conn, event, start, stated_due)
        answered = await clock_index.answered_since(conn, start.case_id, start.at)
        if answered is not None and state is not None and state.phase is not ClockPhase.STOPPED:
            await self.keeping.stop(conn, event, start.clock_id, start.district, "answered",
                                    answered)


def limit_days_until(start: datetime, due: datetime) -> int:
    """The calendar days from ``start`` to the last day before ``due`` (at least 1)."""
    last: date = (due.astimezone(CHINA_TZ) - timedelta(microseconds=1)).date()
    return max(1, (last - start.astimezone(CHINA_TZ).date()).days)
