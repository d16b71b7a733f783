"""Which districts routing can assign cases in: learnt from routing's published rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg


async def record(conn: asyncpg.Connection, district: str, rules_version: int,
                 published_at: datetime, places: list[str]) -> None:
    """Keep the newest version seen; an older or repeated publication changes nothing."""
    await conn.execute(
        """INSERT INTO routable_districts (district, rules_version, published_at, places)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (district) DO UPDATE
               SET rules_version = EXCLUDED.rules_version, places = EXCLUDED.places,
                   published_at = EXCLUDED.published_at, recorded_at = now()
               WHERE routable_districts.rules_version < EXCLUDED.rules_version""",
        district, rules_version, published_at, places)


def places_in(document: dict[str, Any]) -> list[str]:
    """The locations a routing-rules document matches on (not the wildcard)."""
    rules = document.get("rules") if isinstance(document, dict) else None
    found = {str(r["match"]["location"]) for r in rules or ()
             if isinstance(r, dict) and isinstance(r.get("match"), dict)
             and r["match"].get("location") not in (None, "*")}
    return sorted(found)


async def place_if_routable(conn: asyncpg.Connection, district: str,
                            location: str | None) -> tuple[bool, str | None]:
    """Whether routing can assign cases in ``district`` and, if so, the place its rules name
    that ``location`` is (as routing compares: ignoring case), in the rules' own spelling, or
    None when no rule names it; one query for both, as a registration needs both."""
    row = await conn.fetchrow(
        "SELECT (SELECT p FROM unnest(places) AS p WHERE lower(p) = lower($2) LIMIT 1) AS place "
        "FROM routable_districts WHERE district = $1",
        district, location.strip() if location else None)
    if row is None:
        return False, None
    place: str | None = row["place"]
    return True, place


async def is_routable(conn: asyncpg.Connection, district: str) -> bool:
    found = await conn.fetchval("SELECT true FROM routable_districts WHERE district = $1",
                                district)
    return bool(found)
