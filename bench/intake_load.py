"""Petitions/s accepted by intake: ``clients`` concurrent tasks, each posting
POST /api/v1/petitions in a loop on its own keep-alive connection. Only 201s count (a 201 is
sent after the transaction that records the petition has committed). Also the CPU each process
spent per petition, from the load's start until reporting shows every case routed."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psutil

from casebus.access import Role, mint_token
from casebus.settings import Settings

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


@dataclass
class LoadResult:
    accepted: int
    failed: int
    seconds: float
    untimed_accepted: int  # the first post of each client, which opens its connection

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds


async def post_one(client: httpx.AsyncClient, i: int) -> str | None:
    """Post one petition; the case id on 201, else None."""
    try:
        answer = await client.post("/api/v1/petitions", json=petition(i))
    except httpx.HTTPError:
        return None
    return str(answer.json()["case_id"]) if answer.status_code == 201 else None


async def run_load(intake_url: str, clients: int, total: int, progress: Progress,
                   numbering: itertools.count[int]) -> LoadResult:
    """Post ``total`` petitions with ``clients`` concurrent tasks; time until the last answer."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    remaining = itertools.count()
    counts = {"accepted": 0, "failed": 0}
    async with httpx.AsyncClient(base_url=intake_url, headers=bearer(), limits=limits,
                                 timeout=60) as client:
        opened = await asyncio.gather(*(post_one(client, next(numbering))
                                        for _ in range(clients)))

        async def worker() -> None:
            while next(remaining) < total:
                ok = await post_one(client, next(numbering))
                counts["accepted" if ok else "failed"] += 1
                progress(1)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
    return LoadResult(counts["accepted"], counts["failed"], seconds,
                      sum(1 for case_id in opened if case_id))


class CpuMeter:
    """User + system CPU seconds per group of processes. For groups in ``with_children`` the
    children count too, those that already ended included (a PostgreSQL server's backends)."""

    def __init__(self, groups: dict[str, list[int]], with_children: set[str]) -> None:
        self.groups = {name: [psutil.Process(pid) for pid in pids]
                       for name, pids in groups.items()}
        self.with_children = with_children

    def read(self) -> dict[str, float]:
        totals = {}
        for name, roots in self.groups.items():
            seconds = 0.0
            for root in roots:
                own = root.cpu_times()
                seconds += own.user + own.system
                if name not in self.with_children:
                    continue
                seconds += own.children_user + own.children_system  # ended children
                for child in root.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        times = child.cpu_times()
                        seconds += times.user + times.system
            totals[name] = seconds
        return totals


async def routed_cases(reporting_url: str) -> int:
    """Cases that reporting shows with a responsible unit (nothing closes bench cases)."""
    async with httpx.AsyncClient(base_url=reporting_url, headers=bearer(Role.LEADER)) as client:
        backlog = (await client.get("/api/v1/backlog")).json()
    return sum(int(unit["open"]) for unit in backlog["units"])


async def wait_drained(reporting_url: str, expected: int, timeout_s: float = 120.0) -> float:
    """Wait until reporting shows ``expected`` routed cases; the seconds waited (0.1 s steps)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if await routed_cases(reporting_url) >= expected:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"reporting did not catch up to {expected} cases in {timeout_s:.0f}s")
