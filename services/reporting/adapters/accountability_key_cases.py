"""The key-case ledger's events (``petition.key-case.*.v1``) into ``accountability_key_cases``.

Each event fills its own columns; the latest plan (by when it was set) wins, whatever order
plans arrive in; a progress note counts once by its event id. Only the fact and time of a note
are kept, not its words (nor the resolution's outcome: the list shows when, not what).
"""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel, ConfigDict, Field

from casebus.consumer import Handler
from casebus.envelope import CloudEvent
from services.reporting.adapters.accountability_projection import tolerant


class KeyCaseFact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    case_id: str = Field(min_length=1)


class Entered(KeyCaseFact):
    reason: str = Field(min_length=1)


class PlanSet(KeyCaseFact):
    plan: str
    leader_in_charge: str


_ROW = """INSERT INTO accountability_key_cases (district, case_id) VALUES ($1, $2)
          ON CONFLICT (district, case_id) DO NOTHING"""


async def entered(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = Entered.model_validate(event.data)
    await conn.execute(_ROW, event.district, e.case_id)
    await conn.execute(
        """UPDATE accountability_key_cases SET
               reasons = CASE WHEN $3 = ANY(reasons) THEN reasons ELSE reasons || $3 END,
               entered_at = least(coalesce(entered_at, $4), $4)
           WHERE district = $1 AND case_id = $2""",
        event.district, e.case_id, e.reason, event.time)


async def plan_set(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = PlanSet.model_validate(event.data)
    await conn.execute(_ROW, event.district, e.case_id)
    await conn.execute(
        """UPDATE accountability_key_cases SET plan = $3, leader_in_charge = $4,
               plan_set_at = $5
           WHERE district = $1 AND case_id = $2
             AND (plan_set_at IS NULL OR plan_set_at <= $5)""",
        event.district, e.case_id, e.plan, e.leader_in_charge, event.time)


async def progress_noted(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = KeyCaseFact.model_validate(event.data)
    await conn.execute(_ROW, event.district, e.case_id)
    await conn.execute(
        """INSERT INTO accountability_key_case_progress (event_id, district, case_id, noted_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING""",
        event.id, event.district, e.case_id, event.time)


async def resolved(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = KeyCaseFact.model_validate(event.data)
    await conn.execute(_ROW, event.district, e.case_id)
    await conn.execute(
        """UPDATE accountability_key_cases SET resolved_at = $3
           WHERE district = $1 AND case_id = $2 AND resolved_at IS NULL""",
        event.district, e.case_id, event.time)


def _key_case(name: str) -> str:
    return f"petition.key-case.{name}.v1"


KEY_CASE_HANDLERS: dict[str, Handler] = {
    _key_case("entered"): tolerant(entered),
    _key_case("plan-set"): tolerant(plan_set),
    _key_case("progress-noted"): tolerant(progress_noted),
    _key_case("resolved"): tolerant(resolved),
}
