"""Which tables of a service's database hold its history, which of their columns a copy
writes, and a table's rows ready to copy (bench/growth_clone.py)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench.growth_ids import prefixes, template

# Bookkeeping, configuration and short-lived tables: not per case, or (inbox, idempotency
# keys) pruned after days, so a long history holds no more of them than a short one.
NOT_HISTORY = {"consumer_position", "relay_checkpoint", "inbox", "inbox_horizon",
               "event_feed_head", "routable_districts", "calendar_corrections",
               "idempotency_keys", "dead_letters", "dead_letter_replays", "rankings"}
REWRITTEN_TYPES = ("text", "jsonb", "json", "uuid", "character varying")

# Left out of a copy: identities, sequences and transaction ids (the server gives new ones),
# the outbox's columns (a copied event is history: never to be published again) and the
# feed's position (the cloner hands it out, as the one writer: bench/growth_clone.py).
COLUMNS = """
SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
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
    rewritten: set[str] = field(default_factory=set)  # columns whose text holds ids
    positioned: bool = False  # the feed: the copy appends a position column

    def __post_init__(self) -> None:
        self.positioned = self.name == "event_feed"


async def history_tables(conn: asyncpg.Connection) -> list[Table]:
    tables: dict[str, Table] = {}
    for row in await conn.fetch(COLUMNS):
        if row["table"] in NOT_HISTORY:
            continue
        table = tables.setdefault(row["table"], Table(row["table"]))
        table.columns.append(row["column"])
        if row["type"].startswith(REWRITTEN_TYPES) and not row["type"].endswith("[]"):
            table.rewritten.add(row["column"])
    return list(tables.values())


class TableCopy:
    """A table's rows of a case or a petitioner as they were at the start, ready to be copied
    with fresh ids."""

    def __init__(self, table: Table, sample: int) -> None:
        self.table, self.sample = table, sample
        self.rows: list[list[Any]] = []  # per row: a value, or (template,) to fill per copy
        self.owners: list[int] = []      # per row: its case's (or person's) hash, 0-999

    def add(self, record: asyncpg.Record) -> None:
        """Keep a row if it is a case's or a petitioner's, and that one is in the sample."""
        row: list[Any] = []
        owner = None
        for column in self.table.columns:
            value = record[column]
            if column in self.table.rewritten and value is not None:
                text = value if isinstance(value, str) else str(value)
                filled, found = template(text)
                value = (filled,) if filled is not None else text
                owner = owner or found
            row.append(value)
        if owner is None:  # of no case nor person: not history (routing's rules...)
            return
        hashed = zlib.crc32(owner.encode()) % 1000
        if hashed < self.sample:
            self.owners.append(hashed)
            self.rows.append(row)

    def records(self, copies: range, share: int, start: int) -> Iterator[tuple[Any, ...]]:
        """The copies' rows; ``share`` of 1000 picks that part of the cases (1000: all);
        ``start``: the first feed position to hand out, if the table has one."""
        position = start
        for copy in copies:
            names = prefixes(copy)
            for row, owner in zip(self.rows, self.owners, strict=True):
                if owner >= share:
                    continue
                values = [v[0] % names if type(v) is tuple else v for v in row]
                if self.table.positioned:
                    values.append(position)
                    position += 1
                yield tuple(values)
