"""Registering a petition: pseudonymous ids, the domain's decision, and the idempotent write."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

import asyncpg

from casebus import idempotency
from casebus.clock import Clock
from casebus.personal_data import pseudonym
from casebus.repository import EventSourcedRepository, Metadata
from services.intake.domain import IntakeRules, current_state, decide
from services.intake.domain.commands import RegisterPetition
from services.intake.domain.events import PetitionRegistered
from services.intake.domain.facts import Petitioner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registered:
    body: dict[str, Any]
    replayed: bool


def new_case_id(at: datetime) -> str:
    return f"{at:%Y%m%d}-{uuid4().hex[:10]}"


class PetitionRegistration:
    def __init__(self, pool: asyncpg.Pool, repository: EventSourcedRepository, clock: Clock,
                 pseudonym_secret: str) -> None:
        self.pool = pool
        self.repository = repository
        self.clock = clock
        self.secret = pseudonym_secret

    async def register(self, *, district: str, actor: str, request: dict[str, Any],
                       idempotency_key: str | None) -> Registered:
        async with self.pool.acquire() as conn, conn.transaction():
            if idempotency_key:
                earlier = await idempotency.claim(conn, district, idempotency_key,
                                                  idempotency.request_hash(request))
                if earlier is not None:
                    return Registered(earlier, replayed=True)
            command = self._command(district, request)
            events = await self.repository.execute(
                command.case_id,
                lambda history: decide(current_state(history), command,
                                       IntakeRules.law_defaults(district)),
                Metadata.fresh(actor), conn=conn)
            registered = next(e for e in events if isinstance(e, PetitionRegistered))
            body = {"case_id": registered.case_id, "status": "registered",
                    "petitioner_ids": registered.petitioner_ids,
                    "collective": registered.collective, "skip_level": registered.skip_level}
            if idempotency_key:
                await idempotency.remember(conn, district, idempotency_key, body)
        log.info("petition registered", extra={"case_id": body["case_id"], "district": district,
                                               "channel": command.channel})
        return Registered(body, replayed=False)

    def _command(self, district: str, request: dict[str, Any]) -> RegisterPetition:
        now = self.clock.now()
        petitioners = [
            Petitioner(petitioner_id=pseudonym(self.secret, district, p.get("id_number"))
                       if p.get("id_number") else
                       pseudonym(self.secret, district, p["name"], p.get("phone")), **p)
            for p in request["petitioners"]]
        fields = {k: v for k, v in request.items() if k not in ("petitioners", "received_at")}
        return RegisterPetition(case_id=new_case_id(now), district=district, at=now,
                                received_at=request.get("received_at") or now,
                                petitioners=petitioners, **fields)
