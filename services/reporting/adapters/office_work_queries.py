"""Counts of reception days and service work in a district over a period of local days."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

_RECEPTION_BY_LEADER = """
WITH days AS (
    SELECT leader_id, count(*) FILTER (WHERE held) AS days_held, count(*) AS days_scheduled
    FROM reception_days WHERE district = $1 AND day >= $2 AND day < $3 GROUP BY leader_id),
persons AS (
    SELECT leader_id, count(*) AS persons_received,
           count(registered_case_id) AS cases_registered
    FROM reception_persons WHERE district = $1 AND day >= $2 AND day < $3 GROUP BY leader_id)
SELECT coalesce(d.leader_id, p.leader_id) AS leader_id,
       coalesce(d.days_scheduled, 0) AS days_scheduled, coalesce(d.days_held, 0) AS days_held,
       coalesce(p.persons_received, 0) AS persons_received,
       coalesce(p.cases_registered, 0) AS cases_registered,
       count(*) OVER () AS total
FROM days d FULL JOIN persons p ON p.leader_id = d.leader_id
ORDER BY 1 LIMIT $4 OFFSET $5
"""

_RECEPTION_TOTALS = """
SELECT (SELECT count(*) FROM reception_days
        WHERE district = $1 AND day >= $2 AND day < $3) AS days_scheduled,
       (SELECT count(*) FROM reception_days
        WHERE district = $1 AND day >= $2 AND day < $3 AND held) AS days_held,
       count(*) AS persons_received, count(registered_case_id) AS cases_registered
FROM reception_persons WHERE district = $1 AND day >= $2 AND day < $3
"""

_SERVICE_WORK = """
SELECT community, count(*) AS days, sum(cadres) AS cadre_days,
       sum(demands_resolved) AS demands_resolved, sum(persons_guided) AS persons_guided,
       count(*) OVER () AS total
FROM service_work_days WHERE district = $1 AND day >= $2 AND day < $3
GROUP BY community ORDER BY community LIMIT $4 OFFSET $5
"""

_SERVICE_WORK_TOTALS = """
SELECT count(*) AS days, coalesce(sum(cadres), 0) AS cadre_days,
       coalesce(sum(demands_resolved), 0) AS demands_resolved,
       coalesce(sum(persons_guided), 0) AS persons_guided
FROM service_work_days WHERE district = $1 AND day >= $2 AND day < $3
"""


async def reception_summary(pool: asyncpg.Pool, district: str, first: date, end: date,
                            limit: int, offset: int) -> dict[str, Any]:
    async with pool.acquire() as conn:
        totals = await conn.fetchrow(_RECEPTION_TOTALS, district, first, end)
        rows = await conn.fetch(_RECEPTION_BY_LEADER, district, first, end, limit, offset)
    return {**_ints(totals), "by_leader": [_ints(r, "total") for r in rows],
            "leaders": rows[0]["total"] if rows else 0}


async def service_work_summary(pool: asyncpg.Pool, district: str, first: date, end: date,
                               limit: int, offset: int) -> dict[str, Any]:
    async with pool.acquire() as conn:
        totals = await conn.fetchrow(_SERVICE_WORK_TOTALS, district, first, end)
        rows = await conn.fetch(_SERVICE_WORK, district, first, end, limit, offset)
    return {**_ints(totals), "by_community": [_ints(r, "total") for r in rows],
            "communities": rows[0]["total"] if rows else 0}


def _ints(row: asyncpg.Record, *leave_out: str) -> dict[str, Any]:
    return {k: (int(v) if k not in ("leader_id", "community") else v)
            for k, v in row.items() if k not in leave_out}
