"""Event-sourced repository: load a stream, let the domain decide, append what it decided.

The domain's events are stored whole (personal fields sealed by a ``PersonalData`` protector)
and published without their personal fields, as CloudEvents on the service's topic, through
the outbox written in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import uuid4

import asyncpg

from casebus.domain.events import DomainEvent, EventRegistry
from casebus.envelope import make_cloud_event
from casebus.observability import EVENTS_APPENDED
from casebus.store.event_store import (
    ConcurrencyError,
    EventStore,
    NewEvent,
    Publication,
    RecordedEvent,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metadata:
    """Who asked for the change and in answer to what."""

    actor: str
    correlation_id: str
    causation_id: str

    @staticmethod
    def fresh(actor: str) -> Metadata:
        request = str(uuid4())
        return Metadata(actor=actor, correlation_id=request, causation_id=request)


class PersonalData(Protocol):
    """Seals an event's personal fields for storage and opens them when loading."""

    async def seal(self, conn: asyncpg.Connection, event: DomainEvent,
                   data: dict[str, Any], stream_id: str) -> dict[str, Any]: ...

    async def open(self, conn: asyncpg.Connection, data: dict[str, Any]) -> dict[str, Any]: ...


Decision = Callable[[list[DomainEvent]], Sequence[DomainEvent]]


class EventSourcedRepository:
    def __init__(self, store: EventStore, registry: EventRegistry, *, source: str, topic: str,
                 personal_data: PersonalData | None = None) -> None:
        self.store = store
        self.registry = registry
        self.source = f"urn:petition:{source}"
        self.topic = topic
        self.personal_data = personal_data

    async def load(self, stream_id: str,
                   conn: asyncpg.Connection | None = None) -> list[DomainEvent]:
        return await self._parsed(await self.store.load(stream_id, conn), conn)

    async def load_selected(self, select_ids: str, *args: Any,
                            conn: asyncpg.Connection | None = None
                            ) -> dict[str, list[DomainEvent]]:
        """The streams ``select_ids`` names, in one statement (``EventStore.load_selected``)."""
        streams = await self.store.load_selected(select_ids, *args, conn=conn)
        return {stream_id: await self._parsed(recorded, conn)
                for stream_id, recorded in streams.items()}

    async def _parsed(self, recorded: list[RecordedEvent],
                      conn: asyncpg.Connection | None) -> list[DomainEvent]:
        events = []
        for r in recorded:
            data = r.data
            if self.personal_data is not None:
                async with _borrowed(self.store.pool, conn, transaction=False) as c:
                    data = await self.personal_data.open(c, data)
            events.append(self.registry.parse(r.type, data))
        return events

    async def execute(self, stream_id: str, decision: Decision, metadata: Metadata,
                      conn: asyncpg.Connection | None = None,
                      retries: int = 3) -> Sequence[DomainEvent]:
        """Load, decide, append; on a concurrent append, decide again on the fresh history.
        Inside a caller's transaction (``conn``) there is no retry: the caller retries."""
        for attempt in range(1, retries + 1):
            history = await self.load(stream_id, conn)
            new = decision(history)
            try:
                await self.append(stream_id, len(history), new, metadata, conn)
            except ConcurrencyError:
                if conn is not None or attempt == retries:
                    raise
                log.info("concurrent append, deciding again", extra={"case_id": stream_id})
                continue
            return new
        raise AssertionError("unreachable")

    async def append(self, stream_id: str, expected_version: int,
                     new: Sequence[DomainEvent], metadata: Metadata,
                     conn: asyncpg.Connection | None = None) -> None:
        """Append ``new`` after ``expected_version`` (a caller that already holds the stream's
        history); ``ConcurrencyError`` if the stream moved on."""
        if not new:
            return
        async with _borrowed(self.store.pool, conn, transaction=True) as c:
            records = [await self._to_new(stream_id, e, metadata, c) for e in new]
            await self.store.append(stream_id, expected_version, records, c)
        for e in new:
            EVENTS_APPENDED.labels(self.source, e.wire_type()).inc()

    async def _to_new(self, stream_id: str, event: DomainEvent, metadata: Metadata,
                      conn: asyncpg.Connection) -> NewEvent:
        event_id = str(uuid4())
        # Subject and key are the case id, also for streams inside a case (a case's clocks), so
        # that all of one case's events share a partition and stay in order.
        case_id = str(getattr(event, "case_id", "") or stream_id)
        data = event.model_dump(mode="json")
        if self.personal_data is not None and event.personal_fields:
            data = await self.personal_data.seal(conn, event, data, stream_id)
        cloud_event = make_cloud_event(
            event_id=event_id, source=self.source, wire_type=event.wire_type(),
            subject=case_id, time=event.occurred_at, district=event.district,
            correlation_id=metadata.correlation_id, causation_id=metadata.causation_id,
            actor=metadata.actor, data=event.public_data())
        return NewEvent(
            event_id=event_id, type=event.wire_type(), district=event.district,
            occurred_at=event.occurred_at, data=data,
            metadata={"actor": metadata.actor, "correlation_id": metadata.correlation_id,
                      "causation_id": metadata.causation_id},
            publication=Publication(self.topic, case_id,
                                    cloud_event.model_dump(mode="json")))



@asynccontextmanager
async def _borrowed(pool: asyncpg.Pool, conn: asyncpg.Connection | None,
                    transaction: bool) -> AsyncIterator[asyncpg.Connection]:
    """The caller's connection (already inside its transaction), or one from the pool."""
    if conn is not None:
        yield conn
        return
    async with pool.acquire() as own:
        if transaction:
            async with own.transaction():
                yield own
        else:
            yield own
