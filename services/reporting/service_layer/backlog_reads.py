"""The leaders' backlog: counts per unit, community and category, the cases behind them, and
the overdue and due-soon clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_condition import ClockCondition, local_iso
from services.reporting.adapters import backlog_queries
from services.reporting.adapters.clock_queries import clock_list
from services.reporting.domain.aging import AGING_BUCKETS
from services.reporting.domain.urgency import Urgency
from services.reporting.service_layer.presenters import clock_answer


def _counts(row: asyncpg.Record) -> dict[str, Any]:
    return {"open": row["open"], "due_soon": row["due_soon"], "overdue": row["overdue"],
            "aging": {b.label: row[f"aging_{i}"] for i, b in enumerate(AGING_BUCKETS)}}


async def backlog(pool: asyncpg.Pool, district: str, now: datetime) -> dict[str, Any]:
    """Cases registration has not reached reporting yet are counted but not aged; a community
    or category not known yet is not listed."""
    rows = await backlog_queries.backlog_counts(pool, district, now)
    units, communities, categories = [], [], []
    district_row: dict[str, Any] = {"open": 0, "due_soon": 0, "overdue": 0,
                                    "aging": {b.label: 0 for b in AGING_BUCKETS}}
    unassigned = 0
    for r in rows:
        if not r["by_unit_no"]:
            if r["unit_id"] is None:
                unassigned = r["open"]
            else:
                units.append({"unit_id": r["unit_id"], **_counts(r)})
        elif not r["by_community_no"]:
            if r["community"] is not None:
                communities.append({"community": r["community"], **_counts(r)})
        elif not r["by_category_no"]:
            if r["category"] is not None:
                categories.append({"category": r["category"], **_counts(r)})
        else:
            district_row = _counts(r)
    return {"district": district, "as_of": local_iso(now),
            "total_open": district_row["open"], "due_soon": district_row["due_soon"],
            "overdue": district_row["overdue"], "aging": district_row["aging"],
            "unassigned": unassigned, "units": units, "communities": communities,
            "categories": categories,
            "reports_open": await backlog_queries.open_reports(pool, district)}


async def backlog_cases(pool: asyncpg.Pool, district: str, now: datetime, *, status: Urgency,
                        unit: str | None, community: str | None, category: str | None,
                        limit: int, offset: int) -> dict[str, Any]:
    total, rows = await backlog_queries.backlog_cases(
        pool, district, now, status=status, unit=unit, community=community,
        category=category, limit=limit, offset=offset)
    return {"district": district, "as_of": local_iso(now), "status": status, "total": total,
            "limit": limit, "offset": offset,
            "cases": [{"case_id": r["case_id"], "unit_id": r["unit_id"],
                       "community": r["community"], "category": r["category"],
                       "registered_at": local_iso(r["registered_at"]),
                       "urgency": r["urgency"], "clock_id": r["clock_id"],
                       "clock_kind": r["clock_kind"], "due_at": local_iso(r["due_at"])}
                      for r in rows]}


async def clocks(pool: asyncpg.Pool, district: str, now: datetime, *,
                 condition: ClockCondition | None, unit: str | None, community: str | None,
                 category: str | None, kind: str | None, limit: int,
                 offset: int) -> dict[str, Any]:
    wanted = [condition] if condition else [ClockCondition.OVERDUE, ClockCondition.DUE_SOON]
    total, rows = await clock_list(pool, district, now, conditions=wanted, unit=unit,
                                   community=community, category=category, kind=kind,
                                   limit=limit, offset=offset)
    return {"district": district, "as_of": local_iso(now), "total": total, "limit": limit,
            "offset": offset,
            "clocks": [{**clock_answer(r, now), "responsible_unit": r["responsible_unit"],
                        "community": r["community"], "category": r["category"]}
                       for r in rows]}
