"""Registering a petition: only in a district routing can assign in, never received in the
future, with pseudonymous petitioner ids; a repeat of an earlier case is suggested in the same
transaction (never for a report, which leaves petition handling at once)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import uuid4

import asyncpg

from casebus.clock import Clock
from casebus.personal_data import petitioner_ids_for
from casebus.repository import Metadata
from services.intake.adapters import petitioner_cases, routable_districts
from services.intake.domain import PetitionState
from services.intake.domain.commands import RegisterPetition, SuggestRepeat
from services.intake.domain.facts import MatterKind, Petitioner
from services.intake.domain.repeat import CaseFacts, suggest_repeat
from services.intake.service_layer.cases import NEW_CASE, CaseHandling, Decided
from services.intake.service_layer.views import command_answer

log = logging.getLogger(__name__)


class RegistrationRefused(ValueError):
    """The request cannot be registered because of one field (answered 422 naming it)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def new_case_id(at: datetime) -> str:
    return f"{at:%Y%m%d}-{uuid4().hex[:10]}"


class PetitionRegistration:
    def __init__(self, cases: CaseHandling, clock: Clock, pseudonym_secret: str) -> None:
        self.cases = cases
        self.clock = clock
        self.secret = pseudonym_secret

    async def register(self, conn: asyncpg.Connection, *, district: str, clerk_id: str,
                       metadata: Metadata, request: dict[str, Any]) -> dict[str, Any]:
        routable, place = await routable_districts.place_if_routable(
            conn, district, request.get("location"))
        if not routable:
            raise RegistrationRefused(
                "district", f"district {district} has no published routing rules yet, so no "
                            f"unit could be assigned; publish them first")
        command, first_time = await self._command(conn, district, clerk_id, place, request)
        if command.received_at > command.at:
            raise RegistrationRefused(
                "received_at", f"{command.received_at.isoformat()} is in the future "
                               f"(it is {command.at.isoformat()})")
        decided = await self.cases.decide(conn, command, metadata, on=NEW_CASE)
        if command.matter_kind is not MatterKind.REPORT:
            decided = await self._suggest_repeat(conn, decided, metadata, first_time)
        state = decided.state
        log.info("petition registered", extra={"case_id": command.case_id, "district": district,
                                               "channel": command.channel})
        return {**command_answer(command.case_id, decided), "status": state.stage.value,
                "petitioner_ids": list(state.petitioner_ids), "collective": state.collective,
                "skip_level": state.skip_level, "matter_kind": state.matter_kind.value}

    async def _suggest_repeat(self, conn: asyncpg.Connection, decided: Decided,
                              metadata: Metadata, first_time: frozenset[str]) -> Decided:
        new = decided.state.facts()
        # A person given an id by this very registration is on no other case: only the others
        # can make it a repeat (and when there are none, nothing need be read).
        returning = [pid for pid in new.petitioner_ids if pid not in first_time]
        earlier_ids = (await petitioner_cases.cases_sharing_petitioners(
            conn, returning, excluding=new.case_id) if returning else [])
        earlier = [await self._facts(conn, case_id) for case_id in earlier_ids]
        suggestion = suggest_repeat(new, [f for f in earlier if f is not None])
        if suggestion is None:
            return decided
        suggest = SuggestRepeat(
            case_id=new.case_id, district=new.district, at=new.registered_at,
            repeat_of=suggestion.repeat_of,
            matched_petitioner_ids=list(suggestion.matched_petitioner_ids))
        return decided.then(await self.cases.decide(conn, suggest, metadata, on=decided.known))

    async def _facts(self, conn: asyncpg.Connection, case_id: str) -> CaseFacts | None:
        state: PetitionState = await self.cases.state(conn, case_id)
        return state.facts() if state.registered_at is not None else None

    async def _command(self, conn: asyncpg.Connection, district: str, clerk_id: str,
                       place: str | None, request: dict[str, Any]
                       ) -> tuple[RegisterPetition, frozenset[str]]:
        """The command, and the petitioners who got their id just now (first time, or first
        since they were erased)."""
        now = self.clock.now()
        # The ID number says who it is; without one, the name and phone do.
        identities = [(p["id_number"],) if p.get("id_number") else (p["name"], p.get("phone"))
                      for p in request["petitioners"]]
        identified = await petitioner_ids_for(conn, self.secret, district, identities)
        petitioners = [Petitioner(petitioner_id=i.petitioner_id, **p)
                       for i, p in zip(identified, request["petitioners"], strict=True)]
        fields = {k: v for k, v in request.items() if k not in ("petitioners", "received_at")}
        command = RegisterPetition(case_id=new_case_id(now), district=district, at=now,
                                   received_at=request.get("received_at") or now, place=place,
                                   petitioners=petitioners, clerk_id=clerk_id, **fields)
        return command, frozenset(i.petitioner_id for i in identified if i.first_time)
