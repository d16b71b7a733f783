"""The rows of the list exports, each from the read the JSON API answers with (backlog, overdue
clocks, breaches, key cases), up to ``limit`` rows; and the frozen ranking of a month."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_condition import ClockCondition
from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.adapters import accountability_queries as queries
from services.reporting.adapters.accountability_views import breach_item, key_case_item
from services.reporting.domain.aging import age_in_days
from services.reporting.domain.urgency import Urgency
from services.reporting.service_layer import backlog_reads, rankings


class NothingToExport(LookupError):
    """No ranking was published for the month (404)."""


async def backlog(pool: asyncpg.Pool, district: str, now: datetime, unit: str | None,
                  community: str | None, category: str | None,
                  limit: int) -> list[dict[str, Any]]:
    body = await backlog_reads.backlog_cases(
        pool, district, now, status=Urgency.OPEN, unit=unit, community=community,
        category=category, limit=limit, offset=0)
    cases: list[dict[str, Any]] = body["cases"]
    return cases


async def overdue(pool: asyncpg.Pool, district: str, now: datetime, unit: str | None,
                  community: str | None, category: str | None,
                  limit: int) -> list[dict[str, Any]]:
    body = await backlog_reads.clocks(
        pool, district, now, condition=ClockCondition.OVERDUE, unit=unit,
        community=community, category=category, kind=None, limit=limit, offset=0)
    return [{**c, "days_overdue": age_in_days(datetime.fromisoformat(c["due_at"]), now)}
            for c in body["clocks"]]


async def breaches(pool: asyncpg.Pool, district: str, period: ReportingPeriod | None,
                   unit: str | None, limit: int) -> list[dict[str, Any]]:
    _, rows = await queries.breaches(pool, district, period=period, unit=unit, limit=limit,
                                     offset=0)
    return [{**(b := breach_item(r)), "case_count": len(b["case_ids"])} for r in rows]


async def key_cases(pool: asyncpg.Pool, district: str, now: datetime,
                    period: ReportingPeriod | None, unit: str | None, community: str | None,
                    category: str | None, limit: int) -> list[dict[str, Any]]:
    _, rows = await queries.key_cases(pool, district, status=None, period=period, unit=unit,
                                      community=community, category=category, limit=limit,
                                      offset=0)
    return [{**key_case_item(r, now), "unit_id": r["unit_id"], "community": r["community"],
             "category": r["category"]} for r in rows]


async def published_ranking(pool: asyncpg.Pool, district: str, month: str,
                             by: str) -> dict[str, Any]:
    """The newest ranking published for the month, as frozen."""
    listed = await rankings.listed(pool, district, month, 200, 0)
    for entry in listed["rankings"]:
        if entry["by"] == by:
            body = await rankings.published(pool, district, entry["ranking_id"])
            if body is not None:
                found: dict[str, Any] = json.loads(body)
                return found
    raise NothingToExport(f"no ranking by {by} was published for {month}")

