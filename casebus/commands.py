"""Running one command from HTTP: one transaction, idempotent, decided again on a race.

Every command endpoint goes through ``run_command``:
- with an ``Idempotency-Key`` the first answer is stored in the same transaction as the events,
  so a retry gets it again (``Idempotent-Replayed: true``) and changes nothing; the same key on
  another endpoint or with another body is refused (422);
- a concurrent append to the same stream (``ConcurrencyError``) rolls the transaction back and
  the command is decided again on the fresh history, a few times, before answering 409.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Header, Request, Response

from casebus.idempotency import claim as idempotency_claim
from casebus.idempotency import remember as idempotency_remember
from casebus.idempotency import request_hash
from casebus.store import ConcurrencyError
from casebus.store.relay_wake import wake_relays

Action = Callable[[asyncpg.Connection], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Idempotency:
    key: str | None
    endpoint: str  # "POST /api/v1/..." : a key is bound to one endpoint and one body


async def _idempotency(
        request: Request,
        key: Annotated[str | None, Header(
            alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
            description="Send one per intended change: a retry with the same key returns the "
                        "first answer and changes nothing.")] = None) -> Idempotency:
    return Idempotency(key, f"{request.method} {request.url.path}")


IdempotencyKey = Annotated[Idempotency, Depends(_idempotency)]


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    replayed: bool

    def send(self, response: Response) -> dict[str, Any]:
        if self.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return self.body


async def run_command(pool: asyncpg.Pool, *, district: str, idempotency: Idempotency,
                      body: dict[str, Any], action: Action, attempts: int = 3) -> Answer:
    digest = request_hash({"endpoint": idempotency.endpoint, "body": body})
    for attempt in range(1, attempts + 1):
        try:
            async with pool.acquire() as conn, conn.transaction():
                if idempotency.key:
                    earlier = await idempotency_claim(conn, district, idempotency.key, digest)
                    if earlier is not None:
                        return Answer(earlier, replayed=True)
                result = await action(conn)
                if idempotency.key:
                    await idempotency_remember(conn, district, idempotency.key, result)
            wake_relays()  # committed: what it appended can be published now
            return Answer(result, replayed=False)
        except ConcurrencyError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")

