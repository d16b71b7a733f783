"""The early-warning worker's warnings, kept for leaders to read (one row per warning id: the
worker may publish a warning again under the same id, which changes nothing)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.domain.clock_condition import local_iso
from casebus.envelope import CloudEvent

DDL = """
CREATE TABLE IF NOT EXISTS early_warnings (
    warning_id   text PRIMARY KEY,
    district     text NOT NULL,
    kind         text NOT NULL,
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    count        integer NOT NULL,
    threshold    integer NOT NULL,
    key_period   boolean NOT NULL,
    case_ids     jsonb NOT NULL,
    raised_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS early_warnings_by_district ON early_warnings (district, raised_at);
"""


class RaisedView(BaseModel):
    model_config = ConfigDict(extra="ignore")
    warning_id: str
    kind: str
    key: str
    window_start: AwareDatetime
    window_end: AwareDatetime
    count: int
    threshold: int
    key_period: bool = False
    case_ids: list[str]


async def record(conn: asyncpg.Connection, event: CloudEvent) -> None:
    w = RaisedView.model_validate(event.data)
    await conn.execute(
        """INSERT INTO early_warnings (warning_id, district, kind, key, window_start, window_end,
                                       count, threshold, key_period, case_ids, raised_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING""",
        w.warning_id, event.district, w.kind, w.key, w.window_start, w.window_end, w.count,
        w.threshold, w.key_period, w.case_ids, event.time)


async def listed(pool: asyncpg.Pool, district: str, limit: int,
                 offset: int) -> tuple[int, list[dict[str, Any]]]:
    total = await pool.fetchval("SELECT count(*) FROM early_warnings WHERE district = $1",
                                district)
    rows = await pool.fetch(
        """SELECT * FROM early_warnings WHERE district = $1
           ORDER BY raised_at DESC, warning_id LIMIT $2 OFFSET $3""", district, limit, offset)
    return total, [{
        "warning_id": r["warning_id"], "kind": r["kind"], "key": r["key"],
        "window_start": local_iso(r["window_start"]), "window_end": local_iso(r["window_end"]),
        "count": r["count"], "threshold": r["threshold"], "key_period": r["key_period"],
        "case_ids": r["case_ids"] if isinstance(r["case_ids"], list)
        else json.loads(r["case_ids"]),
        "raised_at": local_iso(r["raised_at"])} for r in rows]
