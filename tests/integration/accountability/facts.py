"""Intake's and routing's public events as accountability receives them, and their delivery
to its handlers as ``InboxConsumer`` does it: effects and inbox row in one transaction.

Every payload is checked against the published contract (``contracts/schemas``): it has each
required field and no field the schema does not name, so the tests feed what the services send.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg

from casebus.consumer import Handler
from casebus.envelope import CloudEvent, make_cloud_event

SCHEMAS = Path(__file__).parents[3] / "contracts" / "schemas"
ROUTING = {"assigned", "rerouted", "transferred", "escalated", "reopened", "accepted",
           "returned", "extension-approved", "supervision-ordered", "assignment-closed"}
HANDOVER = {"assisting_unit_ids": [], "return_deadline": "2099-01-01T00:00:00+08:00"}
RULED = {**HANDOVER, "rule_id": None, "explanation": "rule"}
EXTRA: dict[str, dict[str, Any]] = {  # required fields the clocks do not read
    "registered": {"channel": "visit", "category": "gas supply", "community": "Dingjia",
                   "location": None, "subject": "gas never connected", "level": "street",
                   "petitioner_ids": ["p-1"], "petitioner_count": 1, "collective": False,
                   "key_person": False, "key_period": False},
    "assigned": {**RULED, "category": "gas supply"},
    "rerouted": {**RULED, "from_unit_id": "previous"},
    "transferred": {**HANDOVER, "from_unit_id": "previous", "reason": "remit"},
    "escalated": {**HANDOVER, "from_unit_id": "previous", "from_level": "community",
                  "to_level": "street", "reason": "collective"},
    "reopened": {**RULED, "reason": "unmerged"},
    "returned": {"reason": "not our remit"},
    "supervision-ordered": {"issued_by": "leader-zhao", "instructions": "answer by then"},
    "assignment-closed": {"reason": "case concluded"},
    "answered": {"outcome": "resolved"},
    "review-decided": {"reviewing_body": "district office", "outcome": "upheld"},
    "reexamination-decided": {"reexamining_body": "city office", "outcome": "upheld"},
    "hearing-started": {"clerk_id": "clerk-wang"}, "hearing-ended": {"clerk_id": "clerk-wang"},
    "not-accepted": {"reason": "litigation", "guided_to": "people's court"},
    "merged": {"into_case_id": "other", "clerk_id": "clerk-wang"},
    "transferred-to-discipline-inspection": {"body": "district commission",
                                             "clerk_id": "clerk-wang"},
}


def fact(name: str, case_id: str, at: datetime, district: str = "chaoyang",
         **fields: Any) -> CloudEvent:
    """``petition.case.<name>.v1`` of ``case_id`` at ``at`` with the given fields."""
    data = _wire({"case_id": case_id, "district": district, "occurred_at": at,
                  **EXTRA.get(name, {}), **fields})
    wire_type = f"petition.case.{name}.v1"
    _check_contract(wire_type, data)
    service = "routing" if name in ROUTING else "intake"
    return make_cloud_event(event_id=str(uuid4()), source=f"urn:petition:{service}",
                            wire_type=wire_type, subject=case_id, time=at, district=district,
                            correlation_id=case_id, causation_id=case_id,
                            actor=f"system:{service}", data=data)


async def deliver(pool: asyncpg.Pool, handlers: dict[str, Handler], *events: CloudEvent,
                  consumer: str = "accountability") -> None:
    """Apply each event once, in order, as the inbox consumer does (a repeat is skipped)."""
    for event in events:
        async with pool.acquire() as conn, conn.transaction():
            fresh = await conn.fetchval(
                """INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)
                   ON CONFLICT DO NOTHING RETURNING true""", consumer, event.id)
            if fresh:
                await handlers[event.type](conn, event)


async def apply_again(pool: asyncpg.Pool, handlers: dict[str, Handler],
                      event: CloudEvent) -> None:
    """Run the handler again past the inbox: what a handler must survive."""
    async with pool.acquire() as conn, conn.transaction():
        await handlers[event.type](conn, event)


def _wire(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def _check_contract(wire_type: str, data: dict[str, Any]) -> None:
    schema = json.loads((SCHEMAS / f"{wire_type}.json").read_text())
    missing = set(schema.get("required", ())) - set(data)
    unknown = set(data) - set(schema["properties"])
    assert not missing and not unknown, f"{wire_type}: missing {missing}, unknown {unknown}"
