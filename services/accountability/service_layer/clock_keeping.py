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

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg

from casebus.calendars import CalendarBook
from casebus.domain.clock_decider import ClockDecider
from casebus.domain.deadlines import DeadlinePolicy
from casebus.repository import EventSourcedRepository
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clocks_of_case import ClocksOfCase


class ClockKeeping:
    def __init__(self, repository: EventSourcedRepository, calendars: CalendarBook,
                 policies: Callable[[str], DeadlinePolicy] = DeadlinePolicy) -> None:
        self.repository = repository
        self.calendars = calendars
        self.policy = policies  # the district's limits and warning lead

    async def decider(self, conn: asyncpg.Connection, district: str) -> ClockDecider:
        return ClockDecider(await self.calendars.calendar(district, conn),
                            warn_working_days=self.policy(district).warn_working_days)

    @asynccontextmanager
    async def of_case(self, conn: asyncpg.Connection,
                      case_id: str) -> AsyncIterator[ClocksOfCase]:
        """The case's clocks under its lock, in ``conn``'s transaction. The lock comes before
        the read, in a statement of its own: the read's snapshot then holds everything the
        lock's previous holder committed."""
        await clock_index.lock_case(conn, case_id)
        streams = await self.repository.load_selected(clock_index.CASE_CLOCK_IDS, case_id,
                                                      conn=conn)
        clocks = ClocksOfCase(self, conn, case_id, streams)
        yield clocks
        await clock_index.save(conn, clocks.touched())  # not on failure: it rolls back

