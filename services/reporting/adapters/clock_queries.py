"""Clocks in the database: a case's clocks, and the district's overdue and due-soon lists."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from casebus.domain.clock_condition import ClockCondition
from services.reporting.adapters.clock_sql import (
    NEEDS_ATTENTION,
    clock_condition_sql,
    phase_sql,
)
from services.reporting.adapters.sql_filters import OPEN_CASE, Filters

CLOCK_COLUMNS = """k.clock_id, k.case_id, k.kind, k.unit_id, k.phase, k.started_at, k.due_at,
    k.warn_at, k.warned_due, k.breached, k.on_time, k.outcome, k.stopped_at"""


async def clocks_of(db: asyncpg.Pool | asyncpg.Connection, case_ids: list[str]
                    ) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await db.fetch(
        f"""SELECT {CLOCK_COLUMNS} FROM case_clocks k WHERE k.case_id = ANY($1::text[])
            ORDER BY k.case_id, k.started_at NULLS LAST, k.clock_id""", case_ids)
    return rows


def listed_clocks(district: str, now: datetime, *, conditions: list[ClockCondition],
                  unit: str | None, community: str | None, category: str | None,
                  kind: str | None) -> tuple[str, Filters]:
    """``FROM ... WHERE ...`` of the clocks ``clock_list`` lists, and its arguments."""
    f = Filters(district, now)
    f.add(OPEN_CASE)
    f.add(phase_sql("k", conditions))
    if set(conditions) <= NEEDS_ATTENTION:  # read only the clocks that need attention
        f.add("k.attention_at <= $2")
    f.one_of(clock_condition_sql("k", "$2"), [str(c) for c in conditions])
    f.equal("coalesce(k.unit_id, c.unit_id)", unit)
    f.equal("c.community", community)
    f.equal("coalesce(c.category, k.category)", category)
    f.equal("k.kind", kind)
    return f"""FROM case_clocks k LEFT JOIN case_view c ON c.case_id = k.case_id
               WHERE k.district = $1 AND {f.sql}""", f


async def clock_list(pool: asyncpg.Pool, district: str, now: datetime, *,
                     conditions: list[ClockCondition], unit: str | None,
                     community: str | None, category: str | None, kind: str | None,
                     limit: int, offset: int) -> tuple[int, list[asyncpg.Record]]:
    """Clocks of open cases in these conditions, soonest due first. A clock is the unit's it
    names, else (e.g. forwarding, the office's own) the case's lead unit's."""
    source, f = listed_clocks(district, now, conditions=conditions, unit=unit,
                              community=community, category=category, kind=kind)
    total: int = await pool.fetchval(f"SELECT count(*) {source}", *f.args)
    rows: list[asyncpg.Record] = await pool.fetch(
        f"""SELECT {CLOCK_COLUMNS}, coalesce(k.unit_id, c.unit_id) AS responsible_unit,
                   c.community, coalesce(c.category, k.category) AS category
            {source} ORDER BY k.due_at, k.clock_id
            LIMIT {f.param(limit)} OFFSET {f.param(offset)}""", *f.args)
    return total, rows
