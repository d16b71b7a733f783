"""Reading one case (for anyone allowed to see it) and a unit's open cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_condition import local_iso
from services.reporting.adapters import case_queries
from services.reporting.adapters.clock_queries import clocks_of
from services.reporting.adapters.timeline import timeline
from services.reporting.domain.told import told_to_petitioner
from services.reporting.service_layer.presenters import (
    assignment_answer,
    case_summary,
    clock_answer,
)


@dataclass(frozen=True)
class CaseAccess:
    """What deciding who may see a case needs: its district (None: unknown case) and every
    unit that held, holds or assists it."""

    district: str | None
    units: list[str]


async def case_access(pool: asyncpg.Pool, case_id: str) -> CaseAccess:
    case = await case_queries.case_row(pool, case_id)
    if case is None:
        return CaseAccess(None, [])
    return CaseAccess(case["district"], await case_queries.units_involved(pool, case_id))


async def case_answer(pool: asyncpg.Pool, case_id: str, now: datetime) -> dict[str, Any] | None:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                        readonly=True):
        case = await case_queries.case_row(conn, case_id)  # one snapshot for every part
        if case is None:
            return None
        orders = await case_queries.supervision_orders(conn, case_id)
        units = await case_queries.units_involved(conn, case_id)
        clocks = await clocks_of(conn, [case_id])
        events = await timeline(conn, case_id)
    return case_body(case, orders, units, clocks, events, now)


def case_body(case: Mapping[str, Any], orders: list[Any], units: list[str], clocks: list[Any],
              events: list[Any], at: datetime) -> dict[str, Any]:
    """The case answer, now or as of a past instant (``case_as_of``): one presentation."""
    return {
        **case_summary(case), "as_of": local_iso(at),
        "stage_at": local_iso(case["stage_at"]),
        "assignment": assignment_answer(case, orders), "units_involved": units,
        "clocks": [clock_answer(k, at) for k in clocks],
        "events": [{"event_id": e["event_id"], "type": e["type"], "source": e["source"],
                    "occurred_at": local_iso(e["occurred_at"]), "data": e["data"]}
                   for e in events],
        "told_to_petitioner": [
            {**t, "told_at": local_iso(t["told_at"])} for t in told_to_petitioner(
                (e["event_id"], e["type"], e["occurred_at"], e["data"]) for e in events)],
    }


async def unit_cases(pool: asyncpg.Pool, district: str, unit_id: str, now: datetime,
                     limit: int, offset: int) -> dict[str, Any]:
    total, cases = await case_queries.unit_cases(pool, district, unit_id, limit, offset)
    clocks = await clocks_of(pool, [c["case_id"] for c in cases])
    by_case: dict[str, list[dict[str, Any]]] = {}
    for k in clocks:
        by_case.setdefault(k["case_id"], []).append(clock_answer(k, now))
    return {
        "district": district, "unit_id": unit_id, "as_of": local_iso(now), "total": total,
        "limit": limit, "offset": offset,
        "cases": [{**case_summary(c), "role": "lead" if c["unit_id"] == unit_id else "assisting",
                   "acceptance_due": local_iso(c["acceptance_due"]),
                   "answer_due": local_iso(c["answer_due"]),
                   "clocks": by_case.get(c["case_id"], [])} for c in cases],
    }
