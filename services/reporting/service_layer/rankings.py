"""Monthly rankings: computed once, frozen, and recomputable over the same history.

Publishing stores the exact bytes answered and the consumer's log positions read in the same
snapshot as the records; reading answers those bytes, whatever arrived since. Recomputing
refolds the events at or below the stored positions, with the published or other weights.
"""

from __future__ import annotations

import json
from datetime import datetime
from fractions import Fraction
from typing import Any
from uuid import uuid4

import asyncpg

from casebus.domain.clock_condition import local_iso
from casebus.domain.measured_rate import RateKind
from casebus.domain.rankings import RankBy, RankingWeights
from services.reporting.adapters.case_record_reads import records_and_positions, records_at
from services.reporting.service_layer.ranking_body import (
    positions_json,
    positions_of,
    ranking_json,
)
from services.reporting.service_layer.rate_reads import CONSUMER


def frozen_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def publish(conn: asyncpg.Connection, *, district: str, month: str, by: RankBy,
                  weights: RankingWeights, basically_satisfied_weight: Fraction,
                  at: datetime, computed_by: str) -> dict[str, Any]:
    records, positions = await records_and_positions(conn, district, CONSUMER)
    ranking_id = f"ranking-{uuid4().hex[:16]}"
    body = {"ranking_id": ranking_id, "computed_at": local_iso(at), "computed_by": computed_by,
            "positions": positions_json(positions),
            **ranking_json(records, district=district, month=month, by=by, weights=weights,
                           basically_satisfied_weight=basically_satisfied_weight)}
    await conn.execute(
        """INSERT INTO rankings (ranking_id, district, month, by_key, computed_at, positions,
                                 body) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        ranking_id, district, month, by.value, at, body["positions"], frozen_bytes(body))
    return body


async def published(pool: asyncpg.Pool, district: str, ranking_id: str) -> bytes | None:
    body: bytes | None = await pool.fetchval(
        "SELECT body FROM rankings WHERE ranking_id = $1 AND district = $2",
        ranking_id, district)
    return body


async def listed(pool: asyncpg.Pool, district: str, month: str | None, limit: int,
                 offset: int) -> dict[str, Any]:
    rows = await pool.fetch(
        """SELECT ranking_id, month, by_key, computed_at, count(*) OVER () AS total
             FROM rankings WHERE district = $1 AND ($2::text IS NULL OR month = $2)
            ORDER BY computed_at DESC, ranking_id LIMIT $3 OFFSET $4""",
        district, month, limit, offset)
    return {"total": rows[0]["total"] if rows else 0,
            "rankings": [{"ranking_id": r["ranking_id"], "month": r["month"], "by": r["by_key"],
                          "computed_at": local_iso(r["computed_at"])} for r in rows]}


async def recomputed(pool: asyncpg.Pool, district: str, ranking_id: str,
                     weights: RankingWeights | None,
                     basically_satisfied_weight: Fraction | None) -> dict[str, Any] | None:
    """The published ranking and, beside it, the same history ranked again (by default with
    the published weights: then the two are equal)."""
    raw = await published(pool, district, ranking_id)
    if raw is None:
        return None
    stored = json.loads(raw)
    same_weights = RankingWeights.of(
        {RateKind(k): Fraction(v) for k, v in stored["weights"].items()})
    records = await records_at(pool, district, positions_of(stored["positions"]))
    again = ranking_json(
        records, district=district, month=stored["period"]["name"], by=RankBy(stored["by"]),
        weights=weights or same_weights,
        basically_satisfied_weight=(basically_satisfied_weight
                                    if basically_satisfied_weight is not None
                                    else Fraction(stored["basically_satisfied_weight"])))
    return {"published": stored, "recomputed": {"positions": stored["positions"], **again}}
