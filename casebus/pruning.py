"""Pruning what only needs to be kept for a while: idempotency keys.

A retried command is answered from its stored first answer for ``idempotency_retention_hours``
(72 by default: a client retries within minutes, an office's system after an outage within a
day or two); older keys are deleted in small batches, so the table stays the size of three
days of commands. The outbox and the inbox are not pruned yet: the outbox is what a broker that
lost its log is refilled from, and the inbox is what drops the refilled events a consumer had
applied, so both must first be able to refill from the ``events`` table.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from casebus.observability import ROWS_PRUNED

log = logging.getLogger(__name__)
_BATCH = 5_000


async def prune_idempotency_keys(pool: asyncpg.Pool, retention_hours: float) -> int:
    """Delete keys older than the retention; returns how many went."""
    total = 0
    while True:
        status: str = await pool.execute(
            """DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
                   SELECT ctid FROM idempotency_keys
                   WHERE created_at < now() - make_interval(secs => $1) LIMIT $2))""",
            retention_hours * 3600, _BATCH)
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < _BATCH:
            return total


async def keep_pruning(pool: asyncpg.Pool, service: str, retention_hours: float,
                       every_seconds: float) -> None:
    while True:
        deleted = await prune_idempotency_keys(pool, retention_hours)
        if deleted:
            ROWS_PRUNED.labels(service, "idempotency_keys").inc(deleted)
            log.info("pruned %d idempotency keys", deleted)
        await asyncio.sleep(every_seconds)
