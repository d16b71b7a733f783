"""Pruning what only needs to be kept for a while: idempotency keys and inbox rows.

A retried command is answered from its stored first answer for ``idempotency_retention_hours``
(72 by default: a client retries within minutes, an office's system after an outage within a
day or two); older keys are deleted in small batches.

The inbox drops redelivered events by id. Its rows older than ``inbox_retention_hours`` are
deleted, and for each (consumer, topic, partition) the highest publisher position deleted is
kept in ``inbox_horizon``: the relay writes a service's events to a partition in log order and
a consumer reads a partition in that order, so every event at or below that position was
consumed, and one that comes again (a relay retry, or the whole log refilled into a broker that
lost it) is a duplicate. Rows without a position (published by something other than a relay)
are kept. There is no outbox to prune: the outbox is the events table (casebus/store/schema.py).
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from casebus.observability import ROWS_PRUNED
from casebus.settings import Settings

log = logging.getLogger(__name__)
_BATCH = 5_000

_PRUNE_KEYS = """
    WITH gone AS (
        DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM idempotency_keys
            WHERE created_at < now() - make_interval(secs => $1) LIMIT $2))
        RETURNING 1)
    SELECT count(*) FROM gone"""

# Deleting and raising the horizon in one statement: no moment where an event is in neither.
_PRUNE_INBOX = """
    WITH gone AS (
        DELETE FROM inbox WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM inbox
            WHERE published_tx IS NOT NULL AND applied_at < now() - make_interval(secs => $1)
            LIMIT $2))
        RETURNING consumer, topic, partition, published_tx, published_position
    ), highest AS (
        SELECT DISTINCT ON (consumer, topic, partition) consumer, topic, partition,
               published_tx, published_position
        FROM gone ORDER BY consumer, topic, partition, published_tx DESC, published_position DESC
    ), raised AS (
        INSERT INTO inbox_horizon AS h
            (consumer, topic, partition, published_tx, published_position)
        SELECT * FROM highest
        ON CONFLICT (consumer, topic, partition) DO UPDATE
        SET published_tx = excluded.published_tx,
            published_position = excluded.published_position
        WHERE (excluded.published_tx, excluded.published_position)
              > (h.published_tx, h.published_position)
    )
    SELECT count(*) FROM gone"""


async def _in_batches(pool: asyncpg.Pool, statement: str, retention_hours: float) -> int:
    total = 0
    while True:
        result: int = await pool.fetchval(statement, retention_hours * 3600, _BATCH)
        total += result
        if result < _BATCH:
            return total


async def prune_idempotency_keys(pool: asyncpg.Pool, retention_hours: float) -> int:
    """Delete keys older than the retention; returns how many went."""
    return await _in_batches(pool, _PRUNE_KEYS, retention_hours)


async def prune_inbox(pool: asyncpg.Pool, retention_hours: float) -> int:
    """Delete inbox rows older than the retention, raising each partition's horizon."""
    return await _in_batches(pool, _PRUNE_INBOX, retention_hours)


async def keep_pruning(pool: asyncpg.Pool, settings: Settings) -> None:
    while True:
        for table, prune, hours in (
                ("idempotency_keys", prune_idempotency_keys, settings.idempotency_retention_hours),
                ("inbox", prune_inbox, settings.inbox_retention_hours)):
            deleted = await prune(pool, hours)
            if deleted:
                ROWS_PRUNED.labels(settings.service, table).inc(deleted)
                log.info("pruned %d rows of %s", deleted, table)
        await asyncio.sleep(settings.prune_every_seconds)
