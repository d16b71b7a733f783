"""Append-only event store with optimistic concurrency; its published events are the outbox.

Gap safety. ``position`` comes from a sequence, and sequence values are taken before commit: a
transaction that took position 6 may commit after one that took 7. A reader that had already
moved past 7 would never see 6. So readers do not order by position alone. Every row records
the id of the transaction that wrote it (``tx_id``, xid8), and a reader:

  1. only reads rows whose ``tx_id`` is below the commit horizon (``commit_horizon()``,
     schema.py): the oldest transaction, in the statement's snapshot, that is still running
     and may write to this database (another database's cannot). Every transaction below it
     has finished, or writes elsewhere, so no row can still appear below that line;
  2. orders by ``(tx_id, position)`` and remembers the last pair it read. Rows that become
     visible later have ``tx_id >=`` that horizon, which is above every pair already read.

No table lock is taken, so appends stay concurrent. The price: a long transaction of the
service's database holds readers back (latency, never loss). The tests in
tests/integration/platform/test_event_store.py show it: ``test_reader_never_skips_concurrent_
appends`` (also with writers in another database) and ``test_another_databases_open_
transaction_does_not_hold_readers_back``.

Per-stream order. A transaction gets its id at its first write, which may come before it loads
the stream (an inbox row, an idempotency key). If another transaction appended the stream's
previous version meanwhile with a higher id, readers ordering by ``(tx_id, position)`` would see
version 2 before version 1. So an append also requires that no stored version of the stream
has a higher ``tx_id`` than the appending transaction; otherwise it is a ``ConcurrencyError``
and the caller decides again in a new transaction (which gets a higher id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import asyncpg

from casebus.store.relay_wake import wake_relays


class ConcurrencyError(Exception):
    """Another writer appended to the stream first. Reload, decide again, or report 409."""


class GlobalPosition(NamedTuple):
    tx_id: int
    position: int


START = GlobalPosition(0, 0)


@dataclass(frozen=True)
class Publication:
    topic: str
    key: str
    message: dict[str, Any]


@dataclass(frozen=True)
class NewEvent:
    event_id: str
    type: str
    district: str
    occurred_at: datetime
    data: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    publication: Publication | None = None


@dataclass(frozen=True)
class RecordedEvent:
    event_id: str
    stream_id: str
    version: int
    type: str
    district: str
    occurred_at: datetime
    data: dict[str, Any]
    metadata: dict[str, Any]
    global_position: GlobalPosition


# The stream's last event gives its version and its latest transaction: appends keep a stream's
# tx_id non-decreasing by version (the guard below), so no max(tx_id) is needed. That aggregate
# let the planner walk the commit-order index backwards looking for the stream: the whole index
# for a new stream, so every append cost more as history grew (bench/README.md, 2026-12-03).
_LAST = "SELECT version, tx_id FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1"
# Rows are inserted only if the stream is at the expected version ($2) and its last event was
# not written by a later transaction (per-stream order, the module's docstring).
_GUARD = """coalesce((SELECT version FROM last), 0) = $2
      AND coalesce((SELECT tx_id FROM last) <= pg_current_xact_id(), true)"""
_TARGET = """events (stream_id, version, event_id, type, district, occurred_at, data, metadata,
                        topic, key, message)"""
# Most appends are one event: plain parameters cost PostgreSQL and asyncpg about a fifth less
# than eleven one-element arrays and unnest (appends/s at 16 writers, bench/README.md).
_APPEND_ONE = f"""
WITH last AS ({_LAST}), appended AS (
    INSERT INTO {_TARGET}
    SELECT $1, $2 + 1, $3::uuid, $4, $5, $6::timestamptz, $7::jsonb, $8::jsonb,
           $9, $10, $11::jsonb
    WHERE {_GUARD}
    RETURNING version
)
SELECT count(*) FROM appended
"""
_APPEND_MANY = f"""
WITH last AS ({_LAST}), appended AS (
    INSERT INTO {_TARGET}
    SELECT $1, $2 + n.ord, n.event_id, n.type, n.district, n.occurred_at, n.data, n.metadata,
           n.topic, n.key, n.message
    FROM unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::jsonb[],
                $9::text[], $10::text[], $11::jsonb[])
         WITH ORDINALITY AS n(event_id, type, district, occurred_at, data, metadata,
                              topic, key, message, ord)
    WHERE {_GUARD}
    RETURNING version
)
SELECT count(*) FROM appended
"""

_COLUMNS = """event_id::text, stream_id, version, type, district, occurred_at, data, metadata,
              tx_id::text::bigint AS tx, position"""


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(event_id=row["event_id"], stream_id=row["stream_id"],
                         version=row["version"], type=row["type"], district=row["district"],
                         occurred_at=row["occurred_at"], data=row["data"],
                         metadata=row["metadata"],
                         global_position=GlobalPosition(row["tx"], row["position"]))


class EventStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def append(self, stream_id: str, expected_version: int, events: list[NewEvent],
                     conn: asyncpg.Connection | None = None) -> int:
        """Append after ``expected_version`` (0 for a new stream), each event with what the
        relay is to publish of it, in one statement (one transaction). Returns the stream's new
        version."""
        if not events:
            return expected_version
        args: tuple[Any, ...]
        if len(events) == 1:
            e = events[0]
            p = e.publication
            statement, args = _APPEND_ONE, (
                stream_id, expected_version, e.event_id, e.type, e.district, e.occurred_at,
                e.data, e.metadata, p.topic if p else None, p.key if p else None,
                p.message if p else None)
        else:
            pubs = [e.publication for e in events]
            statement, args = _APPEND_MANY, (
                stream_id, expected_version,
                [e.event_id for e in events], [e.type for e in events],
                [e.district for e in events], [e.occurred_at for e in events],
                [e.data for e in events], [e.metadata for e in events],
                [p.topic if p else None for p in pubs], [p.key if p else None for p in pubs],
                [p.message if p else None for p in pubs],
            )
        try:
            if conn is not None:
                appended = await conn.fetchval(statement, *args)
            else:
                appended = await self.pool.fetchval(statement, *args)
        except asyncpg.UniqueViolationError as exc:
            # Two writers both saw ``expected_version`` and both inserted its successor.
            raise ConcurrencyError(f"stream {stream_id} changed concurrently") from exc
        if appended != len(events):
            raise ConcurrencyError(
                f"stream {stream_id} is not at version {expected_version}, or its last version "
                "was written by a later transaction")
        # On the pool the append committed; in a caller's transaction it has not yet.
        wake_relays(committed=conn is None or not conn.is_in_transaction())
        return expected_version + len(events)

    async def load(self, stream_id: str,
                   conn: asyncpg.Connection | None = None) -> list[RecordedEvent]:
        rows = await (conn or self.pool).fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version", stream_id)
        return [_recorded(r) for r in rows]

    async def load_selected(self, select_ids: str, *args: Any,
                            conn: asyncpg.Connection | None = None
                            ) -> dict[str, list[RecordedEvent]]:
        """The streams whose ids the query ``select_ids`` (one text column) names, in one
        statement: a service that keeps several streams per case (accountability's clocks)
        loads the case's streams at once. A stream with no events is absent.

        Each stream is read by its primary key, one after the other (``OFFSET 0`` keeps the
        planner from flattening the lateral subquery into a join). A live plan of ``IN (...)``
        hashed the ids and scanned every event of every case for them; one of ``= ANY(...)``
        did the same while its statistics were old."""
        rows = await (conn or self.pool).fetch(
            f"""SELECT {_COLUMNS} FROM ({select_ids}) AS wanted (id)
                CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.stream_id = wanted.id
                                    ORDER BY e.version OFFSET 0) AS events
                ORDER BY stream_id, version""", *args)
        streams: dict[str, list[RecordedEvent]] = {}
        for r in rows:
            streams.setdefault(r["stream_id"], []).append(_recorded(r))
        return streams

    async def read_all(self, after: GlobalPosition = START, limit: int = 1000,
                       conn: asyncpg.Connection | None = None) -> list[RecordedEvent]:
        """Events in commit-safe global order after ``after`` (see the module docstring)."""
        query = f"""
            SELECT {_COLUMNS} FROM events
            WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
              AND tx_id < (SELECT commit_horizon())
            ORDER BY tx_id, position
            LIMIT $3"""
        rows = await (conn or self.pool).fetch(query, str(after.tx_id), after.position, limit)
        return [_recorded(r) for r in rows]
