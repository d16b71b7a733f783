"""Idempotency keys are kept for their retention, then pruned; nothing else is touched."""

from __future__ import annotations

import asyncpg

from casebus.pruning import prune_idempotency_keys


async def test_keys_older_than_the_retention_are_pruned(pool: asyncpg.Pool) -> None:
    await pool.execute(
        """INSERT INTO idempotency_keys (district, key, request_hash, response, created_at)
           SELECT 'd1', 'old-' || n, 'h', '{}'::jsonb, now() - interval '80 hours'
           FROM generate_series(1, 12000) AS n""")
    await pool.execute("INSERT INTO idempotency_keys (district, key, request_hash, created_at) "
                       "VALUES ('d1', 'recent', 'h', now() - interval '70 hours')")
    assert await prune_idempotency_keys(pool, retention_hours=72) == 12000  # in batches
    keys = [r["key"] for r in await pool.fetch("SELECT key FROM idempotency_keys")]
    assert keys == ["recent"]
    assert await prune_idempotency_keys(pool, retention_hours=72) == 0
