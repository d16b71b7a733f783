"""The ``clocks`` table: one row per clock stream, written in the transaction of every append to
that stream. It lists a case's clocks (``CASE_CLOCK_IDS``: reactions load them all at once) and
drives the deadline watcher through ``next_check_at``.

A case's clocks are decided on under the case's advisory lock (``lock_case``), by consumers
and by the watcher alike (``try_lock_case``: the watcher passes over a case someone holds), so
no two writers decide on one clock at once. ``case_answers`` keeps intake's answers, for clocks
whose start arrives after the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_status import next_check
from casebus.domain.clocks import Clock, ClockPhase, pauses_until, warning_instant
from casebus.domain.deadlines import days_not_counted
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

async def lock_case(conn: asyncpg.Connection, case_id: str) -> None:
    """Serialise the reactions to one case's events (intake's and routing's topics may be read
    by two instances at once), so they see each other's clocks and lock rows in one order."""
    if remembered(("clocks-lock", case_id)):
        return  # this transaction holds it already (casebus.transaction_memo)
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('clocks:' || $1, 0))",
                       case_id)
    remember(("clocks-lock", case_id), True)


async def lock_cases(conn: asyncpg.Connection, case_ids: Iterable[str]) -> None:
    """``lock_case`` for several cases in one statement, in case-id order (volatile output
    expressions are evaluated after the sort), skipping those this transaction holds."""
    wanted = sorted({c for c in case_ids if not remembered(("clocks-lock", c))})
    if not wanted:
        return
    await conn.execute("""SELECT pg_advisory_xact_lock(hashtextextended('clocks:' || c, 0))
                          FROM unnest($1::text[]) AS c ORDER BY c""", wanted)
    for case_id in wanted:
        remember(("clocks-lock", case_id), True)


async def try_lock_case(conn: asyncpg.Connection, case_id: str) -> bool:
    """``lock_case`` unless another transaction holds it (then False at once: never waits)."""
    locked: bool = await conn.fetchval(
        "SELECT pg_try_advisory_xact_lock(hashtextextended('clocks:' || $1, 0))", case_id)
    if locked:
        remember(("clocks-lock", case_id), True)
    return locked


# The ids of a case's clock streams, for ``EventSourcedRepository.load_selected``.
CASE_CLOCK_IDS = "SELECT clock_id FROM clocks WHERE case_id = $1"
# The same for several cases at once ($1: their ids).
CASES_CLOCK_IDS = "SELECT clock_id FROM clocks WHERE case_id = ANY($1::text[])"


async def claim_due(conn: asyncpg.Connection, now: datetime,
                    passed: Iterable[str] = ()) -> tuple[str, str, str] | None:
    """(clock id, district, case id) of one clock due for a warning or breach at ``now`` that
    no other watcher holds, its row locked for the caller's transaction; ``passed``: clocks
    this pass tried."""
    row = await conn.fetchrow(
        """SELECT clock_id, district, case_id FROM clocks
           WHERE next_check_at <= $1 AND NOT clock_id = ANY($2::text[])
           ORDER BY next_check_at LIMIT 1 FOR UPDATE SKIP LOCKED""", now, list(passed))
    return None if row is None else (row["clock_id"], row["district"], row["case_id"])


async def save(conn: asyncpg.Connection, clocks: Iterable[tuple[Clock, int]]) -> None:
    """Write the rows of ``clocks`` (each with the stream version it reflects), in one
    statement."""
    rows = [_row(clock, version) for clock, version in clocks]
    if not rows:
        return
    await conn.execute(
        """INSERT INTO clocks (clock_id, case_id, district, kind, unit_id, category, phase,
               started_at, due_at, warn_at, next_check_at, breached, on_time, outcome,
               stopped_at, extension_days, days_not_counted, version)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
               $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[],
               $10::timestamptz[], $11::timestamptz[], $12::boolean[], $13::boolean[],
               $14::text[], $15::timestamptz[], $16::int[], $17::int[], $18::int[])
           ON CONFLICT (clock_id) DO UPDATE SET
               phase = excluded.phase, due_at = excluded.due_at, warn_at = excluded.warn_at,
               next_check_at = excluded.next_check_at, breached = excluded.breached,
               on_time = excluded.on_time, outcome = excluded.outcome,
               stopped_at = excluded.stopped_at, extension_days = excluded.extension_days,
               days_not_counted = excluded.days_not_counted, version = excluded.version,
               updated_at = now()""",
        *(list(column) for column in zip(*rows, strict=True)))


def _row(clock: Clock, version: int) -> tuple[Any, ...]:
    paused = clock.phase is ClockPhase.PAUSED
    return (clock.clock_id, clock.case_id, clock.district, str(clock.kind), clock.unit_id,
            clock.category, str(clock.phase), clock.started_at, clock.due_at,
            None if paused else warning_instant(clock), next_check(clock), clock.breached,
            clock.stopped_on_time, clock.outcome, clock.stopped_at, clock.extension_days,
            len(days_not_counted(pauses_until(clock, clock.last_at))), version)


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
