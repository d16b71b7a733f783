"""Running one command on a case: load it, decide on the district's calendar, append, and keep
intake's own tables in line, all on the caller's connection (one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from casebus.calendars import CalendarBook
from casebus.clock import Clock
from casebus.domain.decider import fold
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.intake.adapters import repeat_suggestions
from services.intake.domain import IntakeRules, PetitionState, current_state, decide, evolve
from services.intake.domain.commands import CaseCommand
from services.intake.domain.events import CaseEvent

Visibility = Callable[[PetitionState], None]  # raises if the caller may not see the case
MakeCommand = Callable[..., CaseCommand]  # called with case_id, district and at


@dataclass(frozen=True)
class Decided:
    """What a command recorded and the case after it."""

    events: tuple[CaseEvent, ...]
    state: PetitionState

    def then(self, later: Decided) -> Decided:
        return Decided(self.events + later.events, later.state)


class CaseHandling:
    def __init__(self, repository: EventSourcedRepository, book: CalendarBook,
                 clock: Clock) -> None:
        self.repository = repository
        self.book = book
        self.clock = clock

    async def state(self, conn: asyncpg.Connection, case_id: str) -> PetitionState:
        return current_state(await self.repository.load(case_id, conn))

    async def rules(self, conn: asyncpg.Connection, district: str) -> IntakeRules:
        """The district's calendar for every window (evaluation, review, closing)."""
        return IntakeRules(calendar=await self.book.calendar(district, conn))

    async def run(self, conn: asyncpg.Connection, *, case_id: str, district: str,
                  metadata: Metadata, visible: Visibility, make: MakeCommand) -> Decided:
        """A command issued now by a person: the case must be visible to them."""
        state = await self.state(conn, case_id)
        visible(state)
        # Never before the case's last event, whatever the skew of another service's clock
        # (a unit's acceptance keeps routing's time).
        at = max(self.clock.now(), state.last_at or self.clock.now())
        command = make(case_id=case_id, district=district, at=at)
        return await self.decide(conn, command, metadata)

    async def decide(self, conn: asyncpg.Connection, command: CaseCommand,
                     metadata: Metadata) -> Decided:
        rules = await self.rules(conn, command.district)
        decided_on: list[PetitionState] = []

        def decision(history: list[DomainEvent]) -> list[DomainEvent]:
            before = current_state(history)
            decided_on.append(before)
            return decide(before, command, rules)

        new = await self.repository.execute(command.case_id, decision, metadata, conn=conn)
        before = decided_on[-1]
        after = fold(evolve, before, new)
        await repeat_suggestions.project(conn, after, new, was_new=before.last_at is None)
        return Decided(tuple(e for e in new if isinstance(e, CaseEvent)), after)
