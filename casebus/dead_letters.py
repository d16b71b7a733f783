"""Dead letters read and re-driven: what a consumer could not apply, and its replays.

A replay runs the stored message through the consumer's own handler, inside one transaction
that also records the replay, under a lock on the dead letter's row. Exactly once: the row
lock serializes two replays and the recorded "applied" replay answers every later one; the
inbox row written when the message was dead-lettered (restored here if it was pruned) makes
the original, delivered again, a duplicate. A handler that still fails leaves the dead letter
pending and records the failed attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
from pydantic import ValidationError

from casebus.consumer import InboxConsumer
from casebus.envelope import CloudEvent
from casebus.transient import is_transient

DDL = """
CREATE TABLE IF NOT EXISTS dead_letter_replays (
    id             bigserial PRIMARY KEY,
    dead_letter_id bigint NOT NULL REFERENCES dead_letters (id) ON DELETE CASCADE,
    replayed_by    text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    outcome        text NOT NULL CHECK (outcome IN ('applied', 'ignored', 'failed')),
    error          text
);
-- At most one replay settles a dead letter; failed attempts are kept beside it.
CREATE UNIQUE INDEX IF NOT EXISTS dead_letter_settled_once
    ON dead_letter_replays (dead_letter_id) WHERE outcome <> 'failed';
"""

# The settling replay of each dead letter, if any (an alias `d` for dead_letters is expected).
_SETTLED = ("LEFT JOIN dead_letter_replays r "
            "ON r.dead_letter_id = d.id AND r.outcome <> 'failed'")
_COLUMNS = """d.id, d.consumer, d.topic, d.partition, d.kafka_offset, d.reason, d.at, d.event_id,
              d.event_type, d.district, r.at AS replayed_at, r.replayed_by,
              r.outcome AS replay_outcome,
              CASE WHEN $2 AND d.district = $1 THEN left(encode(d.raw, 'escape'), 2000) END
                  AS message"""
_VISIBLE = "(d.district = $1 OR d.district IS NULL)"  # no district can be told: unattributable


class ReplayRefused(Exception):
    """The dead letter cannot be re-driven here (not an event, no such consumer)."""


class ReplayFailed(Exception):
    """The handler failed again; the dead letter stays pending."""


@dataclass(frozen=True)
class Replay:
    dead_letter_id: int
    outcome: str  # applied | ignored (the consumer has no handler for the type any more)
    replayed_by: str
    replayed_at: str
    already: bool  # settled by an earlier replay: nothing was applied now

    def as_json(self) -> dict[str, Any]:
        return {"id": self.dead_letter_id, "outcome": self.outcome,
                "replayed_by": self.replayed_by, "replayed_at": self.replayed_at,
                "already_replayed": self.already}


async def listed(pool: asyncpg.Pool, district: str, with_content: bool, state: str,
                 limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Newest first; ``state`` is all, pending (not settled by a replay) or replayed."""
    where = {"all": "", "pending": " AND r.id IS NULL", "replayed": " AND r.id IS NOT NULL"}[state]
    rows = await pool.fetch(f"SELECT {_COLUMNS} FROM dead_letters d {_SETTLED} "
                            f"WHERE {_VISIBLE}{where} ORDER BY d.id DESC LIMIT $3",
                            district, with_content, limit)
    total = await pool.fetchval(f"SELECT count(*) FROM dead_letters d {_SETTLED} "
                                f"WHERE {_VISIBLE}{where}", district)
    return int(total), [dict(r) for r in rows]


async def one(pool: asyncpg.Pool, district: str, with_content: bool,
              dead_letter_id: int) -> dict[str, Any] | None:
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM dead_letters d {_SETTLED} "
                              f"WHERE {_VISIBLE} AND d.id = $3", district, with_content,
                              dead_letter_id)
    if row is None:
        return None
    attempts = await pool.fetch("SELECT at, replayed_by, outcome, error FROM dead_letter_replays "
                                "WHERE dead_letter_id = $1 ORDER BY id", dead_letter_id)
    return dict(row) | {"replays": [dict(a) for a in attempts]}


async def replay(pool: asyncpg.Pool, consumers: list[InboxConsumer], district: str,
                 dead_letter_id: int, actor: str) -> Replay | None:
    """Re-drive one dead letter of ``district`` (None: no such dead letter there)."""
    try:
        async with pool.acquire() as conn, conn.transaction():
            return await _replay_in(conn, consumers, district, dead_letter_id, actor)
    except (ReplayRefused, ReplayFailed):
        raise
    except Exception as exc:
        if is_transient(exc):
            raise  # the database is away: nothing was recorded, the caller retries
        error = f"{type(exc).__name__}: {exc}"[:2000]
        await pool.execute("INSERT INTO dead_letter_replays (dead_letter_id, replayed_by, "
                           "outcome, error) VALUES ($1, $2, 'failed', $3)",
                           dead_letter_id, actor, error)
        raise ReplayFailed(error) from exc


async def _replay_in(conn: asyncpg.Connection, consumers: list[InboxConsumer], district: str,
                     dead_letter_id: int, actor: str) -> Replay | None:
    row = await conn.fetchrow("SELECT consumer, raw, district FROM dead_letters "
                              "WHERE id = $1 AND (district = $2 OR district IS NULL) FOR UPDATE",
                              dead_letter_id, district)
    if row is None:
        return None
    settled = await conn.fetchrow("SELECT outcome, replayed_by, at FROM dead_letter_replays "
                                  "WHERE dead_letter_id = $1 AND outcome <> 'failed'",
                                  dead_letter_id)
    if settled is not None:
        return Replay(dead_letter_id, settled["outcome"], settled["replayed_by"],
                      settled["at"].isoformat(), already=True)
    try:
        event = CloudEvent.from_bytes(row["raw"] or b"")
    except (ValueError, ValidationError) as exc:
        raise ReplayRefused("the message is not a valid CloudEvent; nothing to replay") from exc
    consumer = next((c for c in consumers if c.name == row["consumer"]), None)
    if consumer is None:
        raise ReplayRefused(f"this service runs no consumer {row['consumer']!r}")
    handler = consumer.handlers.get(event.type, consumer.every_other_event)
    await conn.execute("INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) "
                       "ON CONFLICT DO NOTHING", consumer.name, event.id)
    if handler is not None:
        await handler(conn, event)
    outcome = "applied" if handler is not None else "ignored"
    at = await conn.fetchval("INSERT INTO dead_letter_replays (dead_letter_id, replayed_by, "
                             "outcome) VALUES ($1, $2, $3) RETURNING at",
                             dead_letter_id, actor, outcome)
    return Replay(dead_letter_id, outcome, actor, at.isoformat(), already=False)
