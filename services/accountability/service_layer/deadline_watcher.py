"""The deadline watcher: records each clock's warning and breach when their instants come.

Every ``scheduler_interval_seconds``, on the service's clock, a pass claims the clocks whose
``next_check_at`` has come, one transaction per clock: lock its ``clocks`` row (``FOR UPDATE
SKIP LOCKED``: no two watchers claim one clock), try its case's lock (``try_lock_case``), load
the case's clocks, ask ``transitions_due`` (``pending_transitions``), let the decider
(district calendar) make ``ClockWarned`` / ``ClockBreached``, append, and update the row's
``next_check_at``, then commit. A pass takes at most ``batch_size`` clocks and goes on at
once while clocks remain.

Exactly once, with several instances and across restarts:
- the locks: an instance skips a clock another instance holds (the row), and a clock whose
  case a consumer (or another instance, through another clock of the case) holds (the case's
  advisory lock, tried, never waited for: the consumer may be waiting for this row), so no two
  writers decide on one clock at once; a claim after the other's commit re-reads
  ``next_check_at``, which has already moved on (to the due instant, or none);
- the stream: the decision is taken on the freshly loaded events, where ``pending_transitions``
  is idempotent and the decider refuses a second warning for a due instant
  ("one-warning-per-due-date") and a second breach ("one-breach-per-clock"); and an append
  racing any writer that did not lock the row fails on the stream version (optimistic
  concurrency), rolling the whole transaction back;
- nothing is kept in memory: a crash before the commit leaves nothing, after it the row and the
  stream say what is left. A warning or breach is recorded at the watcher's ``now``, never
  before its instant.

A clock whose check fails is logged and passed over until the next pass (the others go on);
a database away is waited for; any other failure ends the task for the runtime to restart.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import asyncpg
from prometheus_client import Counter

from casebus.clock import Clock
from casebus.domain.clock_events import ClockBreached, ClockCommand, ClockEvent, ClockWarned
from casebus.domain.clock_status import next_check, transitions_due
from casebus.domain.clocks import ClockState
from casebus.repository import Metadata
from casebus.transaction_memo import transaction_memo
from casebus.transient import is_transient
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clock_keeping import ClockKeeping

log = logging.getLogger(__name__)

CLOCK_TRANSITIONS = Counter("casebus_clock_transitions_total",
                            "Clock warnings and breaches recorded by the deadline watcher",
                            ["transition", "kind"])


class DeadlineWatcher:
    def __init__(self, pool: asyncpg.Pool, keeping: ClockKeeping, clock: Clock,
                 interval_seconds: float, batch_size: int = 500) -> None:
        self.pool = pool
        self.keeping = keeping
        self.clock = clock
        self.interval = interval_seconds
        self.batch_size = batch_size

    async def run(self) -> None:
        while True:
            try:
                more = await self.watch_once()
            except Exception as exc:
                if not is_transient(exc):
                    raise  # the runtime restarts the watcher; if it keeps failing, /ready 503
                log.warning("deadline watcher pass failed, trying again: %r", exc)
                more = False
            if not more:
                await asyncio.sleep(self.interval)

    async def watch_once(self) -> bool:
        """One pass at the service's ``now``. True if it stopped at ``batch_size`` clocks."""
        now, passed = self.clock.now(), list[str]()
        while len(passed) < self.batch_size:
            async with self.pool.acquire() as conn:
                claimed: tuple[str, str, str] | None = None
                try:
                    async with conn.transaction():
                        claimed = await clock_index.claim_due(conn, now, passed)
                        if claimed is None:
                            return False
                        passed.append(claimed[0])
                        with transaction_memo():
                            kind, new = await self._check(conn, *claimed, now)
                except Exception:
                    if claimed is None:
                        raise  # no clock to blame: the database
                    log.exception("deadline check failed", extra={"clock_id": claimed[0]})
                    continue
            for event in new:  # committed
                _report(event, kind)
        return True

    async def _check(self, conn: asyncpg.Connection, clock_id: str, district: str,
                     case_id: str, now: datetime) -> tuple[str, list[ClockEvent]]:
        if not await clock_index.try_lock_case(conn, case_id):
            # A consumer is deciding on the case's clocks: its commit moves the row on, and
            # the next pass looks again. Waiting here could deadlock with it on this row.
            log.debug("clock's case busy, passed over", extra={"clock_id": clock_id})
            return "busy", []
        def intent(state: ClockState) -> ClockCommand | None:
            if state is None:
                return None
            # A clock whose last event is later than ``now`` (another instance's clock ran
            # ahead) is judged at that event's time: a stream's times run forward.
            due = transitions_due(state, max(now, state.last_at))
            return due[0] if due else None

        async with self.keeping.of_case(conn, case_id) as clocks:
            state, new = await clocks.run(clock_id, district, intent,
                                          Metadata.fresh("system:accountability"))
        upcoming = next_check(state)
        if not new and upcoming is not None and upcoming <= now:
            log.warning("clock due for a check records nothing", extra={"clock_id": clock_id})
        return (str(state.kind) if state else "unknown"), new


def _report(event: ClockEvent, kind: str) -> None:
    if not isinstance(event, ClockWarned | ClockBreached):
        return
    transition = "warned" if isinstance(event, ClockWarned) else "breached"
    CLOCK_TRANSITIONS.labels(transition, kind).inc()
    log.info("clock %s, committed", transition, extra={
        "case_id": event.case_id, "clock_id": event.clock_id, "kind": kind,
        "due_at": event.due_at.isoformat()})
