"""Breaches, accountability reviews and key cases of a district, filtered and paged in SQL
(a row only lists once the event that creates it in accountability has arrived)."""

from __future__ import annotations

import asyncpg

from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.adapters.sql_filters import Filters

Listed = tuple[int, list[asyncpg.Record]]


async def _page(db: asyncpg.Pool, source: str, order: str, f: Filters, limit: int,
                offset: int, columns: str = "*") -> Listed:
    total: int = await db.fetchval(f"SELECT count(*) {source} WHERE {f.sql}", *f.args)
    rows: list[asyncpg.Record] = await db.fetch(
        f"SELECT {columns} {source} WHERE {f.sql} ORDER BY {order} "
        f"LIMIT {f.param(limit)} OFFSET {f.param(offset)}", *f.args)
    return total, rows


async def breaches(db: asyncpg.Pool, district: str, *, period: ReportingPeriod | None,
                   unit: str | None, limit: int, offset: int) -> Listed:
    """Newest first; ``period``: breaches of an assessment period inside it."""
    f = Filters(district)
    f.add("district = $1 AND recorded_at IS NOT NULL")
    f.equal("unit_id", unit)
    if period is not None:
        f.add(f"period_start >= {f.param(period.start)} AND period_end <= {f.param(period.end)}")
    return await _page(db, "FROM accountability_breaches", "recorded_at DESC, breach_id", f,
                       limit, offset)


REVIEW_STATUS = {
    "open": "concluded_at IS NULL AND review_opened_at IS NOT NULL",
    "concluded": "concluded_at IS NOT NULL",
}


async def reviews(db: asyncpg.Pool, district: str, *, status: str | None, limit: int,
                  offset: int) -> Listed:
    """Newest opened first (a review whose opening has not arrived yet, last)."""
    f = Filters(district)
    f.add("district = $1 AND (review_opened_at IS NOT NULL OR concluded_at IS NOT NULL)")
    if status is not None:
        f.add(REVIEW_STATUS[status])
    return await _page(db, "FROM accountability_breaches",
                       "review_opened_at DESC NULLS LAST, breach_id", f, limit, offset)


KEY_CASE_STATUS = {"open": "k.resolved_at IS NULL", "resolved": "k.resolved_at IS NOT NULL"}
_KEY_CASES = """FROM accountability_key_cases k
    LEFT JOIN case_view c ON c.case_id = k.case_id AND c.district = k.district
    LEFT JOIN LATERAL (SELECT count(*) AS progress_count, max(noted_at) AS last_progress_at
                         FROM accountability_key_case_progress p
                        WHERE p.district = k.district AND p.case_id = k.case_id) p ON true"""


async def key_cases(db: asyncpg.Pool, district: str, *, status: str | None,
                    period: ReportingPeriod | None = None, unit: str | None = None,
                    community: str | None = None, category: str | None = None,
                    limit: int, offset: int) -> Listed:
    """Longest in the ledger first; ``period``: in the ledger at some time during it."""
    f = Filters(district)
    f.add("k.district = $1 AND k.entered_at IS NOT NULL")
    if status is not None:
        f.add(KEY_CASE_STATUS[status])
    if period is not None:
        f.add(f"k.entered_at < {f.param(period.end)} AND "
              f"(k.resolved_at IS NULL OR k.resolved_at >= {f.param(period.start)})")
    f.equal("c.unit_id", unit)
    f.equal("c.community", community)
    f.equal("c.category", category)
    return await _page(db, _KEY_CASES, "k.entered_at, k.case_id", f, limit, offset,
                       "k.*, c.unit_id, c.community, c.category, p.progress_count, "
                       "p.last_progress_at")
