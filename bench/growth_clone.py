"""Grow the history by cloning the cases already there, in every service's database.

Carrying 100,000 petitions through the pipeline would take far too long (~100/s), so every row
of every per-case table is copied with fresh ids and written back with COPY. Services must be
stopped meanwhile: the feed's positions are handed out here, and nothing else may append then.

Ids are rewritten the same way in every database (bench/growth_ids.py). Each original value
becomes a %-template once, so a copy costs one string format per value (PostgreSQL's
regexp_replace, tried first, did ~100 cases/s).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import asyncpg

from bench.growth_tables import TableCopy, history_tables

SAMPLE_CASES = 4000


class DatabaseCloner:
    """One service's database: its history's rows in memory, then copies of them written."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.copies: list[TableCopy] = []
        self.refused: dict[str, str] = {}  # tables left out: why

    async def snapshot(self, sample: int) -> None:
        """Keep the rows of ``sample`` of 1000 cases (and petitioners) to copy."""
        await self.conn.execute("SET synchronous_commit = off")  # durable at the end: CHECKPOINT
        for table in await history_tables(self.conn):
            copy = TableCopy(table, sample)
            async with self.conn.transaction():  # a cursor: the rows left out never pile up
                async for record in self.conn.cursor(
                        f"SELECT {', '.join(table.columns)} FROM {table.name}", prefetch=2000):
                    copy.add(record)
            if copy.rows:
                self.copies.append(copy)

    async def copy(self, copies: range, share: int = 1000) -> None:
        for copy in list(self.copies):
            start = 0
            if copy.table.positioned:
                start = 1 + await self.conn.fetchval(
                    f"SELECT coalesce(max(position), 0) FROM {copy.table.name}")
            columns = copy.table.columns + (["position"] if copy.table.positioned else [])
            try:
                await self.conn.copy_records_to_table(
                    copy.table.name, records=copy.records(copies, share, start),
                    columns=columns)
            except asyncpg.UniqueViolationError as exc:  # a key of a shape not rewritten
                self.refused[copy.table.name] = str(exc)
                self.copies.remove(copy)
        if any(c.table.positioned for c in self.copies):  # the feed's head: its last position
            await self.conn.execute("UPDATE event_feed_head SET position = "
                                    "(SELECT coalesce(max(position), 0) FROM event_feed)")

    async def settle(self) -> None:
        """Vacuum and analyse as autovacuum would have long since (else it would start during
        the measurement)."""
        for copy in self.copies:
            await self.conn.execute(f"VACUUM (ANALYZE) {copy.table.name}")


class HistoryCloner:
    """Copies of the cases there at ``snapshot()``, numbered on from one ``grow_to`` to the
    next, so that every copy's ids differ."""

    def __init__(self, dsn: Callable[[str], str], databases: list[str]) -> None:
        self.dsn, self.databases = dsn, databases
        self.cloners: list[DatabaseCloner] = []
        self.originals = 0  # cases in the snapshot
        self.sample = 1000  # of 1000 cases, those in the snapshot
        self.last_copy = 0

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

    async def snapshot(self) -> None:
        """The cases to copy: all, or a sample of about SAMPLE_CASES (a template of each row
        stays in memory: ~20 kB a case). Services stopped."""
        self.sample = min(1000, max(1, 1000 * SAMPLE_CASES // max(1, await self.cases())))
        for cloner in self.cloners:
            await cloner.snapshot(self.sample)
        reporting = self.cloners[self.databases.index("reporting")]
        self.originals = sum(len(c.rows) for c in reporting.copies if c.table.name == "case_view")

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

    async def cases(self) -> int:
        """Cases in the history: those reporting knows (every case reaches it)."""
        return int(await self._database("reporting").fetchval("SELECT count(*) FROM case_view"))

    async def grow_to(self, target: int, progress: Callable[[int, int], None]) -> int:
        """Add copies until about ``target`` cases; progress(done, total) counts whole copies
        of the originals. Returns the cases then in the history."""
        missing = target - await self.cases()
        if missing <= 0 or not self.originals:
            return await self.cases()
        whole, part = divmod(missing, self.originals)
        step = -(-whole // 10)  # at most ten batches: a progress line each
        for done in range(0, whole, step):
            batch = range(self.last_copy + 1, self.last_copy + 1 + min(step, whole - done))
            await asyncio.gather(*(c.copy(batch) for c in self.cloners))
            self.last_copy = batch[-1]
            progress(done + len(batch), whole)
        if part:
            self.last_copy += 1
            share = round(self.sample * part / self.originals)
            await asyncio.gather(*(c.copy(range(self.last_copy, self.last_copy + 1), share)
                                   for c in self.cloners))
        await asyncio.gather(*(c.settle() for c in self.cloners))
        await self.cloners[0].conn.execute("CHECKPOINT")  # on disk, as history would be
        return await self.cases()
