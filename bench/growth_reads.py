"""The hot-path reads of each service, each timed one request at a time on a keep-alive
connection (bench/http_client.py: the client's own cost stays small)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bench.http_client import Connection, head_bytes
from casebus.access import Role, mint_token
from casebus.settings import Settings

DISTRICT_TIME = timezone(timedelta(hours=8))  # the rates' months are the district's


@dataclass(frozen=True)
class HotRead:
    name: str     # as the row shows it
    service: str
    path: str     # {case}: one of the fresh cases, in turn
    role: Role = Role.CLERK


def hot_reads() -> list[HotRead]:
    today = datetime.now(DISTRICT_TIME)
    month = today.strftime("%Y-%m")
    # The month before: copies 1 to 5 weeks back fill it, and copies hold the cases that may
    # still settle in it, at both sizes alike (bench/growth_rows.py checks the copies reach).
    previous = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return [
        # A control: no history behind it, so its growth is the machine's noise (other
        # people's runs on the two cores), the yardstick for the reads below.
        HotRead("intake GET /registration (control)", "intake", "/api/v1/registration"),
        HotRead("intake GET /petitions/{id}", "intake", "/api/v1/petitions/{case}"),
        HotRead("routing GET /assignments/{id}", "routing", "/api/v1/assignments/{case}"),
        HotRead("accountability GET /cases/{id}/clocks", "accountability",
                "/api/v1/cases/{case}/clocks"),
        HotRead("reporting GET /cases/{id}", "reporting", "/api/v1/cases/{case}", Role.LEADER),
        HotRead("reporting GET /backlog", "reporting", "/api/v1/backlog", Role.LEADER),
        HotRead("reporting GET /backlog/cases", "reporting", "/api/v1/backlog/cases",
                Role.LEADER),
        HotRead("reporting GET /clocks", "reporting", "/api/v1/clocks", Role.LEADER),
        HotRead("reporting GET /rates", "reporting", f"/api/v1/rates?period={month}",
                Role.LEADER),
        HotRead("reporting GET /rates (previous month)", "reporting",
                f"/api/v1/rates?period={previous}", Role.LEADER),
        HotRead("reporting GET /my-cases (unit)", "reporting", "/api/v1/my-cases",
                Role.UNIT_HANDLER),
    ]


def _headers(role: Role, unit: str | None) -> dict[str, str]:
    token = mint_token(Settings().token_secret, subject="bench-growth", district="chaoyang",
                       role=role, unit_id=unit if role is Role.UNIT_HANDLER else None)
    return {"Authorization": f"Bearer {token}"}


async def unit_of(reporting_url: str, case_id: str) -> str:
    """The lead unit reporting shows for a case: the unit handler whose list is read."""
    connection = Connection(reporting_url)
    try:
        answer = await connection.request(head_bytes(
            "GET", f"/api/v1/cases/{case_id}", connection.host, _headers(Role.LEADER, None)))
    finally:
        await connection.close()
    return str(json.loads(answer.body)["unit_id"])


async def until_each_case_answers(reads: list[HotRead], urls: dict[str, str],
                                  case_ids: list[str], unit: str,
                                  timeout_s: float = 120.0) -> None:
    """Each per-case read answers 200 for every case: each service takes the cases on its own
    path (accountability's clocks may come seconds after reporting shows a case routed)."""
    deadline = time.monotonic() + timeout_s
    for read in (r for r in reads if "{case}" in r.path):
        connection = Connection(urls[read.service])
        head = _headers(read.role, unit)
        try:
            for case_id in case_ids:
                path = read.path.format(case=case_id)
                while (await connection.request(head_bytes(
                        "GET", path, connection.host, head))).status == 404:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{read.name}: {path} still 404 after {timeout_s} s")
                    await asyncio.sleep(0.1)
        finally:
            await connection.close()


# The reads are timed in rounds, every read in turn in each round: the machine's speed drifts
# over the minute or two a size's reads take (other runs on the two cores), and timing one read
# after the other gave each read a different stretch of that drift (the control included).
ROUNDS = 10


@dataclass
class Timing:
    samples: list[float]  # milliseconds
    body: bytes = b""     # the last answer

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


async def time_reads(reads: list[HotRead], urls: dict[str, str], case_ids: list[str],
                     unit: str, times: int, budget_s: float = 8.0) -> dict[str, Timing]:
    """Up to ``times`` requests of each read (at least one per round), ``budget_s`` of them in
    all per read: a read that scanned the history would take minutes. Up to 20 untimed
    requests of each first (at most 1 s: warm caches, not a second budget)."""
    connections = {read.name: Connection(urls[read.service]) for read in reads}
    timings = {read.name: Timing([]) for read in reads}
    try:
        for read in reads:
            await _requests(read, connections[read.name], case_ids, unit, 20, 1.0, None)
        for _ in range(ROUNDS):
            for read in reads:
                await _requests(read, connections[read.name], case_ids, unit,
                                times // ROUNDS, budget_s / ROUNDS, timings[read.name])
    finally:
        for connection in connections.values():
            await connection.close()
    return timings


async def _requests(read: HotRead, connection: Connection, case_ids: list[str], unit: str,
                    count: int, budget_s: float, timing: Timing | None) -> None:
    """``count`` requests of the read (at least one; fewer if ``budget_s`` ran out), the cases
    in turn, timed into ``timing`` unless it is None."""
    headers = _headers(read.role, unit)
    started_all = time.perf_counter()
    for done in range(count):
        if done and time.perf_counter() - started_all >= budget_s:
            return
        offset = len(timing.samples) if timing else 0
        path = read.path.format(case=case_ids[(offset + done) % len(case_ids)])
        started = time.perf_counter()
        answer = await connection.request(head_bytes("GET", path, connection.host, headers))
        if answer.status != 200:
            raise RuntimeError(f"{read.name}: {path} answered {answer.status}: "
                               f"{answer.body[:300]!r}")
        if timing is not None:
            timing.samples.append((time.perf_counter() - started) * 1000)
            timing.body = answer.body
