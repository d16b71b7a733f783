"""One service's database, for bench/growth_clone.py: the rows of the history's cases read
once, then copies of them written with COPY (text format both ways: bench/growth_tables.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import asyncpg

from bench.growth_tables import TableCopy, history_tables

Names = Callable[[int], dict[str, str]]  # a copy's number -> its placeholders' values
# Values as text that PostgreSQL parses back to the same value (instants in UTC, exact floats).
SESSION = "SET synchronous_commit = off; SET DateStyle = ISO, YMD; SET TimeZone = 'UTC'; " \
          "SET extra_float_digits = 3"


class DatabaseCloner:
    """One service's database: its history's rows in memory, then copies of them written."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.copies: list[TableCopy] = []
        self.refused: dict[str, str] = {}  # tables left out: why

    async def snapshot(self, keep: set[str], dates: set[str]) -> None:
        """Keep the rows of the cases and petitioners in ``keep``; the dates they name join
        ``dates``. (Commits need not wait for the disk: the cloner CHECKPOINTs at the end.)"""
        await self.conn.execute(SESSION)
        for table in await history_tables(self.conn):
            copy = TableCopy(table)
            pending = b""

            async def rows(chunk: bytes, copy: TableCopy = copy) -> None:
                nonlocal pending  # a line may be split across chunks: kept till its end
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    copy.add(line.decode(), keep, dates)

            await self.conn.copy_from_query(table.select, output=rows, format="text")
            if copy.rows:
                self.copies.append(copy)

    async def copy(self, copies: range, names: Names, share: int = 1000) -> None:
        for copy in list(self.copies):
            start = 0
            if copy.table.positioned:
                start = 1 + await self.conn.fetchval(
                    f"SELECT coalesce(max(position), 0) FROM {copy.table.name}")
            columns = copy.table.columns + (["position"] if copy.table.positioned else [])
            try:
                await self.conn.copy_to_table(
                    copy.table.name, source=_stream(copy.chunks(copies, share, start, names)),
                    columns=columns, format="text")
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


async def _stream(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk
