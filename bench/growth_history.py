"""The history the growth phase copies (bench/growth_clone.py): cases an office carried to their
conclusion over the services' HTTP APIs, as its own systems would (the commands of
tests/e2e/lifecycle), on the real clock the bench runs on.

On that clock a case can do only what may be done today. A claim may not close while its
petitioner may still ask for a review (30 days after the answer's delivery, rule
"close-before-review-window-ends"), so a claim concludes by not being accepted (the matter is
before a court) or after its petitioner used both remedies (review, re-examination: the
decision is final). A suggestion has no remedy and closes once evaluated. Of every ten cases:
two are not accepted, three are claims answered, reviewed, re-examined and closed, five are
suggestions answered, evaluated and closed. Each case is done once reporting shows it
concluded, its assignment closed and every clock stopped (so all four services applied it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.growth_ids import CASE_ID
from bench.growth_lifecycle import Office, lifecycle
from bench.http_client import HttpError

CLIENTS = 16  # cases driven at once, each one request at a time
CONCLUDED_STAGES = {"closed", "not-accepted"}
Job = Callable[[Office, int], Awaitable[str]]  # case i's life; its case id


async def conclude_cases(urls: dict[str, str], total: int, progress: Callable[[str], None]
                         ) -> list[str]:
    """Drive ``total`` cases to their conclusion; the ids of those concluded everywhere."""
    concluded = await _each(urls, total, lifecycle, "driven to their conclusion", progress)
    if len(concluded) < total // 2:
        raise RuntimeError(f"only {len(concluded)} of {total} cases concluded")
    return concluded


async def not_accepted(urls: dict[str, str], case_ids: list[str],
                       progress: Callable[[str], None]) -> None:
    """The office does not accept these (open, routed) cases: measured at one size, they
    leave the open workload, which is then the same at the next size."""
    async def refuse(office: Office, i: int) -> str:
        await office.do("intake", f"/petitions/{case_ids[i]}/non-acceptance", office.clerk, {
            "reason": "litigation", "explanation": "The dispute is before the district court."})
        return case_ids[i]
    await _each(urls, len(case_ids), refuse, "not accepted", progress)


async def _each(urls: dict[str, str], total: int, job: Job, what: str,
                progress: Callable[[str], None], timeout_s: float = 600.0) -> list[str]:
    """``job`` for 0 to total - 1, CLIENTS at a time, each until reporting shows its case
    concluded; the cases concluded (failures are counted, by reason, in progress lines)."""
    numbering, done = itertools.count(), 0
    concluded: list[str] = []
    failures: dict[str, int] = {}
    started = time.monotonic()
    deadline = started + timeout_s

    async def worker() -> None:
        nonlocal done
        office = Office(urls)
        try:
            while (i := next(numbering)) < total and time.monotonic() < deadline:
                try:
                    case_id = await job(office, i)
                    await _until_concluded(office, case_id, deadline)
                    concluded.append(case_id)
                except (HttpError, OSError, RuntimeError, TimeoutError) as exc:
                    why = CASE_ID.sub("<case>", str(exc))[:160]
                    failures[why] = failures.get(why, 0) + 1
                done += 1
                if done * 4 // total > (done - 1) * 4 // total:  # every 25 %
                    progress(f"growth with history: {done:,} of {total:,} cases {what} "
                             f"({len(concluded):,} concluded, {time.monotonic() - started:.0f} s)")
        finally:
            await office.close()

    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    for why, count in failures.items():
        progress(f"growth with history: {count} cases not concluded: {why}")
    return concluded


async def _until_concluded(office: Office, case_id: str, deadline: float) -> None:
    """Until reporting shows the case concluded, its assignment closed and its clocks stopped:
    reporting learns each from the service that decided it, so all four have applied it."""
    view: dict[str, Any] = {}
    while time.monotonic() < deadline:
        answer = await office.read("reporting", f"/cases/{case_id}")
        if answer.status == 200:
            view = json.loads(answer.body)
            if view["stage"] in CONCLUDED_STAGES \
                    and (view.get("assignment") or {}).get("status") == "closed" \
                    and all(c["phase"] == "stopped" for c in view["clocks"]):
                return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"not concluded in reporting in time (stage {view.get('stage')})")
