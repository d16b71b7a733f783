"""End-to-end latency: from intake's 201 to the case being readable, routed, in reporting
(GET /api/v1/cases/{id} answers 200 with ``unit_id`` set). Petitions are posted open-loop at a
steady rate; each accepted case is polled every ``poll_s`` until it shows up, so each figure
includes up to ``poll_s`` of polling granularity (plus one GET round trip)."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bench.intake_load import bearer, post_one
from casebus.access import Role

Progress = Callable[[int], object]


@dataclass
class LatencyResult:
    samples_ms: list[float]
    lost: int  # accepted but not seen in reporting within the timeout, or refused by intake

    def quantile(self, q: float) -> float:
        if len(self.samples_ms) < 2:
            return self.samples_ms[0] if self.samples_ms else float("nan")
        cuts = statistics.quantiles(self.samples_ms, n=1000, method="inclusive")
        return cuts[round(q * 1000) - 1]


async def _until_routed(reporting: httpx.AsyncClient, case_id: str, poll_s: float,
                        timeout_s: float) -> bool:
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        answer = await reporting.get(f"/api/v1/cases/{case_id}")
        if answer.status_code == 200 and answer.json().get("unit_id"):
            return True
        await asyncio.sleep(poll_s)
    return False


async def run_latency(intake_url: str, reporting_url: str, rate: float, seconds: float,
                      poll_s: float, progress: Progress, numbering: itertools.count[int],
                      timeout_s: float = 30.0) -> LatencyResult:
    result = LatencyResult([], 0)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with (httpx.AsyncClient(base_url=intake_url, headers=bearer(), limits=limits,
                                  timeout=30) as intake,
                httpx.AsyncClient(base_url=reporting_url, headers=bearer(Role.LEADER),
                                  limits=limits, timeout=30) as reporting):

        async def one() -> None:
            case_id = await post_one(intake, next(numbering))
            accepted = time.perf_counter()
            if case_id and await _until_routed(reporting, case_id, poll_s, timeout_s):
                result.samples_ms.append((time.perf_counter() - accepted) * 1000)
            else:
                result.lost += 1
            progress(1)

        tasks: list[asyncio.Task[None]] = []
        started = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    return result
