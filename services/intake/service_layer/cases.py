"""Running one command on a case: load it, decide on the district's calendar, append, and keep
intake's own tables in line, all on the caller's connection (one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from casebus.calendars import CalendarBook
from casebus.clock import Clock
from casebus.domain.decider import fold
from casebus.repository import EventSourcedRepository, Metadata
from services.intake.adapters import repeat_suggestions
from services.intake.domain import IntakeRules, PetitionState, current_state, decide, evolve
from services.intake.domain.commands import CaseCommand
from services.intake.domain.events import CaseEvent

Visibility = Callable[[PetitionState], None]  # raises if the caller may not see the case
MakeCommand = Callable[..., CaseCommand]  # called with case_id, district and at


@dataclass(frozen=True)
class Decided:
    """What a command recorded and the case after it (its state and stream version)."""

    events: tuple[CaseEvent, ...]
    state: PetitionState
    version: int

    def then(self, later: Decided) -> Decided:
        return Decided(self.events + later.events, later.state, later.version)

    @property
    def known(self) -> Known:
        return self.state, self.version


# A case as this transaction already knows it: its state and its stream's version.
Known = tuple[PetitionState, int]
NEW_CASE: Known = (current_state([]), 0)  # an id just made up: no events yet


class CaseHandling:
    def __init__(self, repository: EventSourcedRepository, book: CalendarBook,
                 clock: Clock) -> None:
        self.repository = repository
        self.book = book
        self.clock = clock

    async def state(self, conn: asyncpg.Connection, case_id: str) -> PetitionState:
        return (await self.known(conn, case_id))[0]

    async def known(self, conn: asyncpg.Connection, case_id: str) -> Known:
        history = await self.repository.load(case_id, conn)
        return current_state(history), len(history)

    async def rules(self, conn: asyncpg.Connection, district: str) -> IntakeRules:
        """The district's calendar for every window (evaluation, review, closing)."""
        return IntakeRules(calendar=await self.book.calendar(district, conn))

    async def run(self, conn: asyncpg.Connection, *, case_id: str, district: str,
                  metadata: Metadata, visible: Visibility, make: MakeCommand) -> Decided:
        """A command issued now by a person: the case must be visible to them."""
        state, version = await self.known(conn, case_id)
        visible(state)
        # Never before the case's last event, whatever the skew of another service's clock
        # (a unit's acceptance keeps routing's time).
        at = max(self.clock.now(), state.last_at or self.clock.now())
        command = make(case_id=case_id, district=district, at=at)
        return await self.decide(conn, command, metadata, on=(state, version))

    async def decide(self, conn: asyncpg.Connection, command: CaseCommand, metadata: Metadata,
                     on: Known | None = None) -> Decided:
        """Decide ``command`` on the case (``on``: as this transaction already read it; None:
        load it) and append. A stream that moved on meanwhile is a ``ConcurrencyError``: the
        caller's transaction is tried again from the start (``casebus.commands``)."""
        rules = await self.rules(conn, command.district)
        before, version = on if on is not None else await self.known(conn, command.case_id)
        new = decide(before, command, rules)
        await self.repository.append(command.case_id, version, new, metadata, conn)
        after = fold(evolve, before, new)
        await repeat_suggestions.project(conn, after, new, was_new=version == 0)
        return Decided(tuple(e for e in new if isinstance(e, CaseEvent)), after,
                       version + len(new))
