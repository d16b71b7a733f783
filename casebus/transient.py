"""Which failures are worth retrying forever: the same work succeeds once the database or the
broker is back (consumers, the deadline watcher, sweeps and the rebuild)."""

from __future__ import annotations

import asyncio

import asyncpg

from casebus.store.event_store import ConcurrencyError

TRANSIENT = (OSError, asyncio.TimeoutError, asyncpg.PostgresConnectionError,
             asyncpg.InterfaceError, asyncpg.SerializationError, asyncpg.DeadlockDetectedError,
             asyncpg.TooManyConnectionsError, asyncpg.CannotConnectNowError, ConcurrencyError,
             asyncpg.InternalClientError)  # a connection broken mid-operation
# Connection exceptions, transaction rollbacks, insufficient resources, operator intervention.
_TRANSIENT_SQLSTATES = ("08", "40", "53", "57P01", "57P02", "57P03")


def is_transient(exc: BaseException) -> bool:
    """Worth retrying forever: the same work will succeed once the database is back."""
    if isinstance(exc, TRANSIENT):
        return True
    state = getattr(exc, "sqlstate", None)
    return isinstance(exc, asyncpg.PostgresError) and isinstance(state, str) \
        and state.startswith(_TRANSIENT_SQLSTATES)
