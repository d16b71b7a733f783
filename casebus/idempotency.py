"""Idempotency keys: a retried command with the same key returns the first answer.

The key row is inserted in the same transaction as the events, first: a concurrent retry
blocks on it until the first request commits, then finds it. A key reused for a different
request (another body, or another endpoint) is refused. Keys are scoped to a district.
The table is created with the platform's (``casebus.store.schema``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import asyncpg


class IdempotencyKeyReused(ValueError):
    pass


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def claim(conn: asyncpg.Connection, district: str, key: str,
                digest: str) -> dict[str, Any] | None:
    """Claim ``key`` inside the caller's transaction. Returns the stored response if the same
    request was already answered, None if this request is the first."""
    claimed = await conn.fetchval(
        "INSERT INTO idempotency_keys (district, key, request_hash) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true", district, key, digest)
    if claimed:
        return None
    row = await conn.fetchrow("SELECT request_hash, response FROM idempotency_keys "
                              "WHERE district = $1 AND key = $2", district, key)
    if row["request_hash"] != digest:
        raise IdempotencyKeyReused(
            f"Idempotency-Key {key!r} was already used for a different request")
    response: dict[str, Any] = row["response"]
    return response


async def remember(conn: asyncpg.Connection, district: str, key: str,
                   response: dict[str, Any]) -> None:
    await conn.execute("UPDATE idempotency_keys SET response = $3 "
                       "WHERE district = $1 AND key = $2", district, key, response)


async def erase_from_answers(conn: asyncpg.Connection, district: str, case_ids: list[str],
                             path: list[str], erased: str) -> None:
    """The stored first answers about these cases (kept for retries) lose the value at
    ``path``: a person's erasure reaches what a retry would be answered too."""
    await conn.execute(
        """UPDATE idempotency_keys
           SET response = jsonb_set(response, $3::text[], to_jsonb($4::text))
           WHERE district = $1 AND response->>'case_id' = ANY($2::text[])
             AND response #> $3::text[] IS NOT NULL""", district, case_ids, path, erased)
