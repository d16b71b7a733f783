"""Running one command on a reception day or a service-work record: load its stream, fold it,
let the domain decide, append, on the caller's connection (one transaction)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from casebus.domain.decider import fold
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.intake.domain import current_state, reception_days, service_work
from services.intake.domain.events import CaseEvent
from services.intake.domain.reception_days import ReceptionDay
from services.intake.domain.reception_decisions import RegisteredCase
from services.intake.domain.service_work import ServiceWork
from services.intake.service_layer.cases import CaseHandling

S = TypeVar("S")


class OfficeRecords:
    def __init__(self, repository: EventSourcedRepository, cases: CaseHandling) -> None:
        self.repository = repository
        self.cases = cases

    async def registered_case(self, conn: asyncpg.Connection,
                              case_id: str) -> RegisteredCase | None:
        """The case a reception's outcome names, if registered. Any other stream (a reception
        day's, a petitioner's erasure) is no case."""
        events = await self.repository.load(case_id, conn)
        if not events or not all(isinstance(e, CaseEvent) for e in events):
            return None
        state = current_state(events)
        if state.registered_at is None or state.district is None:
            return None
        return RegisteredCase(state.district, state.channel)

    async def reception_day(self, conn: asyncpg.Connection, stream: str) -> ReceptionDay:
        return fold(reception_days.evolve, ReceptionDay(),
                    await self.repository.load(stream, conn))

    async def service_work(self, conn: asyncpg.Connection, stream: str) -> ServiceWork:
        return fold(service_work.evolve, ServiceWork(), await self.repository.load(stream, conn))

    async def decide_reception_day(
            self, conn: asyncpg.Connection, stream: str, metadata: Metadata,
            decide: Callable[[ReceptionDay], Sequence[DomainEvent]]) -> dict[str, Any]:
        return await self._run(conn, stream, metadata, reception_days.evolve, ReceptionDay(),
                               decide)

    async def decide_service_work(
            self, conn: asyncpg.Connection, stream: str, metadata: Metadata,
            decide: Callable[[ServiceWork], Sequence[DomainEvent]]) -> dict[str, Any]:
        return await self._run(conn, stream, metadata, service_work.evolve, ServiceWork(),
                               decide)

    async def _run(self, conn: asyncpg.Connection, stream: str, metadata: Metadata,
                   evolve: Callable[[S, DomainEvent], S], initial: S,
                   decide: Callable[[S], Sequence[DomainEvent]]) -> dict[str, Any]:
        def decision(history: list[DomainEvent]) -> Sequence[DomainEvent]:
            return decide(fold(evolve, initial, history))

        new = await self.repository.execute(stream, decision, metadata, conn=conn)
        return {"events": [e.wire_type() for e in new]}
