"""The clocks intake's events start, stop, pause and resume (Art. 22, 34-36, conclusions).

Intake's events of one case come in order; routing's may come before or after them, so the
forwarding clock is stopped at the first handover even when the handover was read first, and
an answer is remembered for the answer clock a late acceptance starts (``case_answers``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import asyncpg

from casebus.consumer import Handler
from casebus.domain.clock_events import ClockCommand, PauseClock, ResumeClock, StartClock
from casebus.domain.clocks import ClockState
from casebus.domain.deadlines import ClockKind
from casebus.domain.registered import REGISTERED
from casebus.envelope import CloudEvent
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clock_ids import clock_id
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.clocks_of_case import ClocksOfCase, caused_by, later
from services.accountability.service_layer.event_views import CaseFact, Registered

K = ClockKind
# Terminal for the petition: every clock of the case stops.
CONCLUSIONS = ("not-accepted", "merged", "closed", "withdrawn",
               "transferred-to-discipline-inspection")


class IntakeReactions:
    def __init__(self, keeping: ClockKeeping) -> None:
        self.keeping = keeping

    @property
    def handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {f"petition.case.{c}.v1": self.on_concluded
                                        for c in CONCLUSIONS}
        return handlers | {
            **dict.fromkeys(REGISTERED, self.on_registered),
            "petition.case.answered.v1": self.on_answered,
            "petition.case.review-requested.v1": self.on_review_requested,
            "petition.case.review-decided.v1": self.on_review_decided,
            "petition.case.reexamination-requested.v1": self.on_reexamination_requested,
            "petition.case.hearing-started.v1": self.on_hearing_started,
            "petition.case.hearing-ended.v1": self.on_hearing_ended,
            "petition.case.reexamination-decided.v1": self.on_reexamination_decided,
        }

    async def on_registered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        p = Registered.model_validate(event.data)
        async with self.keeping.of_case(conn, p.case_id) as clocks:
            await self._start(clocks, event, p, K.REGISTER_AND_FORWARD, p.category,
                              p.received_at)
            handed_over = clocks.first_started(K.NOTIFY_ACCEPTANCE)
            if handed_over is not None:  # the handover was read first
                await clocks.stop(event, clock_id(p.case_id, K.REGISTER_AND_FORWARD),
                                  p.district, "forwarded", handed_over)

    async def on_answered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        a = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, a.case_id) as clocks:
            await clock_index.record_answer(conn, a.case_id, event.id, a.occurred_at)
            await clocks.stop_open(event, a.district, (K.HANDLE_AND_ANSWER, K.SUPERVISION),
                                   "answered", a.occurred_at)

    async def on_review_requested(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        r = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, r.case_id) as clocks:
            await self._start(clocks, event, r, K.REVIEW_DECISION, None, r.occurred_at)

    async def on_review_decided(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        await self._stop(conn, event, K.REVIEW_DECISION, "decided")

    async def on_reexamination_requested(self, conn: asyncpg.Connection,
                                         event: CloudEvent) -> None:
        r = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, r.case_id) as clocks:
            await self._start(clocks, event, r, K.REEXAMINATION_DECISION, None, r.occurred_at)

    async def on_hearing_started(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        # Art. 36: hearing time is not counted.
        await self._act(conn, event, lambda cid, at: PauseClock(clock_id=cid, at=at,
                                                                reason="hearing"))

    async def on_hearing_ended(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        await self._act(conn, event, lambda cid, at: ResumeClock(clock_id=cid, at=at))

    async def on_reexamination_decided(self, conn: asyncpg.Connection,
                                       event: CloudEvent) -> None:
        await self._stop(conn, event, K.REEXAMINATION_DECISION, "decided")

    async def on_concluded(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        c = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, c.case_id) as clocks:
            await clocks.stop_open(event, c.district, None, "case concluded", c.occurred_at)

    async def _start(self, clocks: ClocksOfCase, event: CloudEvent, fact: CaseFact,
                     kind: ClockKind, category: str | None, at: datetime) -> None:
        await clocks.start(event, StartClock(
            clock_id=clock_id(fact.case_id, kind), case_id=fact.case_id,
            district=fact.district, kind=kind, at=at, category=category,
            limit=self.keeping.policy(fact.district).limit_for(kind, category)))

    async def _stop(self, conn: asyncpg.Connection, event: CloudEvent, kind: ClockKind,
                    outcome: str) -> None:
        d = CaseFact.model_validate(event.data)
        async with self.keeping.of_case(conn, d.case_id) as clocks:
            await clocks.stop(event, clock_id(d.case_id, kind), d.district, outcome,
                              d.occurred_at)

    async def _act(self, conn: asyncpg.Connection, event: CloudEvent,
                   command: Callable[[str, datetime], ClockCommand]) -> None:
        h = CaseFact.model_validate(event.data)
        reexamination = clock_id(h.case_id, K.REEXAMINATION_DECISION)

        def intent(state: ClockState) -> ClockCommand | None:
            return None if state is None else command(reexamination, later(h.occurred_at, state))

        async with self.keeping.of_case(conn, h.case_id) as clocks:
            await clocks.run(reexamination, h.district, intent, caused_by(event))
