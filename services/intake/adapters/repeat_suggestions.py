"""Pending repeat suggestions of a district, for the clerks who decide on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from casebus.domain.events import DomainEvent
from casebus.personal_data import PersonalDataVault
from services.intake.domain.events import RepeatSuggested
from services.intake.domain.state import PetitionState, Stage

_VAULT = PersonalDataVault()  # the subject is sealed with the case's key, as in its events


async def project(conn: asyncpg.Connection, state: PetitionState,
                  new: Sequence[DomainEvent], *, was_new: bool = False) -> None:
    """Bring the table in line with a case after ``new`` was appended (same transaction).
    ``was_new``: the case had no events before ``new``, so it has no row to remove."""
    for event in new:
        if isinstance(event, RepeatSuggested):
            sealed = await _VAULT.seal_case_text(conn, event.district, event.case_id,
                                                 state.subject)
            await conn.execute(
                """INSERT INTO pending_repeat_suggestions (case_id, district, repeat_of,
                       matched_petitioner_ids, category, sealed_subject, suggested_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (case_id) DO UPDATE SET repeat_of = EXCLUDED.repeat_of,
                       matched_petitioner_ids = EXCLUDED.matched_petitioner_ids,
                       suggested_at = EXCLUDED.suggested_at""",
                event.case_id, event.district, event.repeat_of,
                event.matched_petitioner_ids, state.category, sealed, event.occurred_at)
    if was_new and not any(isinstance(e, RepeatSuggested) for e in new):
        return  # only a suggestion writes a row, and none of this case's was ever appended
    if state.pending_repeat_of is None or state.stage is not Stage.REGISTERED:
        await conn.execute("DELETE FROM pending_repeat_suggestions WHERE case_id = $1",
                           state.case_id)


async def pending(conn: asyncpg.Connection | asyncpg.Pool, district: str, limit: int,
                  offset: int) -> tuple[int, list[dict[str, Any]]]:
    """The district's pending suggestions, oldest first, and how many there are in all."""
    total = await conn.fetchval(
        "SELECT count(*) FROM pending_repeat_suggestions WHERE district = $1", district)
    rows = await conn.fetch(
        """SELECT case_id, repeat_of, matched_petitioner_ids, category,
                  sealed_subject AS subject, suggested_at
           FROM pending_repeat_suggestions WHERE district = $1
           ORDER BY suggested_at, seq LIMIT $2 OFFSET $3""", district, limit, offset)
    if isinstance(conn, asyncpg.Pool):
        async with conn.acquire() as c:
            return int(total), [await _VAULT.open(c, dict(r)) for r in rows]
    return int(total), [await _VAULT.open(conn, dict(r)) for r in rows]
