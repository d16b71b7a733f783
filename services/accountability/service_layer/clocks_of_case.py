"""One case's clocks, loaded together under the case's lock (``ClockKeeping.of_case``): the
commands of one event decide on them in memory, append to each clock's stream, and leave the
``clocks`` rows to be written once at the end."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import ClockCommand, ClockEvent, StartClock, StopClock
from casebus.domain.clocks import Clock, ClockPhase, ClockState, evolve, initial_state
from casebus.domain.deadlines import ClockKind
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.envelope import CloudEvent
from casebus.repository import Metadata

if TYPE_CHECKING:
    from services.accountability.service_layer.clock_keeping import ClockKeeping

log = logging.getLogger(__name__)

# Given the clock as it stands (None: not started), the command to run, or None for nothing.
Intent = Callable[[ClockState], ClockCommand | None]
# Each clock as its stream stands, and the stream's version (its number of events).
FoldedClocks = dict[str, tuple[ClockState, int]]
_OPEN = (ClockPhase.RUNNING, ClockPhase.PAUSED)


class ClocksOfCase:
    def __init__(self, keeping: ClockKeeping, conn: asyncpg.Connection, case_id: str,
                 clocks: FoldedClocks) -> None:
        self.keeping = keeping
        self.conn = conn
        self.case_id = case_id
        self._clocks = dict(clocks)
        self._touched: set[str] = set()
        self._deciders: dict[str, ClockDecider] = {}

    def state(self, clock_id: str) -> ClockState:
        return self._clocks.get(clock_id, (None, 0))[0]

    def open(self, kinds: Iterable[ClockKind] | None = None) -> list[str]:
        """The running or paused clocks (of ``kinds``; None: every kind), oldest first."""
        wanted = None if kinds is None else set(kinds)
        found = [c for c in self._all() if c.phase in _OPEN
                 and (wanted is None or c.kind in wanted)]
        return [c.clock_id for c in sorted(found, key=lambda c: (c.started_at, c.clock_id))]

    def first_started(self, kind: ClockKind) -> datetime | None:
        return min((c.started_at for c in self._all() if c.kind is kind), default=None)

    def category(self) -> str | None:
        """The category of the case's first clock that has one."""
        known = sorted((c.started_at, c.clock_id, c.category) for c in self._all() if c.category)
        return known[0][2] if known else None

    def as_they_stand(self) -> FoldedClocks:
        return dict(self._clocks)

    def touched(self) -> list[tuple[Clock, int]]:
        """The clocks commands ran on, for their rows (also when nothing was new: the row
        follows the stream)."""
        rows = [self._clocks[c] for c in sorted(self._touched)]
        return [(clock, version) for clock, version in rows if clock is not None]

    async def run(self, clock_id: str, district: str, intent: Intent,
                  metadata: Metadata) -> tuple[ClockState, list[ClockEvent]]:
        """Decide ``intent`` on the clock as it stands and append what it decides."""
        state, version = self._clocks.get(clock_id, (None, 0))
        command = intent(state)
        new = [] if command is None else await self._decide(clock_id, district, state, command)
        await self.keeping.repository.append(clock_id, version, new, metadata, self.conn)
        state = fold(evolve, state, new)
        self._clocks[clock_id] = (state, version + len(new))
        self._touched.add(clock_id)
        for e in new:  # in the transaction: a rollback may undo it (the inbox retries)
            log.info("clock %s", e.type_name.removeprefix("petition.clock."), extra={
                "case_id": e.case_id, "clock_id": e.clock_id,
                "causation_id": metadata.causation_id})
        return state, new

    async def start(self, cause: CloudEvent, command: StartClock,
                    stated_due: datetime | None = None) -> ClockState:
        """Start the clock unless it exists. ``stated_due``: the deadline the owning service
        told people (routing's ``answer_due``...); the clock counts with the same calendar, so
        a difference means a calendar correction reached one service first: logged."""
        state, new = await self.run(command.clock_id, command.district,
                                    lambda s: command if s is None else None, caused_by(cause))
        if new and state is not None and stated_due is not None and stated_due != state.due_at:
            log_disagreement(state, stated_due, cause)
        return state

    async def stop(self, cause: CloudEvent, clock_id: str, district: str, outcome: str,
                   at: datetime) -> None:
        def intent(state: ClockState) -> ClockCommand | None:
            if state is None or state.phase is ClockPhase.STOPPED:
                return None
            return StopClock(clock_id=clock_id, at=later(at, state), done_at=at,
                             outcome=outcome)

        await self.run(clock_id, district, intent, caused_by(cause))

    async def stop_open(self, cause: CloudEvent, district: str,
                        kinds: Iterable[ClockKind] | None, outcome: str, at: datetime) -> None:
        """Stop the case's running or paused clocks of ``kinds`` (None: all of them)."""
        for clock_id in self.open(kinds):
            await self.stop(cause, clock_id, district, outcome, at)

    async def _decide(self, clock_id: str, district: str, state: ClockState,
                      command: ClockCommand) -> list[ClockEvent]:
        if district not in self._deciders:
            self._deciders[district] = await self.keeping.decider(self.conn, district)
        try:
            return [e for e in self._deciders[district].decide(state, command)
                    if isinstance(e, ClockEvent)]
        except DomainRuleViolation as refused:  # a refused start is never harmless
            level = logging.WARNING if isinstance(command, StartClock) else logging.INFO
            log.log(level, "clock command skipped: %s", refused, extra={
                "clock_id": clock_id, "rule": refused.rule, "command": type(command).__name__})
            return []

    def _all(self) -> list[Clock]:
        return [c for c, _ in self._clocks.values() if c is not None]


def log_disagreement(clock: Clock, stated_due: datetime, cause: CloudEvent) -> None:
    log.warning("clock due %s differs from the %s stated by %s", clock.due_at.isoformat(),
                stated_due.isoformat(), cause.type, extra={
                    "case_id": clock.case_id, "clock_id": clock.clock_id, "event_id": cause.id})


def caused_by(cause: CloudEvent) -> Metadata:
    return Metadata(actor="system:accountability", correlation_id=cause.correlationid,
                    causation_id=cause.id)


def later(at: datetime, state: ClockState) -> datetime:
    """``at``, or the clock's last event time if that is later (see ``clock_keeping``)."""
    return at if state is None else max(at, state.last_at)


def folded_clocks(streams: dict[str, list[DomainEvent]]) -> FoldedClocks:
    return {clock_id: (_fold(events), len(events)) for clock_id, events in streams.items()}


def _fold(history: list[DomainEvent]) -> ClockState:
    return fold(evolve, initial_state(), [e for e in history if isinstance(e, ClockEvent)])
