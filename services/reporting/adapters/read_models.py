"""Reporting's read models: one row per case, and each case's timeline of public events.

Intake's and routing's topics are read independently, so an assignment may be applied before
its registration: every write is an upsert that fills in only its own columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from casebus.envelope import CloudEvent

DDL = """
CREATE TABLE IF NOT EXISTS case_view (
    case_id        text PRIMARY KEY,
    district       text NOT NULL,
    category       text,
    community      text,
    subject        text,
    channel        text,
    collective     boolean,
    registered_at  timestamptz,
    unit_id        text,
    assigned_at    timestamptz,
    acceptance_due timestamptz,
    closed_at      timestamptz
);
CREATE INDEX IF NOT EXISTS case_view_open_by_unit ON case_view (district, unit_id)
    WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS case_timeline (
    seq         bigserial,
    case_id     text NOT NULL,
    event_id    text NOT NULL,
    type        text NOT NULL,
    source      text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data        jsonb NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
"""


async def record_registration(conn: asyncpg.Connection, event: CloudEvent) -> None:
    d = event.data
    await conn.execute(
        """INSERT INTO case_view (case_id, district, category, community, subject, channel,
                                  collective, registered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (case_id) DO UPDATE SET category = excluded.category,
               community = excluded.community, subject = excluded.subject,
               channel = excluded.channel, collective = excluded.collective,
               registered_at = excluded.registered_at""",
        event.subject, event.district, d["category"], d["community"], d["subject"],
        d["channel"], d.get("collective", False), event.time)


async def record_assignment(conn: asyncpg.Connection, event: CloudEvent) -> None:
    d = event.data
    await conn.execute(
        """INSERT INTO case_view (case_id, district, unit_id, assigned_at, acceptance_due)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (case_id) DO UPDATE SET unit_id = excluded.unit_id,
               assigned_at = excluded.assigned_at, acceptance_due = excluded.acceptance_due""",
        event.subject, event.district, d["unit_id"], event.time,
        datetime.fromisoformat(d["acceptance_due"]))


async def record_in_timeline(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await conn.execute(
        """INSERT INTO case_timeline (case_id, event_id, type, source, occurred_at, data)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
        event.subject, event.id, event.type, event.source, event.time, event.data)


async def backlog(pool: asyncpg.Pool, district: str, now: datetime) -> dict[str, Any]:
    rows = await pool.fetch(
        """SELECT unit_id, count(*) AS open,
                  count(*) FILTER (WHERE acceptance_due < $2) AS overdue_acceptance
           FROM case_view WHERE district = $1 AND closed_at IS NULL AND unit_id IS NOT NULL
           GROUP BY unit_id ORDER BY open DESC, unit_id""", district, now)
    unassigned = await pool.fetchval(
        "SELECT count(*) FROM case_view WHERE district = $1 AND unit_id IS NULL "
        "AND closed_at IS NULL", district)
    units = [dict(r) for r in rows]
    return {"district": district, "as_of": now.isoformat(), "units": units,
            "unassigned": unassigned, "total_open": unassigned + sum(u["open"] for u in units)}


async def case_with_timeline(pool: asyncpg.Pool, case_id: str) -> dict[str, Any] | None:
    case = await pool.fetchrow("SELECT * FROM case_view WHERE case_id = $1", case_id)
    if case is None:
        return None
    events = await pool.fetch(
        """SELECT event_id, type, source, occurred_at, data FROM case_timeline
           WHERE case_id = $1 ORDER BY occurred_at, seq""", case_id)
    return {**dict(case), "events": [dict(e) for e in events]}
