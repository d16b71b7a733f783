"""asyncpg pools with JSON codecs, so jsonb columns read and write plain dicts."""

from __future__ import annotations

import contextlib
from typing import Any

import asyncpg
from pydantic_core import from_json, to_json

from casebus.store.bounded_pool import BoundedPool


def _json_text(value: Any) -> str:
    return to_json(value).decode()


async def _init_connection(conn: asyncpg.Connection) -> None:
    # pydantic's Rust JSON, not the json module: two to four times faster either way, and every
    # event, record and row of JSON passes through here. The same JSON values for what
    # json.dumps takes (non-ASCII written as UTF-8, not escaped); datetimes too, as ISO 8601,
    # where json.dumps refused them.
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=_json_text, decoder=from_json,
                                  schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections are not reset with a round trip (asyncpg's default runs
    ``RESET ALL``, ``UNLISTEN *`` and ``pg_advisory_unlock_all()`` on every release, a tenth of a
    busy consumer's time). asyncpg still ends an open transaction and drops listeners; nothing
    here sets session state, and the one session lock (the relay's) is released explicitly."""


async def connect_pool(dsn: str, *, min_size: int = 1, max_size: int = 10,
                       statement_timeout_ms: int = 30_000,
                       idle_in_transaction_timeout_ms: int = 60_000,
                       acquire_timeout_s: float = 10.0,
                       connect_timeout_s: float = 5.0) -> asyncpg.Pool:
    """A pool whose sessions cannot hold the cluster back: a forgotten or hung transaction
    would stall every gap-safe reader (they read below the oldest running transaction)."""
    settings = {"statement_timeout": str(statement_timeout_ms),
                "idle_in_transaction_session_timeout": str(idle_in_transaction_timeout_ms)}
    # Built as asyncpg.create_pool builds its Pool (asyncpg 0.32), with the bounded class.
    pool = BoundedPool(dsn, min_size=min_size, max_size=max_size, max_queries=50_000,
                       max_inactive_connection_lifetime=300.0, init=_init_connection,
                       reset=_keep_session, loop=None, connection_class=asyncpg.Connection,
                       record_class=asyncpg.Record, server_settings=settings,
                       timeout=connect_timeout_s)
    pool.acquire_timeout = acquire_timeout_s
    await pool
    return pool


async def ensure_database(dsn: str) -> None:
    """Create the database named in ``dsn`` if it does not exist (embedded stack and tests)."""
    base, _, name = dsn.rpartition("/")
    name = name.split("?")[0]
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            # Another process may create it first; that is fine.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
