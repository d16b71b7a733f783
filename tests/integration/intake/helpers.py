"""Intake's integration tests: a petition, tokens, routing's facts applied through intake's own
consumer handlers, and a command posted twice with one Idempotency-Key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from fastapi import FastAPI

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.calendar_corrections import CalendarDayCorrected
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.settings import Settings
from tests.integration.service_app import auth

CST = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 9, 0, tzinfo=CST)  # a Monday
UNIT = "gas-company"
PETITION: dict[str, Any] = {
    "channel": "visit",
    "petitioners": [{"name": "Li Xiuying", "id_number": "11010519491231002X",
                     "phone": "13800138000", "address": "Dingjia 3-2-101"}],
    "category": "gas",
    "community": "Dingjia",
    "subject": "Gas supply never connected since completion",
    "description": "Building 3 has had no gas since it was completed in 2015.",
}
# Everything personal in PETITION: none of it may reach a unit, a report's reader, the wire.
PERSONAL = ("Li Xiuying", "11010519491231002X", "13800138000", "Dingjia 3-2-101",
            "no gas since")


def clerk(settings: Settings, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district)


def reader(settings: Settings, role: Role, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district, role=role, subject=f"{role}-zhao")


def unit_handler(settings: Settings, unit: str = UNIT, district: str = "chaoyang"
                 ) -> dict[str, str]:
    return auth(settings, district=district, role=Role.UNIT_HANDLER, subject="handler-li",
                unit=unit)


def _event(wire_type: str, subject: str, district: str, at: datetime,
           data: dict[str, Any]) -> CloudEvent:
    return make_cloud_event(event_id=str(uuid4()), source="urn:petition:routing",
                            wire_type=wire_type, subject=subject, time=at, district=district,
                            correlation_id="c", causation_id="c", actor="unit-handler:li",
                            data=data)


def rules_published(district: str, at: datetime = START, version: int = 1,
                    places: tuple[str, ...] = ()) -> CloudEvent:
    rules = [{"id": f"at-{p}", "match": {"location": p}, "lead_unit": UNIT} for p in places]
    return _event("petition.routing-rules.published.v1", f"routing-rules:{district}", district,
                  at, {"district": district, "occurred_at": at.isoformat(),
                       "rules_version": version,
                       "document": {"district": district, "rules": rules}})


def case_accepted(case_id: str, unit: str, at: datetime, district: str = "chaoyang"
                  ) -> CloudEvent:
    return _event("petition.case.accepted.v1", case_id, district, at,
                  {"case_id": case_id, "district": district, "occurred_at": at.isoformat(),
                   "unit_id": unit, "answer_limit_days": 60,
                   "answer_due": (at + timedelta(days=60)).isoformat()})


def day_corrected(district: str, day: str, at: datetime) -> CloudEvent:
    data = CalendarDayCorrected.model_validate(
        {"district": district, "occurred_at": at, "day": day, "kind": "holiday",
         "reason": "district flood day", "corrected_by": "leader-zhao"})
    return _event(CalendarDayCorrected.wire_type(), f"calendar:{district}", district, at,
                  data.model_dump(mode="json"))


async def apply(app: FastAPI, event: CloudEvent) -> None:
    """Apply a consumed event with intake's own handler, as its consumer does (in one
    transaction); the broker round trip is tested separately."""
    intake = app.state.intake
    handlers = {**intake.routing_facts.handlers, **intake.cases.book.handlers}
    async with intake.pool.acquire() as conn, conn.transaction():
        await handlers[event.type](conn, event)


async def register(client: httpx.AsyncClient, settings: Settings, district: str = "chaoyang",
                   **changes: Any) -> str:
    created = await client.post("/api/v1/petitions", json={**PETITION, **changes},
                                headers=clerk(settings, district))
    assert created.status_code == 201, created.text
    case_id: str = created.json()["case_id"]
    return case_id


async def accepted_case(app: FastAPI, client: httpx.AsyncClient, settings: Settings,
                        clock: SimulatedClock, unit: str = UNIT, district: str = "chaoyang",
                        **changes: Any) -> str:
    case_id = await register(client, settings, district, **changes)
    await apply(app, case_accepted(case_id, unit, clock.advance(timedelta(hours=1)), district))
    return case_id


async def step(client: httpx.AsyncClient, path: str, headers: dict[str, str],
               body: dict[str, Any] | None = None) -> dict[str, Any]:
    """Post a command with a fresh Idempotency-Key, then again: the retry gets the same answer,
    marked as replayed, and records nothing."""
    keyed = {**headers, "Idempotency-Key": f"k-{uuid4().hex}"}
    first = await client.post(path, json=body or {}, headers=keyed)
    assert first.status_code == 200, first.text
    assert first.json()["events"], "a command that succeeds records something"
    again = await client.post(path, json=body or {}, headers=keyed)
    assert again.status_code == 200 and again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    answer: dict[str, Any] = first.json()
    return answer


async def refused(client: httpx.AsyncClient, path: str, headers: dict[str, str], rule: str,
                  body: dict[str, Any] | None = None) -> None:
    answer = await client.post(path, json=body or {}, headers=headers)
    assert answer.status_code == 409, answer.text
    assert answer.json()["rule"] == rule


async def count_events(settings: Settings, case_id: str) -> int:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1",
                                       case_id))
    finally:
        await conn.close()
