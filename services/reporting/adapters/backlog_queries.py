"""The backlog in the database: open cases counted per unit, community and category, and the
list behind each count. A case is due soon or overdue by its most pressing clock
(``case_urgency_sql``); aging counts days since registration (``domain.aging``)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from casebus.domain.clock_condition import ClockCondition
from services.reporting.adapters.clock_sql import (
    case_urgency_sql,
    clock_condition_sql,
    phase_sql,
)
from services.reporting.adapters.sql_filters import OPEN_CASE, Filters, local_date_sql
from services.reporting.domain.aging import AGING_BUCKETS
from services.reporting.domain.stages import REPORT
from services.reporting.domain.urgency import Urgency


def _aging_columns() -> str:
    age = "greatest(age, 0)"
    columns = []
    for i, b in enumerate(AGING_BUCKETS):
        upper = "" if b.last_day is None else f" AND {age} <= {b.last_day}"
        columns.append(f"count(*) FILTER (WHERE {age} >= {b.first_day}{upper}) AS aging_{i}")
    return ", ".join(columns)


_COUNTS = f"""
WITH open_cases AS (
    SELECT c.unit_id, c.community, c.category, {case_urgency_sql("c", "$2")} AS urgency,
           {local_date_sql("$2")} - {local_date_sql("c.registered_at")} AS age
    FROM case_view c WHERE c.district = $1 AND {OPEN_CASE})
SELECT GROUPING(unit_id) AS by_unit_no, GROUPING(community) AS by_community_no,
       GROUPING(category) AS by_category_no, unit_id, community, category,
       count(*) AS open,
       count(*) FILTER (WHERE urgency = '{Urgency.DUE_SOON}') AS due_soon,
       count(*) FILTER (WHERE urgency = '{Urgency.OVERDUE}') AS overdue, {_aging_columns()}
FROM open_cases GROUP BY GROUPING SETS ((unit_id), (community), (category), ())
ORDER BY open DESC, unit_id, community, category"""


async def backlog_counts(pool: asyncpg.Pool, district: str, now: datetime
                         ) -> list[asyncpg.Record]:
    """One row per unit (NULL: unassigned), community, category, and one for the district
    (``by_*_no`` is 0 for the grouping the row belongs to)."""
    rows: list[asyncpg.Record] = await pool.fetch(_COUNTS, district, now)
    return rows


async def open_reports(pool: asyncpg.Pool, district: str) -> int:
    count: int = await pool.fetchval(
        "SELECT count(*) FROM case_view WHERE district = $1 AND concluded_at IS NULL "
        "AND matter_kind = $2", district, REPORT)
    return count


_RELEVANT = {  # the clock a listed case shows: the earliest due of these conditions
    Urgency.OPEN: [ClockCondition.OVERDUE, ClockCondition.DUE_SOON, ClockCondition.RUNNING],
    Urgency.DUE_SOON: [ClockCondition.DUE_SOON],
    Urgency.OVERDUE: [ClockCondition.OVERDUE],
}


async def backlog_cases(pool: asyncpg.Pool, district: str, now: datetime, *,
                        status: Urgency, unit: str | None, community: str | None,
                        category: str | None, limit: int, offset: int
                        ) -> tuple[int, list[asyncpg.Record]]:
    f = Filters(district, now, status.value)
    f.equal("c.unit_id", unit)
    f.equal("c.community", community)
    f.equal("c.category", category)
    chosen = f"""WITH chosen AS (
        SELECT * FROM (
            SELECT c.case_id, c.unit_id, c.community, c.category, c.registered_at,
                   {case_urgency_sql("c", "$2")} AS urgency
            FROM case_view c WHERE c.district = $1 AND {OPEN_CASE} AND {f.sql}) listed
        WHERE $3 = '{Urgency.OPEN}' OR urgency = $3)"""
    total: int = await pool.fetchval(f"{chosen} SELECT count(*) FROM chosen", *f.args)
    relevant = f.param([str(c) for c in _RELEVANT[status]])
    rows: list[asyncpg.Record] = await pool.fetch(
        f"""{chosen}
            SELECT c.*, r.clock_id, r.kind AS clock_kind, r.due_at FROM chosen c
            LEFT JOIN LATERAL (
                SELECT k.clock_id, k.kind, k.due_at FROM case_clocks k
                WHERE k.case_id = c.case_id AND {phase_sql("k", _RELEVANT[status])}
                  AND {clock_condition_sql("k", "$2")} = ANY({relevant}::text[])
                ORDER BY k.due_at, k.clock_id LIMIT 1) r ON true
            ORDER BY r.due_at NULLS LAST, c.registered_at NULLS LAST, c.case_id
            LIMIT {f.param(limit)} OFFSET {f.param(offset)}""", *f.args)
    return total, rows
