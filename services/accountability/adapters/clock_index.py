"""The ``clocks`` table: one row per clock stream, written in the transaction of every append to
that stream. It lists a case's clocks (for the API and for reactions such as "stop every open
clock of the case") and drives the deadline watcher through ``next_check_at``.

The row is also the clock's lock: whoever appends to a clock first locks its row (``FOR UPDATE``;
the watcher with ``SKIP LOCKED``), so the watcher and the consumer never decide on one clock at
once. ``case_answers`` keeps intake's answers, for clocks whose start arrives after the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import asyncpg

from casebus.domain.clock_status import next_check
from casebus.domain.clocks import Clock, ClockPhase, pauses_until, warning_instant
from casebus.domain.deadlines import ClockKind, days_not_counted
from casebus.transaction_memo import remember, remembered

DDL = """
CREATE TABLE IF NOT EXISTS clocks (
    clock_id         text PRIMARY KEY,
    case_id          text NOT NULL,
    district         text NOT NULL,
    kind             text NOT NULL,
    unit_id          text,
    category         text,
    phase            text NOT NULL CHECK (phase IN ('running', 'paused', 'stopped')),
    started_at       timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,  -- as recorded; a paused clock's moves on resuming
    warn_at          timestamptz,           -- NULL while paused
    next_check_at    timestamptz,           -- NULL: nothing to do until an event comes
    breached         boolean NOT NULL,
    on_time          boolean,
    outcome          text,
    stopped_at       timestamptz,
    extension_days   integer NOT NULL,
    days_not_counted integer NOT NULL,
    version          integer NOT NULL,      -- the stream version this row reflects
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS clocks_of_case ON clocks (case_id, started_at);
CREATE INDEX IF NOT EXISTS clocks_to_check ON clocks (next_check_at)
    WHERE next_check_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS case_answers (
    case_id     text NOT NULL,
    event_id    text NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
"""

_OPEN = (ClockPhase.RUNNING.value, ClockPhase.PAUSED.value)


async def lock_case(conn: asyncpg.Connection, case_id: str) -> None:
    """Serialise the reactions to one case's events (intake's and routing's topics may be read
    by two instances at once), so they see each other's clocks and lock rows in one order."""
    if remembered(("clocks-lock", case_id)):
        return  # this transaction holds it already (casebus.transaction_memo)
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('clocks:' || $1, 0))",
                       case_id)
    remember(("clocks-lock", case_id), True)


async def lock_clock(conn: asyncpg.Connection, clock_id: str) -> None:
    await conn.execute("SELECT 1 FROM clocks WHERE clock_id = $1 FOR UPDATE", clock_id)


async def claim_due(conn: asyncpg.Connection, now: datetime,
                    passed: Iterable[str] = ()) -> tuple[str, str] | None:
    """(clock id, district) of one clock due for a warning or breach at ``now`` that no one
    else holds, locked for the caller's transaction; ``passed``: clocks this pass tried."""
    row = await conn.fetchrow(
        """SELECT clock_id, district FROM clocks
           WHERE next_check_at <= $1 AND NOT clock_id = ANY($2::text[])
           ORDER BY next_check_at LIMIT 1 FOR UPDATE SKIP LOCKED""", now, list(passed))
    return None if row is None else (row["clock_id"], row["district"])


async def save(conn: asyncpg.Connection, clock: Clock, version: int) -> None:
    paused = clock.phase is ClockPhase.PAUSED
    await conn.execute(
        """INSERT INTO clocks (clock_id, case_id, district, kind, unit_id, category, phase,
               started_at, due_at, warn_at, next_check_at, breached, on_time, outcome,
               stopped_at, extension_days, days_not_counted, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                   $18)
           ON CONFLICT (clock_id) DO UPDATE SET
               phase = excluded.phase, due_at = excluded.due_at, warn_at = excluded.warn_at,
               next_check_at = excluded.next_check_at, breached = excluded.breached,
               on_time = excluded.on_time, outcome = excluded.outcome,
               stopped_at = excluded.stopped_at, extension_days = excluded.extension_days,
               days_not_counted = excluded.days_not_counted, version = excluded.version,
               updated_at = now()""",
        clock.clock_id, clock.case_id, clock.district, str(clock.kind), clock.unit_id,
        clock.category, str(clock.phase), clock.started_at, clock.due_at,
        None if paused else warning_instant(clock), next_check(clock), clock.breached,
        clock.stopped_on_time, clock.outcome, clock.stopped_at, clock.extension_days,
        len(days_not_counted(pauses_until(clock, clock.last_at))), version)


async def open_clocks(conn: asyncpg.Connection, case_id: str,
                      kinds: Iterable[ClockKind] | None = None) -> list[str]:
    """The case's running or paused clocks (of ``kinds``; None: every kind), oldest first."""
    rows = await conn.fetch(
        """SELECT clock_id FROM clocks
           WHERE case_id = $1 AND phase = ANY($2::text[])
             AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
           ORDER BY started_at, clock_id""",
        case_id, list(_OPEN), None if kinds is None else [str(k) for k in kinds])
    return [r["clock_id"] for r in rows]


async def first_started(conn: asyncpg.Connection, case_id: str,
                        kind: ClockKind) -> datetime | None:
    started: datetime | None = await conn.fetchval(
        "SELECT min(started_at) FROM clocks WHERE case_id = $1 AND kind = $2",
        case_id, str(kind))
    return started


async def case_category(conn: asyncpg.Connection, case_id: str) -> str | None:
    category: str | None = await conn.fetchval(
        """SELECT category FROM clocks WHERE case_id = $1 AND category IS NOT NULL
           ORDER BY started_at LIMIT 1""", case_id)
    return category


async def record_answer(conn: asyncpg.Connection, case_id: str, event_id: str,
                        at: datetime) -> None:
    await conn.execute(
        """INSERT INTO case_answers (case_id, event_id, answered_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING""", case_id, event_id, at)


async def answered_since(conn: asyncpg.Connection, case_id: str,
                         since: datetime) -> datetime | None:
    """The first answer of the case at or after ``since``, if intake's event came first."""
    at: datetime | None = await conn.fetchval(
        "SELECT min(answered_at) FROM case_answers WHERE case_id = $1 AND answered_at >= $2",
        case_id, since)
    return at


async def case_clocks(db: asyncpg.Pool | asyncpg.Connection,
                      case_id: str) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await db.fetch(
        "SELECT * FROM clocks WHERE case_id = $1 ORDER BY started_at, clock_id", case_id)
    return rows
