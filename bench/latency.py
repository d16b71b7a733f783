"""End-to-end latency: from intake's 201 to the case's assignment arriving on reporting's
server-sent-events stream (bench/routed_watch.py: the projection has committed by then).
Petitions are posted open-loop at a steady rate, each on an idle keep-alive connection (a new
one only when all are busy)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.http_client import Connection
from bench.intake_load import post_head, post_one
from bench.routed_watch import RoutedWatch

Progress = Callable[[int], object]


@dataclass
class LatencyResult:
    samples_ms: list[float]
    lost: int  # refused by intake, or accepted but not routed in reporting within the timeout

    def quantile(self, q: float) -> float:
        if len(self.samples_ms) < 2:
            return self.samples_ms[0] if self.samples_ms else float("nan")
        cuts = statistics.quantiles(self.samples_ms, n=1000, method="inclusive")
        return cuts[round(q * 1000) - 1]


async def run_latency(intake_url: str, watch: RoutedWatch, rate: float, seconds: float,
                      progress: Progress, numbering: itertools.count[int],
                      timeout_s: float = 30.0) -> LatencyResult:
    idle: list[Connection] = []
    every: list[Connection] = []
    head = post_head(Connection(intake_url))
    accepted: dict[str, float] = {}  # case id -> perf_counter when the 201 came
    refused = 0

    async def one() -> None:
        nonlocal refused
        connection = idle.pop() if idle else Connection(intake_url)
        if connection not in every:
            every.append(connection)
        case_id = await post_one(connection, head, next(numbering))
        if case_id:
            accepted[case_id] = time.perf_counter()
        else:
            refused += 1
        idle.append(connection)
        progress(1)

    try:
        tasks: list[asyncio.Task[None]] = []
        started = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(c.close() for c in every))
    with contextlib.suppress(TimeoutError):  # what is missing counts as lost below
        await watch.wait_for(accepted, timeout_s)
    # A case can be seen routed before its 201 is read (a busy client): 0 ms, not negative.
    samples = [max(0.0, watch.routed[c] - t) * 1000 for c, t in accepted.items()
               if c in watch.routed]
    return LatencyResult(samples, refused + len(accepted) - len(samples))
