"""The chaos suite's load: petitions posted to intake at a steady rate, each with its own
``Idempotency-Key``, retried with the SAME key until intake answers 201.

A 503, a refused connection or a timeout says nothing about whether the petition was
registered (the answer may have been lost after the commit), so only the same key may be sent
again: intake then answers the first answer (``Idempotent-Replayed``) and registers nothing.
Any other answer is not expected under faults; it is counted, and retried too, so that the
suite still learns what became of the petition.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

# (category, community) -> the unit chaoyang's routing rules choose (services/routing/rules)
ROUTES: tuple[tuple[tuple[str, str], str], ...] = (
    (("gas", "Dingjia"), "gas-company"),
    (("property", "Lakeside Garden"), "lakeside-property"),
    (("property", "Yashiyuan"), "housing-construction"),
    (("parking", "Zhilizhuang"), "urban-management"),
    (("noise", "Yashiyuan"), "beiyuan-petition-office"),  # no rule: the fallback unit
)
RETRY_PAUSE = 0.5  # seconds; intake's Retry-After (5 s) would only slow the proof down
GIVE_UP_AFTER = 300.0  # seconds of retrying one petition: a hang, reported as a failure


@dataclass
class LoadResult:
    cases: dict[str, str] = field(default_factory=dict)  # case id -> unit the rules choose
    answers: Counter[str] = field(default_factory=Counter)  # "201", "503", "timeout", ...
    retries: int = 0
    replayed: int = 0  # 201s that were a replay of an earlier, lost answer
    unanswered: list[int] = field(default_factory=list)  # petitions never answered 201
    unexpected: list[str] = field(default_factory=list)  # first few odd answers, for errors


def petition(run_id: str, n: int) -> dict[str, object]:
    (category, community), _ = ROUTES[n % len(ROUTES)]
    # A new person and a new subject each time: the same person on the same matter would be
    # suggested as a repeat petition.
    return {"channel": "visit", "category": category, "community": community,
            "subject": f"Chaos {run_id} petition {n}: {category} in {community}",
            "description": "Posted by the fault suite.",
            "petitioners": [{"name": f"Chaos petitioner {run_id}-{n}",
                             "phone": f"139{n:08d}"}]}


async def post_petitions(intake_url: str, token: str, run_id: str, count: int, rate: float,
                         progress: Callable[[], None], result: LoadResult) -> None:
    """Start petition ``n`` at ``n / rate`` seconds; each is retried until 201 or a give-up."""
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    timeout = httpx.Timeout(15.0, pool=60.0)
    async with httpx.AsyncClient(base_url=intake_url, limits=limits, timeout=timeout,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        start, tasks = time.monotonic(), []
        # Fewer requests in flight than connections: waiting for a connection is no timeout.
        in_flight = asyncio.Semaphore(150)
        for n in range(count):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_register(http, in_flight, run_id, n,
                                                               progress, result)))
        await asyncio.gather(*tasks)


async def _register(http: httpx.AsyncClient, in_flight: asyncio.Semaphore, run_id: str, n: int,
                    progress: Callable[[], None], result: LoadResult) -> None:
    body, key = petition(run_id, n), f"chaos-{run_id}-{n}"
    deadline = time.monotonic() + GIVE_UP_AFTER
    while True:
        try:
            async with in_flight:
                answer = await http.post("/api/v1/petitions", json=body,
                                         headers={"Idempotency-Key": key})
            outcome = str(answer.status_code)
        except httpx.TimeoutException:
            answer, outcome = None, "timeout"
        except httpx.TransportError:
            answer, outcome = None, "connection error"
        result.answers[outcome] += 1
        if answer is not None and answer.status_code == 201:
            result.cases[answer.json()["case_id"]] = ROUTES[n % len(ROUTES)][1]
            result.replayed += answer.headers.get("Idempotent-Replayed") == "true"
            progress()
            return
        if answer is not None and answer.status_code != 503 and len(result.unexpected) < 10:
            result.unexpected.append(f"petition {n}: {answer.status_code} {answer.text[:300]}")
        if time.monotonic() > deadline:
            result.unanswered.append(n)
            return
        result.retries += 1
        await asyncio.sleep(RETRY_PAUSE)
