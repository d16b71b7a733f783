"""The key-case ledger's parts on a real database, composed after accountability's own handlers
as ``bootstrap`` composes them, for the ledger's integration tests."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from casebus import calendars
from casebus.clock import SimulatedClock
from casebus.consumer import Handler
from casebus.domain.events import EventRegistry
from casebus.envelope import CloudEvent
from casebus.repository import EventSourcedRepository
from casebus.store import EventStore, migrate
from casebus.topics import events_topic
from services.accountability.adapters import case_records, clock_index, ledger_index, letter_index
from services.accountability.domain.key_case_ledger import KEY_CASE_EVENTS
from services.accountability.service_layer.case_record_reactions import composed
from services.accountability.service_layer.ledger_keeping import LedgerKeeping, thresholds_from
from services.accountability.service_layer.ledger_reactions import LedgerReactions
from services.accountability.service_layer.ledger_sweep import KeyCaseSweep
from tests.integration.accountability.conftest import Instance
from tests.integration.accountability.facts import fact


class LedgerParts:
    def __init__(self, pool: asyncpg.Pool, clock: SimulatedClock,
                 open_days: dict[str, int] | None = None) -> None:
        self.keeping = LedgerKeeping(EventSourcedRepository(
            EventStore(pool), EventRegistry(*KEY_CASE_EVENTS), source="accountability",
            topic=events_topic("accountability")), thresholds_from(open_days or {}, {}))
        self.handlers: dict[str, Handler] = composed(Instance(pool, clock).handlers,
                                                     LedgerReactions(self.keeping).handlers)
        self.sweep = KeyCaseSweep(pool, self.keeping, clock, 1.0,
                                  min([90, *(open_days or {}).values()]))


async def ledger_parts(pool: asyncpg.Pool, clock: SimulatedClock,
                       open_days: dict[str, int] | None = None) -> LedgerParts:
    await migrate(pool, calendars.DDL, clock_index.DDL, case_records.DDL, letter_index.DDL,
                  ledger_index.DDL)
    return LedgerParts(pool, clock, open_days)


async def ledger_streams(pool: asyncpg.Pool) -> dict[str, list[str]]:
    rows = await pool.fetch("SELECT stream_id, type FROM events WHERE stream_id LIKE "
                            "'key-case/%' ORDER BY stream_id, version")
    streams: dict[str, list[str]] = {}
    for r in rows:
        streams.setdefault(r["stream_id"], []).append(
            r["type"].removeprefix("petition.key-case.").removesuffix(".v1"))
    return streams


def registered(case_id: str, at: datetime, district: str = "chaoyang") -> CloudEvent:
    return fact("registered", case_id, at, district, received_at=at)
