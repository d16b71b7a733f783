"""A service's own event store, outbox, inbox and checkpoints, in its own PostgreSQL database."""

from casebus.store.event_store import (
    ConcurrencyError,
    EventStore,
    GlobalPosition,
    NewEvent,
    Publication,
    RecordedEvent,
)
from casebus.store.pool import connect_pool
from casebus.store.schema import migrate

__all__ = ["ConcurrencyError", "EventStore", "GlobalPosition", "NewEvent", "Publication",
           "RecordedEvent", "connect_pool", "migrate"]
