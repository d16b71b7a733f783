"""Running clock commands as reactions: one clock stream per clock, its ``clocks`` row written
in the same transaction (``adapters.clock_index``), the district's calendar and policy.

Reactions must be idempotent and tolerant, because intake's and routing's topics are read
independently and any event may come twice (see ``intake_reactions``, ``routing_reactions``):
- a start of a clock that exists, a stop of a clock not started or already stopped, does nothing;
- a refused command (e.g. a resumption of a clock that is not paused) is logged and skipped:
  the fact is true elsewhere, so dead-lettering it would only stop the partition;
- a command whose time is before the clock's last event is recorded at that event's time
  (clamped): the stream's times must run forward, and a later event of the clock (the watcher's
  breach, or a fact read first from the other topic) does not make the earlier fact false.
  Whether a stop was on time, or an extension approved before due, is judged by the fact's own
  time (``StopClock.done_at``, ``ExtendClock.approved_at``), not by the clamped one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

import asyncpg

from casebus.calendars import CalendarBook
from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import ClockCommand, ClockEvent, StartClock, StopClock
from casebus.domain.clocks import Clock, ClockPhase, ClockState, evolve, initial_state
from casebus.domain.deadlines import ClockKind, DeadlinePolicy
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.envelope import CloudEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.accountability.adapters import clock_index

log = logging.getLogger(__name__)

# Given the clock as it stands (None: not started), the command to run, or None for nothing.
Intent = Callable[[ClockState], ClockCommand | None]


class ClockKeeping:
    def __init__(self, repository: EventSourcedRepository, calendars: CalendarBook,
                 policies: Callable[[str], DeadlinePolicy] = DeadlinePolicy) -> None:
        self.repository = repository
        self.calendars = calendars
        self.policy = policies  # the district's limits and warning lead

    async def decider(self, conn: asyncpg.Connection, district: str) -> ClockDecider:
        return ClockDecider(await self.calendars.calendar(district, conn),
                            warn_working_days=self.policy(district).warn_working_days)

    async def run(self, conn: asyncpg.Connection, clock_id: str, district: str, intent: Intent,
                  metadata: Metadata) -> tuple[ClockState, list[ClockEvent]]:
        """Lock the clock, decide ``intent`` on its history, append, and update its row."""
        await clock_index.lock_clock(conn, clock_id)
        decider = await self.decider(conn, district)
        seen: list[DomainEvent] = []

        def decision(history: list[DomainEvent]) -> list[ClockEvent]:
            seen[:] = history
            state = _fold(history)
            command = intent(state)
            if command is None:
                return []
            try:
                return decider.decide(state, command)
            except DomainRuleViolation as refused:  # a refused start is never harmless
                level = logging.WARNING if isinstance(command, StartClock) else logging.INFO
                log.log(level, "clock command skipped: %s", refused, extra={
                    "clock_id": clock_id, "rule": refused.rule, "command": type(command).__name__})
                return []

        new = [e for e in await self.repository.execute(clock_id, decision, metadata, conn=conn)
               if isinstance(e, ClockEvent)]
        state = _fold([*seen, *new])
        if state is not None:  # also when nothing is new: the row follows the stream
            await clock_index.save(conn, state, len(seen) + len(new))
        for e in new:  # in the transaction: a rollback may undo it (the inbox retries)
            log.info("clock %s", e.type_name.removeprefix("petition.clock."), extra={
                "case_id": e.case_id, "clock_id": e.clock_id,
                "causation_id": metadata.causation_id})
        return state, new

    async def start(self, conn: asyncpg.Connection, cause: CloudEvent, command: StartClock,
                    stated_due: datetime | None = None) -> ClockState:
        """Start the clock unless it exists. ``stated_due``: the deadline the owning service
        told people (routing's ``answer_due``...); the clock counts with the same calendar, so
        a difference means a calendar correction reached one service first: logged."""
        state, new = await self.run(conn, command.clock_id, command.district,
                                    lambda s: command if s is None else None, caused_by(cause))
        if new and state is not None and stated_due is not None and stated_due != state.due_at:
            self.log_disagreement(state, stated_due, cause)
        return state

    def log_disagreement(self, clock: Clock, stated_due: datetime, cause: CloudEvent) -> None:
        log.warning("clock due %s differs from the %s stated by %s", clock.due_at.isoformat(),
                    stated_due.isoformat(), cause.type, extra=_ids(clock, cause))

    async def stop(self, conn: asyncpg.Connection, cause: CloudEvent, clock_id: str,
                   district: str, outcome: str, at: datetime) -> None:
        def intent(state: ClockState) -> ClockCommand | None:
            if state is None or state.phase is ClockPhase.STOPPED:
                return None
            return StopClock(clock_id=clock_id, at=later(at, state), done_at=at,
                             outcome=outcome)

        await self.run(conn, clock_id, district, intent, caused_by(cause))

    async def stop_open(self, conn: asyncpg.Connection, cause: CloudEvent, case_id: str,
                        district: str, kinds: Iterable[ClockKind] | None, outcome: str,
                        at: datetime) -> None:
        """Stop the case's running or paused clocks of ``kinds`` (None: all of them)."""
        for clock_id in await clock_index.open_clocks(conn, case_id, kinds):
            await self.stop(conn, cause, clock_id, district, outcome, at)


def caused_by(cause: CloudEvent) -> Metadata:
    return Metadata(actor="system:accountability", correlation_id=cause.correlationid,
                    causation_id=cause.id)


def later(at: datetime, state: ClockState) -> datetime:
    """``at``, or the clock's last event time if that is later (see the module docstring)."""
    return at if state is None else max(at, state.last_at)


def _fold(history: list[DomainEvent]) -> ClockState:
    return fold(evolve, initial_state(), [e for e in history if isinstance(e, ClockEvent)])


def _ids(clock: Clock, cause: CloudEvent) -> dict[str, str]:
    return {"case_id": clock.case_id, "clock_id": clock.clock_id, "event_id": cause.id}
