"""Grow the history by copying the cases the growth phase concluded (bench/growth_history.py),
in every service's database, each copy a week further back (bench/growth_dates.py).

Carrying 100,000 petitions through the pipeline would take far too long (~100/s), so every row
of those cases (and of their petitioners) in every table is copied with fresh ids and earlier
dates and written back with COPY. The open cases of the earlier phases are not copied: they
are the open workload, the same at every size. Services must be stopped meanwhile: the feed's
positions are handed out here, and nothing else may append then.

Ids and dates are rewritten the same way in every database (bench/growth_ids.py,
bench/growth_dates.py). Each
original row becomes a %-template once, so a copy costs one string format per row
(PostgreSQL's regexp_replace, tried first, did ~100 cases/s).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import asyncpg

from bench.growth_database import DatabaseCloner
from bench.growth_dates import shifted
from bench.growth_ids import prefixes


class HistoryCloner:
    """Copies of the cases given to ``snapshot()``, numbered on from one ``grow_to`` to the
    next, so that every copy's ids differ; copy k lies k weeks back."""

    def __init__(self, dsn: Callable[[str], str], databases: list[str]) -> None:
        self.dsn, self.databases = dsn, databases
        self.cloners: list[DatabaseCloner] = []
        self.originals = 0  # cases in the snapshot
        self.last_copy = 0
        self.dates: set[str] = set()  # every date the snapshot's rows name
        self._names: dict[int, dict[str, str]] = {}

    async def connect(self) -> None:
        self.cloners = [DatabaseCloner(await asyncpg.connect(self.dsn(name)))
                        for name in self.databases]

    async def caught_up(self, timeout_s: float = 60.0) -> None:
        """Until accountability holds a record of each case reporting shows: it consumes on a
        path of its own and may lag, and a snapshot then would copy cases without clocks."""
        accountability = self._database("accountability")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if await accountability.fetchval("SELECT count(*) FROM case_records") >= \
                    await self.cases():
                return
            await asyncio.sleep(0.5)
        # Still behind after the wait: go on; a few cases are copied without their clocks.

    async def snapshot(self, case_ids: list[str]) -> None:
        """The rows to copy: those of ``case_ids`` and of their petitioners (a template of
        each row stays in memory: ~20 kB a case). Services stopped."""
        keep = set(case_ids) | {row["petitioner_id"] for row in await self._database(
            "intake").fetch("SELECT petitioner_id FROM case_petitioners WHERE case_id = ANY($1)",
                            list(case_ids))}
        for cloner in self.cloners:
            await cloner.snapshot(keep, self.dates)
        reporting = self.cloners[self.databases.index("reporting")]
        self.originals = sum(len(c.rows) for c in reporting.copies if c.table.name == "case_view")

    def names(self, copy: int) -> dict[str, str]:
        """The placeholders' values in copy ``copy``: its id prefixes and its dates."""
        if copy not in self._names:
            self._names[copy] = {**prefixes(copy), **shifted(self.dates, copy)}
        return self._names[copy]

    def _database(self, name: str) -> asyncpg.Connection:
        return self.cloners[self.databases.index(name)].conn

    async def close(self) -> None:
        for cloner in self.cloners:
            await cloner.conn.close()

    async def feed_head(self) -> int:
        """Reporting's feed position now: a stream from there skips the history."""
        return int(await self._database("reporting").fetchval(
            "SELECT coalesce(max(position), 0) FROM event_feed_head"))

    def refused(self) -> dict[str, str]:
        return {name: why for c in self.cloners for name, why in c.refused.items()}

    async def cases(self, concluded: bool = False) -> int:
        """Cases reporting knows (every case reaches it); ``concluded``: the history's only."""
        return int(await self._database("reporting").fetchval(
            "SELECT count(*) FROM case_view" +
            (" WHERE concluded_at IS NOT NULL" if concluded else "")))

    async def grow_to(self, target: int, progress: Callable[[int, int], None]) -> int:
        """Add copies until about ``target`` concluded cases; progress(done, total) counts
        whole copies of the originals. Returns the concluded cases then in the history."""
        missing = target - await self.cases(concluded=True)
        if missing <= 0 or not self.originals:
            return await self.cases(concluded=True)
        whole, part = divmod(missing, self.originals)
        step = max(1, -(-whole // 10))  # at most ten batches: a progress line each
        for done in range(0, whole, step):
            batch = range(self.last_copy + 1, self.last_copy + 1 + min(step, whole - done))
            await asyncio.gather(*(c.copy(batch, self.names) for c in self.cloners))
            self.last_copy = batch[-1]
            progress(done + len(batch), whole)
        if part:  # a part of the cases, a week further back
            self.last_copy += 1
            share = round(1000 * part / self.originals)
            await asyncio.gather(*(c.copy(range(self.last_copy, self.last_copy + 1), self.names,
                                          share) for c in self.cloners))
        await asyncio.gather(*(c.settle() for c in self.cloners))
        await self.cloners[0].conn.execute("CHECKPOINT")  # on disk, as history would be
        return await self.cases(concluded=True)
