"""Which districts routing can assign cases in: learnt from routing's published rules."""

from __future__ import annotations

from datetime import datetime

import asyncpg


async def record(conn: asyncpg.Connection, district: str, rules_version: int,
                 published_at: datetime) -> None:
    """Keep the newest version seen; an older or repeated publication changes nothing."""
    await conn.execute(
        """INSERT INTO routable_districts (district, rules_version, published_at)
           VALUES ($1, $2, $3)
           ON CONFLICT (district) DO UPDATE
               SET rules_version = EXCLUDED.rules_version,
                   published_at = EXCLUDED.published_at, recorded_at = now()
               WHERE routable_districts.rules_version < EXCLUDED.rules_version""",
        district, rules_version, published_at)


async def is_routable(conn: asyncpg.Connection, district: str) -> bool:
    found = await conn.fetchval("SELECT true FROM routable_districts WHERE district = $1",
                                district)
    return bool(found)
