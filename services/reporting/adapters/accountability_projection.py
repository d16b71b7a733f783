"""Accountability's breach, review and key-case events into reporting's tables.

Every write is an upsert of the event's own columns: a repeated event leaves the row as it
was, and events of one breach or key case give the same row in any order. An event whose data
cannot be read is logged and skipped (never dead-lettered for being odd).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from casebus.consumer import Handler
from casebus.envelope import CloudEvent

log = logging.getLogger(__name__)


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Finding(_Read):
    letter_id: str
    unit_id: str
    target: str
    rate: str | None = None
    measured: str
    threshold: str
    period_start: AwareDatetime
    period_end: AwareDatetime
    case_ids: list[str]


class BreachFact(_Read):
    breach_id: str = Field(min_length=1)


class Recorded(BreachFact):
    finding: Finding


class Opened(BreachFact):
    unit_id: str
    responsible_person: str | None = None


class Concluded(BreachFact):
    responsibility_confirmed: bool
    conclusion: str
    induced_by_unit_error: bool = False
    responsible_person: str | None = None


def review_id(breach_id: str) -> str:
    """The id accountability gives the breach's review in its own API (same derivation), so
    that a leader can conclude the review listed here."""
    return hashlib.sha256(breach_id.encode()).hexdigest()[:20]


_NEW_BREACH = """INSERT INTO accountability_breaches (breach_id, district, review_id)
                 VALUES ($1, $2, $3) ON CONFLICT (breach_id) DO NOTHING"""


async def _breach_row(conn: asyncpg.Connection, event: CloudEvent, breach_id: str) -> None:
    await conn.execute(_NEW_BREACH, breach_id, event.district, review_id(breach_id))


async def breach_recorded(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = Recorded.model_validate(event.data)
    f = e.finding
    await _breach_row(conn, event, e.breach_id)
    await conn.execute(
        """UPDATE accountability_breaches SET letter_id = $2, unit_id = $3, target = $4,
               rate = $5, measured = $6, threshold = $7, period_start = $8, period_end = $9,
               case_ids = $10, recorded_at = $11
           WHERE breach_id = $1 AND recorded_at IS NULL""",
        e.breach_id, f.letter_id, f.unit_id, f.target, f.rate, f.measured, f.threshold,
        f.period_start, f.period_end, f.case_ids, event.time)


async def review_opened(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = Opened.model_validate(event.data)
    await _breach_row(conn, event, e.breach_id)
    await conn.execute(
        """UPDATE accountability_breaches SET review_unit_id = $2, review_opened_at = $3,
               opened_responsible = $4
           WHERE breach_id = $1 AND review_opened_at IS NULL""",
        e.breach_id, e.unit_id, event.time, e.responsible_person)


async def review_concluded(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = Concluded.model_validate(event.data)
    await _breach_row(conn, event, e.breach_id)
    await conn.execute(
        """UPDATE accountability_breaches SET concluded_at = $2, conclusion = $3,
               responsibility_confirmed = $4, induced_by_unit_error = $5,
               concluded_responsible = $6
           WHERE breach_id = $1 AND concluded_at IS NULL""",
        e.breach_id, event.time, e.conclusion, e.responsibility_confirmed,
        e.induced_by_unit_error, e.responsible_person)


Write = Callable[[asyncpg.Connection, CloudEvent], Awaitable[None]]


def tolerant(write: Write) -> Handler:
    async def apply(conn: asyncpg.Connection, event: CloudEvent) -> None:
        try:
            await write(conn, event)
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            log.info("accountability event not readable; skipped",
                     extra={"event_id": event.id, "type": event.type, "problem": str(exc)})
    return apply


def _breach(name: str) -> str:
    return f"petition.{name}.v1"


BREACH_HANDLERS: dict[str, Handler] = {
    _breach("breach.recorded"): tolerant(breach_recorded),
    _breach("accountability-review.opened"): tolerant(review_opened),
    _breach("accountability-review.concluded"): tolerant(review_concluded),
}
