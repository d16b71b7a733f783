"""Keeping the deadline clocks of each case, from intake's and routing's public events.

The walking skeleton keeps two clocks: register-and-forward (from receipt, stopped when the
case is assigned) and notify-acceptance (from assignment). Intake's and routing's topics are
read independently, so an assignment may arrive before its registration; the clocks are kept
right either way. Warnings and breaches come with the deadline watcher in a later issue.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import ClockCommand, StartClock, StopClock
from casebus.domain.clocks import ClockPhase, evolve, initial_state
from casebus.domain.deadlines import ClockKind, DeadlinePolicy
from casebus.domain.decider import fold
from casebus.domain.events import DomainEvent
from casebus.envelope import CloudEvent
from casebus.repository import EventSourcedRepository, Metadata


class RegisteredView(BaseModel):
    model_config = ConfigDict(extra="ignore")
    case_id: str
    district: str
    category: str
    received_at: AwareDatetime


class AssignedView(BaseModel):
    model_config = ConfigDict(extra="ignore")
    case_id: str
    district: str
    category: str
    unit_id: str
    occurred_at: AwareDatetime


def clock_id(case_id: str, kind: ClockKind) -> str:
    return f"clock:{case_id}:{kind}"


class ClockKeeping:
    def __init__(self, repository: EventSourcedRepository) -> None:
        self.repository = repository

    async def on_petition_registered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        p = RegisteredView.model_validate(event.data)
        kind = ClockKind.REGISTER_AND_FORWARD
        await self._command(conn, event, p.district, StartClock(
            clock_id=clock_id(p.case_id, kind), case_id=p.case_id, district=p.district,
            kind=kind, at=p.received_at, category=p.category,
            limit=DeadlinePolicy(p.district).limit_for(kind, p.category)))
        assigned_at = await self._started_at(conn, p.case_id, ClockKind.NOTIFY_ACCEPTANCE)
        if assigned_at is not None:  # the assignment was read first
            await self._stop_forwarding(conn, event, p.district, p.case_id, assigned_at)

    async def on_case_assigned(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        a = AssignedView.model_validate(event.data)
        kind = ClockKind.NOTIFY_ACCEPTANCE
        await self._command(conn, event, a.district, StartClock(
            clock_id=clock_id(a.case_id, kind), case_id=a.case_id, district=a.district,
            kind=kind, at=a.occurred_at, unit_id=a.unit_id, category=a.category,
            limit=DeadlinePolicy(a.district).limit_for(kind, a.category)))
        if await self._started_at(conn, a.case_id, ClockKind.REGISTER_AND_FORWARD):
            await self._stop_forwarding(conn, event, a.district, a.case_id, a.occurred_at)

    async def _stop_forwarding(self, conn: asyncpg.Connection, event: CloudEvent,
                               district: str, case_id: str, at: datetime) -> None:
        await self._command(conn, event, district, StopClock(
            clock_id=clock_id(case_id, ClockKind.REGISTER_AND_FORWARD), at=at,
            outcome="forwarded"))

    async def _started_at(self, conn: asyncpg.Connection, case_id: str,
                          kind: ClockKind) -> datetime | None:
        history = await self.repository.load(clock_id(case_id, kind), conn)
        clock = fold(evolve, initial_state(), history)  # type: ignore[arg-type]
        return clock.started_at if clock is not None else None

    async def _command(self, conn: asyncpg.Connection, cause: CloudEvent, district: str,
                       command: ClockCommand) -> None:
        decider = ClockDecider(WorkingDayCalendar(district=district))

        def decide(history: list[DomainEvent]) -> list[DomainEvent]:
            state = fold(evolve, initial_state(), history)  # type: ignore[arg-type]
            if isinstance(command, StopClock) and (state is None or
                                                   state.phase is ClockPhase.STOPPED):
                return []
            return list(decider.decide(state, command))

        await self.repository.execute(command.clock_id, decide, Metadata(
            actor="system:accountability", correlation_id=cause.correlationid,
            causation_id=cause.id), conn=conn)


