"""The ``letters`` and ``breaches`` tables: what the letter and breach streams say now, written
in the transaction of every append to them, to list letters, find the letters in force for a
unit, and list reviews. The streams stay the truth; these rows follow them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import asyncpg

from services.accountability.domain.letter_assessment import BreachFound
from services.accountability.domain.responsibility_letter import ResponsibilityLetter

DDL = """
CREATE TABLE IF NOT EXISTS letters (
    letter_id   text PRIMARY KEY,
    stream_id   text NOT NULL,
    district    text NOT NULL,
    unit_id     text NOT NULL,
    year        integer NOT NULL,
    in_force    boolean NOT NULL,
    letter      jsonb NOT NULL,
    signed_by   text NOT NULL,
    signed_at   timestamptz NOT NULL,
    amendments  integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS letters_of_unit ON letters (district, unit_id, year);
CREATE TABLE IF NOT EXISTS breaches (
    review_id    text PRIMARY KEY,   -- short and URL-safe; the breach id has slashes and colons
    breach_id    text UNIQUE NOT NULL,
    district     text NOT NULL,
    unit_id      text NOT NULL,
    letter_id    text NOT NULL,
    finding      jsonb NOT NULL,
    recorded_at  timestamptz NOT NULL,
    review_open  boolean NOT NULL,
    conclusion   jsonb
);
CREATE INDEX IF NOT EXISTS breaches_of_district ON breaches (district, review_open, unit_id);
"""


def review_id(breach_id: str) -> str:
    return hashlib.sha256(breach_id.encode()).hexdigest()[:20]


async def save_letter(conn: asyncpg.Connection, letter: ResponsibilityLetter, stream_id: str,
                      signed_by: str, at: datetime, amended: bool) -> None:
    await conn.execute(
        """INSERT INTO letters (letter_id, stream_id, district, unit_id, year, in_force, letter,
               signed_by, signed_at)
           VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8)
           ON CONFLICT (letter_id) DO UPDATE SET letter = excluded.letter, in_force = true,
               amendments = letters.amendments + $9::int""",
        letter.letter_id, stream_id, letter.district, letter.unit_id, letter.year,
        letter.model_dump(mode="json"), signed_by, at, 1 if amended else 0)


async def revoke_letter(conn: asyncpg.Connection, letter_id: str) -> None:
    await conn.execute("UPDATE letters SET in_force = false WHERE letter_id = $1", letter_id)


async def letter_row(db: asyncpg.Connection | asyncpg.Pool, district: str,
                     letter_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await db.fetchrow(
        "SELECT * FROM letters WHERE letter_id = $1 AND district = $2", letter_id, district)
    return row


async def list_letters(db: asyncpg.Pool, district: str, year: int | None, unit_id: str | None,
                       limit: int, offset: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await db.fetch(
        """SELECT * FROM letters WHERE district = $1 AND ($2::int IS NULL OR year = $2)
             AND ($3::text IS NULL OR unit_id = $3)
           ORDER BY year DESC, unit_id, letter_id LIMIT $4 OFFSET $5""",
        district, year, unit_id, limit, offset)
    return rows


async def letters_in_force(conn: asyncpg.Connection, district: str,
                           unit_id: str) -> list[ResponsibilityLetter]:
    rows = await conn.fetch(
        """SELECT letter FROM letters WHERE district = $1 AND unit_id = $2 AND in_force
           ORDER BY year, letter_id""", district, unit_id)
    return [ResponsibilityLetter.model_validate(r["letter"]) for r in rows]


async def save_breach(conn: asyncpg.Connection, breach_id: str, finding: BreachFound,
                      at: datetime) -> None:
    await conn.execute(
        """INSERT INTO breaches (review_id, breach_id, district, unit_id, letter_id, finding,
               recorded_at, review_open) VALUES ($1, $2, $3, $4, $5, $6, $7, true)
           ON CONFLICT (breach_id) DO NOTHING""",
        review_id(breach_id), breach_id, finding.district, finding.unit_id, finding.letter_id,
        finding.model_dump(mode="json"), at)


async def conclude(conn: asyncpg.Connection, breach_id: str, conclusion: dict[str, Any]) -> None:
    await conn.execute(
        "UPDATE breaches SET review_open = false, conclusion = $2 WHERE breach_id = $1",
        breach_id, conclusion)


async def breach_row(db: asyncpg.Connection | asyncpg.Pool, district: str,
                     rid: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await db.fetchrow(
        "SELECT * FROM breaches WHERE review_id = $1 AND district = $2", rid, district)
    return row


async def list_breaches(db: asyncpg.Pool, district: str, open_only: bool, unit_id: str | None,
                        limit: int, offset: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await db.fetch(
        """SELECT * FROM breaches WHERE district = $1 AND (NOT $2 OR review_open)
             AND ($3::text IS NULL OR unit_id = $3)
           ORDER BY recorded_at, breach_id LIMIT $4 OFFSET $5""",
        district, open_only, unit_id, limit, offset)
    return rows
