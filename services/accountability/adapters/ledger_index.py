"""The key-case ledger's tables: ``key_cases`` (one row per entry, kept with its stream in one
transaction, for lists and totals), ``key_case_repeats`` (which cases were confirmed repeats of,
or merged into, which: the petitions on a matter) and ``key_case_conclusions`` (cases ended
without a ``closed``: not accepted, withdrawn, merged, sent to discipline inspection), which the
age sweep leaves out besides the closed ones of ``case_records``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.events import DomainEvent
from services.accountability.domain import key_case_ledger as ledger
from services.accountability.domain.key_case_totals import LedgerEntry

DDL = """
CREATE TABLE IF NOT EXISTS key_cases (
    district    text NOT NULL,
    case_id     text NOT NULL,
    reason      text NOT NULL,
    entered_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    PRIMARY KEY (district, case_id)
);
CREATE TABLE IF NOT EXISTS key_case_repeats (
    repeat_of text NOT NULL,
    case_id   text NOT NULL,
    district  text NOT NULL,
    PRIMARY KEY (repeat_of, case_id)
);
CREATE TABLE IF NOT EXISTS key_case_conclusions (case_id text PRIMARY KEY);
"""


async def record(conn: asyncpg.Connection, events: Sequence[DomainEvent]) -> None:
    for event in events:
        if isinstance(event, ledger.KeyCaseEntered):
            await conn.execute(
                """INSERT INTO key_cases (district, case_id, reason, entered_at)
                   VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
                event.district, event.case_id, event.reason.value, event.occurred_at)
        elif isinstance(event, ledger.KeyCaseResolved):
            await conn.execute(
                "UPDATE key_cases SET resolved_at = $3 WHERE district = $1 AND case_id = $2",
                event.district, event.case_id, event.occurred_at)


async def listed(db: asyncpg.Pool | asyncpg.Connection, district: str, status: str, limit: int,
                 offset: int) -> list[str]:
    """Case ids of the district's entries (open, resolved or all), the latest entered first."""
    rows = await db.fetch(
        """SELECT case_id FROM key_cases WHERE district = $1
             AND ($2 = 'all' OR (resolved_at IS NULL) = ($2 = 'open'))
           ORDER BY entered_at DESC, case_id LIMIT $3 OFFSET $4""",
        district, status, limit, offset)
    return [r["case_id"] for r in rows]


async def entries(db: asyncpg.Pool | asyncpg.Connection, district: str,
                  before: datetime) -> list[LedgerEntry]:
    rows = await db.fetch(
        """SELECT case_id, reason, entered_at, resolved_at FROM key_cases
           WHERE district = $1 AND entered_at < $2""", district, before)
    return [LedgerEntry(r["case_id"], ledger.EntryReason(r["reason"]), r["entered_at"],
                        r["resolved_at"]) for r in rows]


async def add_repeat(conn: asyncpg.Connection, repeat_of: str, case_id: str,
                     district: str) -> list[str]:
    """Record a repeat (again: harmless); the cases of the matter, the repeated one first."""
    await conn.execute("INSERT INTO key_case_repeats VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                       repeat_of, case_id, district)
    rows = await conn.fetch(
        "SELECT case_id FROM key_case_repeats WHERE repeat_of = $1 ORDER BY case_id", repeat_of)
    return [repeat_of, *(r["case_id"] for r in rows)]


async def drop_repeat(conn: asyncpg.Connection, repeat_of: str, case_id: str) -> None:
    await conn.execute("DELETE FROM key_case_repeats WHERE repeat_of = $1 AND case_id = $2",
                       repeat_of, case_id)


async def concluded(conn: asyncpg.Connection, case_id: str, ended: bool) -> None:
    if ended:
        await conn.execute("INSERT INTO key_case_conclusions VALUES ($1) ON CONFLICT DO NOTHING",
                           case_id)
    else:
        await conn.execute("DELETE FROM key_case_conclusions WHERE case_id = $1", case_id)


async def open_cases_registered_before(db: asyncpg.Pool | asyncpg.Connection,
                                       before: datetime) -> list[dict[str, Any]]:
    """Counted, registered, still open cases registered before ``before`` not yet entered."""
    rows = await db.fetch(
        """SELECT r.case_id, r.district, (r.record->>'registered_at')::timestamptz AS registered_at
           FROM case_records r
           WHERE r.counted AND r.record->>'category' <> '' AND r.record->>'closed_at' IS NULL
             AND (r.record->>'registered_at')::timestamptz < $1
             AND NOT EXISTS (SELECT 1 FROM key_case_conclusions c WHERE c.case_id = r.case_id)
             AND NOT EXISTS (SELECT 1 FROM key_cases k
                             WHERE k.district = r.district AND k.case_id = r.case_id)
           ORDER BY registered_at, r.case_id""", before)
    return [dict(r) for r in rows]
