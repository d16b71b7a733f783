"""Upserts into reporting's tables that write only the columns they are given.

A source's facts about a case are applied in the order of its stream: ``guard`` names the
column holding the time of the latest event of that source applied, and an older event
changes nothing (it returns False). Facts that only ever accumulate need no guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg


async def upsert(conn: asyncpg.Connection, table: str, key: dict[str, Any],
                 columns: dict[str, Any], *, district: str,
                 guard: tuple[str, datetime] | None = None) -> bool:
    """Insert the row named by ``key`` with ``columns`` (and its district) or update just
    those columns. Table and column names come from this package's code, never from input."""
    values = {**key, "district": district, **columns}
    if guard is not None:
        values[guard[0]] = guard[1]
    names = list(values)
    updates = [n for n in names if n not in key and n != "district"]
    placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
    sql = (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders}) "
           f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
           + ", ".join(f"{n} = excluded.{n}" for n in updates))
    if guard is not None:
        sql += f" WHERE {table}.{guard[0]} IS NULL OR {table}.{guard[0]} <= excluded.{guard[0]}"
    applied = await conn.fetchval(sql + " RETURNING true", *values.values())
    return bool(applied)


async def add_units(conn: asyncpg.Connection, case_id: str, district: str,
                    units: Iterable[str | None], since: datetime) -> None:
    """Remember every unit that held, holds or assists the case (for unit handlers' access),
    since the earliest event naming it, whichever topic brought that event first."""
    named = sorted({u for u in units if u})
    if named:
        await conn.execute(
            """INSERT INTO case_units (case_id, unit_id, district, since)
               SELECT $1, u, $2, $4 FROM unnest($3::text[]) AS u
               ON CONFLICT (case_id, unit_id)
               DO UPDATE SET since = least(case_units.since, excluded.since)""",
            case_id, district, named, since)
