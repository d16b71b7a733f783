"""The age sweep: every ``interval`` seconds, on the service's clock, the cases open longer
than their district's threshold (``key_case_open_days``) enter the key-case ledger, each in its
own transaction. Entering is idempotent, so several instances or a restart enter a case once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import asyncpg

from casebus.clock import Clock
from casebus.domain.clock_condition import local_iso
from casebus.repository import Metadata
from casebus.transient import is_transient
from services.accountability.adapters import ledger_index
from services.accountability.domain.key_case_ledger import (
    DEFAULT_OPEN_DAYS,
    EnterKeyCase,
    EntryReason,
)
from services.accountability.domain.key_case_totals import is_open_long
from services.accountability.service_layer.ledger_keeping import LedgerKeeping

log = logging.getLogger(__name__)


class KeyCaseSweep:
    def __init__(self, pool: asyncpg.Pool, keeping: LedgerKeeping, clock: Clock,
                 interval_seconds: float, shortest_open_days: int = DEFAULT_OPEN_DAYS) -> None:
        self.pool = pool
        self.keeping = keeping
        self.clock = clock
        self.interval = interval_seconds
        self.shortest = shortest_open_days  # the smallest threshold of any district

    async def run(self) -> None:
        while True:
            try:
                await self.sweep_once()
            except Exception as exc:
                if not is_transient(exc):
                    raise  # the runtime restarts the task
                log.warning("key-case sweep failed, trying again: %r", exc)
            await asyncio.sleep(self.interval)

    async def sweep_once(self) -> list[str]:
        """One pass at the service's ``now``: the case ids entered."""
        now, entered = self.clock.now(), list[str]()
        candidates = await ledger_index.open_cases_registered_before(
            self.pool, now - timedelta(days=self.shortest))
        for case in candidates:
            days = self.keeping.thresholds(case["district"]).open_days
            if not is_open_long(case["registered_at"], now, days):
                continue
            command = EnterKeyCase(
                at=now, district=case["district"], case_id=case["case_id"],
                reason=EntryReason.OPEN_LONG,
                evidence=f"open more than {days} days: registered "
                         f"{local_iso(case['registered_at'])}")
            async with self.pool.acquire() as conn, conn.transaction():
                if await self.keeping.enter(conn, command, Metadata.fresh("system:accountability")):
                    entered.append(case["case_id"])
        return entered
