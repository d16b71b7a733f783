"""Which tables of a service's database hold its history, which of their columns a copy
writes, and a table's rows of the history's cases, as templates to copy (bench/growth_clone.py).

Rows travel as COPY's text format, both ways: PostgreSQL renders every value as text (instants
as ``2026-12-02 00:07:18.5+00``), a row becomes one %-template with its ids and dates as
placeholders (bench/growth_ids.py, bench/growth_dates.py), and a copy of it is one string
format, parsed back by PostgreSQL (on its own processes, not the bench's one).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import asyncpg

from bench.growth_dates import date_keys, placehold
from bench.growth_ids import owner, template

# Bookkeeping, configuration and short-lived tables: not per case, or (inbox, idempotency
# keys) pruned after days, so a long history holds no more of them than a short one.
NOT_HISTORY = {"consumer_position", "relay_checkpoint", "inbox", "inbox_horizon",
               "event_feed_head", "routable_districts", "calendar_corrections",
               "idempotency_keys", "dead_letters", "dead_letter_replays", "rankings"}

# Left out of a copy: identities, sequences and transaction ids (the server gives new ones),
# the outbox's columns (a copied event is history: never to be published again) and the
# feed's position (the cloner hands it out, as the one writer: bench/growth_clone.py).
COLUMNS = """
SELECT c.relname AS table, a.attname AS column
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attidentity = '' AND a.attgenerated = ''
  AND coalesce(pg_get_expr(d.adbin, d.adrelid), '') !~ 'nextval|pg_current_xact_id'
  AND NOT (c.relname = 'events' AND a.attname IN ('topic', 'key'))
  AND NOT (c.relname = 'event_feed' AND a.attname = 'position')
ORDER BY c.relname, a.attnum"""


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    positioned: bool = False  # the feed: the copy appends a position column

    def __post_init__(self) -> None:
        self.positioned = self.name == "event_feed"

    @property
    def select(self) -> str:
        return f"SELECT {', '.join(self.columns)} FROM {self.name}"


async def history_tables(conn: asyncpg.Connection) -> list[Table]:
    tables: dict[str, Table] = {}
    for row in await conn.fetch(COLUMNS):
        if row["table"] not in NOT_HISTORY:
            tables.setdefault(row["table"], Table(row["table"])).columns.append(row["column"])
    return list(tables.values())


class TableCopy:
    """A table's rows of the history's cases and their petitioners, as they were at the
    snapshot, ready to be copied with fresh ids and earlier dates."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows: list[str] = []    # per row: its COPY text line as a %-template
        self.owners: list[int] = []  # per row: its case's (or person's) hash, 0-999

    def add(self, line: str, keep: set[str], dates: set[str]) -> None:
        """Keep a row (a COPY text line) if it is one of ``keep``'s cases' or persons'; the
        dates it names join ``dates``."""
        whose = owner(line)
        if whose is None or whose not in keep:  # an open case's, or no case's (rules...)
            return
        # Per value: a digest is a whole value; "\N" (NULL) and numbers match nothing.
        values = [placehold(template(v) or v.replace("%", "%%")) for v in line.split("\t")]
        row = "\t".join(values)
        dates |= date_keys(row)
        self.rows.append(row)
        self.owners.append(zlib.crc32(whose.encode()) % 1000)

    def chunks(self, copies: range, share: int, start: int,
               names: Callable[[int], dict[str, str]]) -> Iterator[bytes]:
        """COPY text, one chunk per copy; ``share`` of 1000 picks that part of the cases
        (1000: all); ``start``: the first feed position to hand out, if the table has one;
        ``names(copy)``: the values of the placeholders in that copy."""
        position = start
        for copy in copies:
            filled = names(copy)
            lines = [row % filled for row, whose in zip(self.rows, self.owners, strict=True)
                     if whose < share]
            if self.table.positioned:
                lines = [f"{line}\t{position + i}" for i, line in enumerate(lines)]
                position += len(lines)
            if lines:
                yield ("\n".join(lines) + "\n").encode()
