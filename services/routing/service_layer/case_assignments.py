"""Deciding a command on a case's assignment: load, decide with the district's calendar,
append (with the outbox) in the caller's transaction.

A command may bring a follow-up decided in the same append: after a return the case is routed
again at once, so no instant exists where it is returned but could have been re-routed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from casebus.calendars import CalendarBook
from casebus.clock import Clock
from casebus.domain.deadlines import DeadlinePolicy
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.routing.adapters.published_rules import PublishedRulesBook
from services.routing.domain import assignment
from services.routing.domain.assignment import AssignmentState
from services.routing.domain.commands import CaseCommand
from services.routing.domain.events import CaseEvent
from services.routing.domain.routing_rules import RoutingRules
from services.routing.domain.rule_document import Unit

FollowUp = Callable[[AssignmentState], CaseCommand | None]
# A case as this transaction already read it: its state and its stream's version.
Known = tuple[AssignmentState, int]


def case_events(history: list[DomainEvent]) -> list[CaseEvent]:
    return [e for e in history if isinstance(e, CaseEvent)]


def fold_state(events: list[CaseEvent],
               state: AssignmentState | None = None) -> AssignmentState:
    return fold(assignment.evolve, state or assignment.initial_state(), events)


@dataclass(frozen=True)
class CaseContext:
    """What a request about a case is decided with: its state, the district's current rules
    and the moment."""

    state: AssignmentState
    rules: RoutingRules | None
    at: datetime
    version: int  # the case stream's version the state is of

    @property
    def known(self) -> Known:
        return self.state, self.version

    def unit(self, unit_id: str) -> Unit:
        """The district's unit ``unit_id``, refused ("unit-known") if its rules name none."""
        if self.rules is None:
            raise DomainRuleViolation("unit-known", f"the district has no routing rules, so no "
                                                    f"unit {unit_id!r}")
        return self.rules.unit(unit_id)


class CaseAssignments:
    def __init__(self, repository: EventSourcedRepository, rules: PublishedRulesBook,
                 calendars: CalendarBook, clock: Clock) -> None:
        self.repository = repository
        self.rules = rules
        self.calendars = calendars
        self.clock = clock

    async def events(self, case_id: str,
                     conn: asyncpg.Connection | None = None) -> list[CaseEvent]:
        return case_events(await self.repository.load(case_id, conn))

    async def known(self, case_id: str, conn: asyncpg.Connection | None = None) -> Known:
        history = await self.repository.load(case_id, conn)
        return fold_state(case_events(history)), len(history)

    async def state(self, case_id: str,
                    conn: asyncpg.Connection | None = None) -> AssignmentState:
        return (await self.known(case_id, conn))[0]

    async def context(self, case_id: str, conn: asyncpg.Connection) -> CaseContext:
        state, version = await self.known(case_id, conn)
        rules = await self.rules.current(state.district, conn) if state.district else None
        return CaseContext(state, rules, self.clock.now(), version)

    async def execute(self, conn: asyncpg.Connection, command: CaseCommand, metadata: Metadata,
                      then: FollowUp | None = None, on: Known | None = None) -> list[CaseEvent]:
        """Decide ``command`` (and its follow-up, if any) on the case (``on``: as this
        transaction already read it; None: load it) and append the events. A stream that
        moved on meanwhile is a ``ConcurrencyError``: the caller's transaction is retried."""
        calendar = await self.calendars.calendar(command.district, conn)
        policy = DeadlinePolicy(command.district)
        state, version = on if on is not None else await self.known(command.case_id, conn)
        new = assignment.decide(state, command, calendar, policy)
        follow_up = then(fold_state(new, state)) if then is not None else None
        if follow_up is not None:
            new = [*new, *assignment.decide(fold_state(new, state), follow_up, calendar, policy)]
        await self.repository.append(command.case_id, version, new, metadata, conn)
        return case_events(list(new))
