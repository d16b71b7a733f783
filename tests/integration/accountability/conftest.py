"""Accountability's clock keeping on a real database: its tables, its handlers, its clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
import pytest

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.clock import SimulatedClock
from casebus.consumer import Handler
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.deadlines import CHINA_TZ
from casebus.domain.events import EventRegistry
from casebus.repository import EventSourcedRepository
from casebus.store import EventStore, migrate
from casebus.topics import events_topic
from services.accountability.adapters import case_records, clock_index, letter_index
from services.accountability.bootstrap import LEADING_GROUP_EVENTS
from services.accountability.service_layer.case_record_reactions import (
    CaseRecordReactions,
    composed,
)
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.intake_reactions import IntakeReactions
from services.accountability.service_layer.letter_desk import LetterDesk
from services.accountability.service_layer.letter_evaluation import LetterEvaluation
from services.accountability.service_layer.routing_reactions import RoutingReactions


def keeping_on(pool: asyncpg.Pool) -> ClockKeeping:
    return ClockKeeping(EventSourcedRepository(
        EventStore(pool), EventRegistry(*CLOCK_EVENTS), source="accountability",
        topic=events_topic("accountability")), CalendarBook(pool))


@pytest.fixture
async def keeping(pool: asyncpg.Pool) -> ClockKeeping:
    await migrate(pool, calendars.DDL, clock_index.DDL)
    return keeping_on(pool)


@pytest.fixture
def handlers(keeping: ClockKeeping) -> dict[str, Handler]:
    return {**IntakeReactions(keeping).handlers, **RoutingReactions(keeping).handlers}


async def clocks_of(pool: asyncpg.Pool, case_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await clock_index.case_clocks(pool, case_id)]


async def by_kind(pool: asyncpg.Pool, case_id: str) -> dict[str, list[dict[str, Any]]]:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for row in await clocks_of(pool, case_id):
        kinds.setdefault(row["kind"], []).append(row)
    return kinds


async def stream_types(pool: asyncpg.Pool, clock_id: str) -> list[str]:
    rows = await pool.fetch("SELECT type FROM events WHERE stream_id = $1 ORDER BY version",
                            clock_id)
    return [r["type"].removeprefix("petition.clock.").removesuffix(".v1") for r in rows]


async def event_count(pool: asyncpg.Pool) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM events")
    return count


# Letters, breaches, spot checks: the leading group's parts on the same database.
MARCH_END = datetime(2026, 3, 25, 12, tzinfo=CHINA_TZ)


class Instance:
    """One accountability instance's letter parts: its pool, clock and composed handlers."""

    def __init__(self, pool: asyncpg.Pool, clock: SimulatedClock) -> None:
        self.pool = pool
        self.clock = clock
        self.keeping = keeping_on(pool)
        self.repository = EventSourcedRepository(
            EventStore(pool), EventRegistry(*LEADING_GROUP_EVENTS), source="accountability",
            topic=events_topic("accountability"))
        self.evaluation = LetterEvaluation(self.repository, clock)
        self.desk = LetterDesk(self.repository, self.evaluation)
        self.handlers = composed(
            {**IntakeReactions(self.keeping).handlers, **RoutingReactions(self.keeping).handlers},
            CaseRecordReactions(self.evaluation).handlers)


@pytest.fixture
async def instance(pool: asyncpg.Pool) -> Instance:
    await migrate(pool, calendars.DDL, clock_index.DDL, case_records.DDL, letter_index.DDL)
    return Instance(pool, SimulatedClock(MARCH_END))


async def breach_streams(pool: asyncpg.Pool) -> dict[str, list[dict[str, Any]]]:
    """Every breach stream: its events' types and data, in order."""
    rows = await pool.fetch("SELECT stream_id, type, data FROM events WHERE stream_id LIKE "
                            "'breach/%' ORDER BY stream_id, version")
    streams: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        streams.setdefault(r["stream_id"], []).append(
            {"type": r["type"], **r["data"]})
    return streams
