"""asyncpg pools with JSON codecs, so jsonb columns read and write plain dicts."""

from __future__ import annotations

import contextlib
import json

import asyncpg


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads,
                                  schema="pg_catalog")


async def connect_pool(dsn: str, *, min_size: int = 1, max_size: int = 10,
                       statement_timeout_ms: int = 30_000,
                       idle_in_transaction_timeout_ms: int = 60_000) -> asyncpg.Pool:
    """A pool whose sessions cannot hold the cluster back: a forgotten or hung transaction
    would stall every gap-safe reader (they read below the oldest running transaction)."""
    settings = {"statement_timeout": str(statement_timeout_ms),
                "idle_in_transaction_session_timeout": str(idle_in_transaction_timeout_ms)}
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size,
                                     init=_init_connection, server_settings=settings)
    assert pool is not None
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
