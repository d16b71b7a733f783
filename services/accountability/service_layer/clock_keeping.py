"""Running clock commands as reactions: one clock stream per clock, its ``clocks`` row written
in the same transaction (``adapters.clock_index``), the district's calendar and policy.

``ClockKeeping.of_case`` takes the case's lock and loads all the case's clocks in one statement;
the commands then run on them (``ClocksOfCase``) and the rows of the clocks they touched are
written in one statement when the block ends. A case has a handful of clocks, and one event
often moves two of them (a handover stops one clock and starts the next).

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

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager

import asyncpg

from casebus.calendars import CalendarBook
from casebus.domain.clock_decider import ClockDecider
from casebus.domain.deadlines import DeadlinePolicy
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository
from casebus.transaction_memo import remember, remembered
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clocks_of_case import ClocksOfCase, folded_clocks


class ClockKeeping:
    def __init__(self, repository: EventSourcedRepository, calendars: CalendarBook,
                 policies: Callable[[str], DeadlinePolicy] = DeadlinePolicy) -> None:
        self.repository = repository
        self.calendars = calendars
        self.policy = policies  # the district's limits and warning lead

    async def decider(self, conn: asyncpg.Connection, district: str) -> ClockDecider:
        return ClockDecider(await self.calendars.calendar(district, conn),
                            warn_working_days=self.policy(district).warn_working_days)

    async def prepare(self, conn: asyncpg.Connection, case_ids: Iterable[str]) -> None:
        """Lock and load the clocks of a consumer page's cases at once (two statements for the
        page, not two per event); ``of_case`` then finds them in the transaction's memo."""
        wanted = sorted({c for c in case_ids if remembered(("case-clocks", c)) is None})
        if not wanted:
            return
        await clock_index.lock_cases(conn, wanted)
        streams = await self.repository.load_selected(clock_index.CASES_CLOCK_IDS, wanted,
                                                      conn=conn)
        by_case: dict[str, dict[str, list[DomainEvent]]] = {c: {} for c in wanted}
        longest_first = sorted(wanted, key=len, reverse=True)  # "clock:<case>:<kind>..."
        for stream_id, events in streams.items():
            case_id = next((c for c in longest_first if stream_id.startswith(f"clock:{c}:")),
                           None)
            if case_id is None:
                return  # not named as clock_ids names clocks: each event loads its own
            by_case[case_id][stream_id] = events
        for case_id, of_case in by_case.items():
            remember(("case-clocks", case_id), folded_clocks(of_case))

    @asynccontextmanager
    async def of_case(self, conn: asyncpg.Connection,
                      case_id: str) -> AsyncIterator[ClocksOfCase]:
        """The case's clocks under its lock, in ``conn``'s transaction. The lock comes before
        the read, in a statement of its own: the read's snapshot then holds everything the
        lock's previous holder committed. In a consumer's transaction the clocks stay in its
        memo from one event to the next (nobody else may change them while the lock is held)."""
        known = remembered(("case-clocks", case_id))
        if known is None:
            await clock_index.lock_case(conn, case_id)
            known = folded_clocks(await self.repository.load_selected(
                clock_index.CASE_CLOCK_IDS, case_id, conn=conn))
        clocks = ClocksOfCase(self, conn, case_id, known)
        yield clocks
        await clock_index.save(conn, clocks.touched())  # not on failure: it rolls back
        remember(("case-clocks", case_id), clocks.as_they_stand())

