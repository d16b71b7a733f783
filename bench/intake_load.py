"""Petitions/s accepted by intake: ``clients`` concurrent tasks, each posting
POST /api/v1/petitions in a loop on its own keep-alive connection (bench/http_client.py). Only
201s count (a 201 is sent after the transaction that records the petition has committed)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.cpu_meter import CpuMeter
from bench.http_client import Connection, HttpError, head_bytes
from casebus.access import Role, mint_token
from casebus.settings import Settings

__all__ = [
    "FAILURES",
    "CpuMeter",
    "LoadResult",
    "bearer",
    "petition",
    "post_one",
    "routed_cases",
    "run_load",
    "wait_drained",
]
CATEGORIES = [("gas", "Dingjia"), ("property", "Lakeside Garden"), ("parking", "Zhilizhuang"),
              ("environment", "Zhilizhuang"), ("noise", "Yashiyuan")]
Progress = Callable[[int], object]


def bearer(role: Role = Role.CLERK) -> dict[str, str]:
    token = mint_token(Settings().token_secret, subject="bench-clerk", district="chaoyang",
                       role=role)
    return {"Authorization": f"Bearer {token}"}


def petition(i: int) -> dict[str, object]:
    category, community = CATEGORIES[i % len(CATEGORIES)]
    return {"channel": "visit", "category": category, "community": community,
            "petitioners": [{"name": f"Bench petitioner {i}", "phone": "13800138000"}],
            "subject": f"Benchmark petition {i}",
            "description": "Registered by the benchmark; no one needs to act on it."}


def post_head(connection: Connection) -> bytes:
    """POST /api/v1/petitions as a clerk: encoded once, sent with every petition."""
    return head_bytes("POST", "/api/v1/petitions", connection.host,
                      {**bearer(), "Content-Type": "application/json"})


FAILURES: Counter[str] = Counter()  # why posts failed: status codes and errors, for the log


async def post_one(connection: Connection, head: bytes, i: int) -> str | None:
    """Post petition ``i``; the case id on 201, else None (the reason goes to FAILURES)."""
    try:
        answer = await connection.request(head, json.dumps(petition(i)).encode())
    except (HttpError, OSError) as exc:
        FAILURES[type(exc).__name__] += 1
        return None
    if answer.status != 201:
        FAILURES[f"{answer.status} {answer.body[:120].decode(errors='replace')}"] += 1
        return None
    return str(json.loads(answer.body)["case_id"])


@dataclass
class LoadResult:
    accepted: int
    failed: int
    seconds: float
    untimed_accepted: int  # the first post of each client, which opens its connection
    started: float = 0.0  # perf_counter when the timed posts began
    case_ids: list[str] = field(default_factory=list)  # every accepted case, untimed too

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds


async def run_load(intake_url: str, clients: int, total: int, progress: Progress,
                   numbering: itertools.count[int]) -> LoadResult:
    """Post ``total`` petitions with ``clients`` concurrent tasks; time until the last answer."""
    connections = [Connection(intake_url) for _ in range(clients)]
    head = post_head(connections[0])
    remaining = itertools.count()
    result = LoadResult(0, 0, 0.0, 0)
    try:
        opened = await asyncio.gather(*(post_one(c, head, next(numbering)) for c in connections))
        result.case_ids += [case_id for case_id in opened if case_id]
        result.untimed_accepted = len(result.case_ids)

        async def worker(connection: Connection) -> None:
            while next(remaining) < total:
                case_id = await post_one(connection, head, next(numbering))
                if case_id:
                    result.accepted += 1
                    result.case_ids.append(case_id)
                else:
                    result.failed += 1
                progress(1)

        result.started = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in connections))
        result.seconds = time.perf_counter() - result.started
    finally:
        await asyncio.gather(*(c.close() for c in connections))
    return result


async def routed_cases(reporting_url: str) -> int:
    """Cases that reporting's backlog shows with a responsible unit (nothing closes bench
    cases). The bench itself waits on bench/routed_watch.py; kept for other callers."""
    connection = Connection(reporting_url)
    try:
        head = head_bytes("GET", "/api/v1/backlog", connection.host, bearer(Role.LEADER))
        backlog = json.loads((await connection.request(head)).body)
    finally:
        await connection.close()
    return sum(int(unit["open"]) for unit in backlog["units"])


async def wait_drained(reporting_url: str, expected: int, timeout_s: float = 120.0) -> float:
    """Wait until reporting shows ``expected`` routed cases; the seconds waited (0.1 s steps)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if await routed_cases(reporting_url) >= expected:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"reporting did not catch up to {expected} cases in {timeout_s:.0f}s")
