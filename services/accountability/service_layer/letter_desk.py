"""Signing and amending responsibility letters, inside the caller's transaction: the letter's
stream (one per district, unit and year), its ``letters`` row, and an assessment at once (a
letter signed mid-year is measured on the year so far)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.accountability.adapters import letter_index
from services.accountability.domain import responsibility_letter as letters
from services.accountability.domain.responsibility_letter import ResponsibilityLetter
from services.accountability.service_layer.letter_evaluation import LetterEvaluation


class LetterDesk:
    def __init__(self, repository: EventSourcedRepository, evaluation: LetterEvaluation) -> None:
        self.repository = repository
        self.evaluation = evaluation

    async def sign(self, conn: asyncpg.Connection, letter: ResponsibilityLetter, signed_by: str,
                   at: datetime, metadata: Metadata) -> dict[str, Any]:
        command = letters.SignResponsibilityLetter(at=at, letter=letter, signed_by=signed_by)
        stream = letters.letter_stream_id(letter.district, letter.unit_id, letter.year)
        await self.repository.execute(stream, lambda h: letters.decide(_state(h), command),
                                      metadata, conn=conn)
        await letter_index.save_letter(conn, letter, stream, signed_by, at, amended=False)
        return await self._assessed(conn, letter, metadata)

    async def amend(self, conn: asyncpg.Connection, letter: ResponsibilityLetter, reason: str,
                    at: datetime, metadata: Metadata) -> dict[str, Any]:
        row = await letter_index.letter_row(conn, letter.district, letter.letter_id)
        if row is None:
            raise DomainRuleViolation("letter-must-be-signed", f"no letter {letter.letter_id}")
        command = letters.AmendResponsibilityLetter(at=at, letter=letter, reason=reason)
        new = await self.repository.execute(
            row["stream_id"], lambda h: letters.decide(_state(h), command), metadata, conn=conn)
        if new:
            await letter_index.save_letter(conn, letter, row["stream_id"], row["signed_by"], at,
                                           amended=True)
        return await self._assessed(conn, letter, metadata)

    async def revoke(self, conn: asyncpg.Connection, district: str, letter_id: str, reason: str,
                     at: datetime, metadata: Metadata) -> dict[str, Any]:
        """A revoked letter is no longer assessed; its breaches and reviews stay."""
        row = await letter_index.letter_row(conn, district, letter_id)
        if row is None:
            raise DomainRuleViolation("letter-must-be-signed", f"no letter {letter_id}")
        command = letters.RevokeResponsibilityLetter(at=at, district=district,
                                                     letter_id=letter_id, reason=reason)
        await self.repository.execute(
            row["stream_id"], lambda h: letters.decide(_state(h), command), metadata, conn=conn)
        await letter_index.revoke_letter(conn, letter_id)
        revoked = await letter_index.letter_row(conn, district, letter_id)
        assert revoked is not None
        return letter_view(revoked)

    async def _assessed(self, conn: asyncpg.Connection, letter: ResponsibilityLetter,
                        metadata: Metadata) -> dict[str, Any]:
        recorded = await self.evaluation.evaluate_unit(conn, letter.district, letter.unit_id,
                                                       metadata)
        row = await letter_index.letter_row(conn, letter.district, letter.letter_id)
        assert row is not None  # written above in this transaction
        return letter_view(row) | {"breaches_recorded": recorded}


def letter_view(row: asyncpg.Record) -> dict[str, Any]:
    letter = ResponsibilityLetter.model_validate(row["letter"])
    return {"letter_id": letter.letter_id, "unit_id": letter.unit_id, "year": letter.year,
            "responsible_person": letter.responsible_person, "in_force": row["in_force"],
            "signed_by": row["signed_by"], "amendments": row["amendments"],
            "targets": letter.targets.model_dump(mode="json")}


def _state(history: list[DomainEvent]) -> letters.LetterState:
    return fold(letters.evolve, letters.initial_state(),
                [e for e in history if isinstance(e, letters.LetterEvent)])
