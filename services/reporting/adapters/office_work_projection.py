"""Intake's reception-day and service-work events into reporting's read models.

Every write is an upsert that a repeated event leaves as it was, and that does not depend on
the order of a day's events; an event whose data cannot be read is logged and skipped (it is
never dead-lettered for being odd).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg

from casebus.consumer import Handler
from casebus.envelope import CloudEvent

log = logging.getLogger(__name__)

Write = Callable[[asyncpg.Connection, CloudEvent, dict[str, Any]], Awaitable[None]]


async def _scheduled(conn: asyncpg.Connection, event: CloudEvent, d: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO reception_days (reception_day_id, district, leader_id, day) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        str(d["reception_day_id"]), event.district, str(d["leader_id"]), _day(d))


async def _held(conn: asyncpg.Connection, event: CloudEvent, d: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO reception_days (reception_day_id, district, leader_id, day, held) "
        "VALUES ($1, $2, $3, $4, true) "
        "ON CONFLICT (reception_day_id) DO UPDATE SET held = true",
        str(d["reception_day_id"]), event.district, str(d["leader_id"]), _day(d))


async def _received(conn: asyncpg.Connection, event: CloudEvent, d: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO reception_persons (reception_id, reception_day_id, district, leader_id, "
        "day) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        str(d["reception_id"]), str(d["reception_day_id"]), event.district,
        str(d["leader_id"]), _day(d))


async def _outcome(conn: asyncpg.Connection, event: CloudEvent, d: dict[str, Any]) -> None:
    case_id = d.get("registered_case_id")
    await conn.execute(
        "INSERT INTO reception_persons (reception_id, reception_day_id, district, leader_id, "
        "day, outcome, registered_case_id) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (reception_id) DO UPDATE SET outcome = excluded.outcome, "
        "registered_case_id = excluded.registered_case_id",
        str(d["reception_id"]), str(d["reception_day_id"]), event.district,
        str(d["leader_id"]), _day(d), str(d["outcome"]),
        None if case_id is None else str(case_id))


async def _service_work(conn: asyncpg.Connection, event: CloudEvent,
                        d: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO service_work_days (service_work_id, district, community, day, cadres,
                                          demands_resolved, persons_guided, revision)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (service_work_id) DO UPDATE SET
               cadres = excluded.cadres, demands_resolved = excluded.demands_resolved,
               persons_guided = excluded.persons_guided, revision = excluded.revision
           WHERE service_work_days.revision < excluded.revision""",
        str(d["service_work_id"]), event.district, str(d["community"]), _day(d),
        len(d["cadres"]), _count(d["demands_resolved"]), _count(d["persons_guided"]),
        _count(d["revision"]))


def _day(d: dict[str, Any]) -> date:
    return date.fromisoformat(str(d["day"]))


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2**31 - 1:
        raise ValueError(f"not a count: {value!r}")
    return value


def _tolerant(write: Write) -> Handler:
    async def apply(conn: asyncpg.Connection, event: CloudEvent) -> None:
        try:
            await write(conn, event, event.data)
        except (KeyError, TypeError, ValueError) as exc:
            log.info("office-work event not readable; skipped",
                     extra={"event_id": event.id, "type": event.type, "problem": str(exc)})
    return apply


HANDLERS: dict[str, Handler] = {
    "petition.reception-day.scheduled.v1": _tolerant(_scheduled),
    "petition.reception-day.reception-recorded.v1": _tolerant(_received),
    "petition.reception-day.outcome-recorded.v1": _tolerant(_outcome),
    "petition.reception-day.held.v1": _tolerant(_held),
    "petition.service-work.recorded.v1": _tolerant(_service_work),
    "petition.service-work.corrected.v1": _tolerant(_service_work),
}
