"""A case as reporting knows it, and a unit's open cases."""

from __future__ import annotations

import asyncpg

from services.reporting.adapters.sql_filters import OPEN_CASE


async def case_row(db: asyncpg.Pool | asyncpg.Connection, case_id: str
                   ) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await db.fetchrow(
        "SELECT * FROM case_view WHERE case_id = $1", case_id)
    return row


async def units_involved(db: asyncpg.Pool | asyncpg.Connection, case_id: str) -> list[str]:
    rows = await db.fetch("SELECT unit_id FROM case_units WHERE case_id = $1 ORDER BY since, "
                          "unit_id", case_id)
    return [r["unit_id"] for r in rows]


async def supervision_orders(db: asyncpg.Pool | asyncpg.Connection, case_id: str
                             ) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await db.fetch(
        """SELECT order_id, issued_by, unit_id, due, limit_days, issued_at
           FROM case_supervision_orders WHERE case_id = $1 ORDER BY issued_at, order_id""",
        case_id)
    return rows


# Assigned to the unit now: as lead or assisting, and neither returned nor closed.
_MINE = f"""c.district = $1 AND {OPEN_CASE}
    AND c.assignment_status IN ('assigned', 'accepted')
    AND (c.unit_id = $2 OR $2 = ANY(c.assisting_unit_ids))"""


async def unit_cases(pool: asyncpg.Pool, district: str, unit_id: str, limit: int,
                     offset: int) -> tuple[int, list[asyncpg.Record]]:
    total: int = await pool.fetchval(f"SELECT count(*) FROM case_view c WHERE {_MINE}",
                                     district, unit_id)
    rows: list[asyncpg.Record] = await pool.fetch(
        f"""SELECT * FROM case_view c WHERE {_MINE}
            ORDER BY c.assigned_at, c.case_id LIMIT $3 OFFSET $4""",
        district, unit_id, limit, offset)
    return total, rows
