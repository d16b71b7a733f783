"""One chaos run's record, and its end: wait (bounded) until the services agree, then check.

Waiting is safe for the verdict: stores only grow, so something applied twice never heals,
and only what is still on its way can appear. The wait ends when every check holds, or when
reporting has shown every case complete for a while (then what remains is a difference, not
a delay), or at the deadline.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from infra import chaos_report
from infra.chaos_checks import Check, converged, verdict
from infra.chaos_faults import Fault
from infra.chaos_fuzz import FuzzOutcome
from infra.chaos_load import LoadResult
from infra.chaos_progress import Progress, note
from infra.chaos_snapshot import SERVICES, take
from infra.system import EmbeddedSystem

POLL_SECONDS = 3.0  # and one more per 1,000 cases: reading the stores costs the services
SETTLE_SECONDS = 5.0  # looked again after agreeing: a late duplicate would show here
STABLE_POLLS = 5  # every case complete this many times in a row, yet a check fails: stop


@dataclass
class ChaosRun:
    petitions: int
    rate: float
    data_dir: Path
    faults: list[Fault] = field(default_factory=list)
    fault_error: str | None = None
    load: LoadResult = field(default_factory=LoadResult)
    checks: list[Check] = field(default_factory=list)
    fuzz: list[FuzzOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # the suite itself could not go on (a part never came up, ...)

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.checks) and all(c.ok for c in self.checks)

    def render(self) -> str:
        logs = sorted(self.data_dir.glob("*.log"))
        parts = ["What the suite did", chaos_report.did(
            self.faults, self.fault_error, self.load, self.petitions, self.rate, self.seconds),
                 "", "What it found", chaos_report.found(self.checks)]
        if not self.ok:
            parts += ["", chaos_report.failures(self.checks, logs)]
            parts += [f"first odd answers: {a}" for a in self.load.unexpected]
        if self.error:
            parts += ["", f"THE SUITE STOPPED EARLY: {self.error}"]
        parts += ["", f"data and service logs: {self.data_dir}",
                  "ALL CHECKS HOLD" if self.ok else "DIFFERENCES FOUND (exit 1)"]
        return "\n".join(parts)


def load_checks(run: ChaosRun) -> list[Check]:
    load, n = run.load, run.petitions
    others = sum(v for k, v in load.answers.items()
                 if k not in ("201", "503", "timeout", "connection error"))
    injected = len(run.faults)
    return [Check("faults injected, each part back", "6", str(injected),
                  injected == 6 and run.fault_error is None,
                  notes=[run.fault_error] if run.fault_error else []),
            Check("petitions answered 201", str(n), str(len(load.cases)), len(load.cases) == n,
                  notes=[f"never answered 201: petitions {load.unanswered[:10]}"]
                  if load.unanswered else []),
            Check("answers other than 201 or 503 (no 4xx, no other 5xx)", "0", str(others),
                  others == 0,
                  notes=load.unexpected[:5])]


def databases(system: EmbeddedSystem) -> dict[str, str]:
    assert system.postgres is not None
    return {s: system.postgres.dsn(f"{system.database_prefix}{s}") for s in SERVICES}


async def converge(system: EmbeddedSystem, run: ChaosRun, seconds: float,
                   live: bool | None) -> None:
    dsns = databases(system)
    cases = run.load.cases
    bar = Progress(len(cases), "cases complete in reporting", live)
    began, deadline, complete_polls = time.monotonic(), time.monotonic() + seconds, 0
    while True:
        snap = await take(dsns)
        checks = verdict(cases, snap)
        done = converged(cases, snap)
        bar.set(done)
        complete_polls = complete_polls + 1 if done == len(cases) else 0
        if all(c.ok for c in checks) or complete_polls >= STABLE_POLLS:
            break
        if time.monotonic() > deadline:
            note(f"not converged after {seconds:.0f}s; checking what there is")
            break
        await asyncio.sleep(POLL_SECONDS + len(cases) / 1000)
    bar.close()
    run.seconds["convergence"] = time.monotonic() - began
    await asyncio.sleep(SETTLE_SECONDS)
    run.checks = load_checks(run) + verdict(cases, await take(dsns))
    await final_checks(system, run, after_fuzz=False)


async def final_checks(system: EmbeddedSystem, run: ChaosRun, after_fuzz: bool) -> None:
    """Every service alive; after fuzzing also its outcome and still no dead letters."""
    suffix = " after fuzzing" if after_fuzz else ""
    if after_fuzz:
        snap = await take(databases(system))
        for outcome in run.fuzz:
            run.checks.append(Check(
                f"fuzz {outcome.service} (schemathesis): no 5xx", "no 5xx",
                f"{outcome.requests} requests" + ("" if outcome.ok else ", failures"),
                outcome.ok, notes=[outcome.tail[-1500:]] if not outcome.ok else []))
        run.checks += [Check(f"no dead letters{suffix} ({s})", "0",
                             str(len(snap.dead_letters[s])), not snap.dead_letters[s],
                             notes=snap.dead_letters[s][:5]) for s in SERVICES]
    healthy = [name for name, proc in system.services.items() if await _healthy(proc.url)]
    run.checks.append(Check(f"services healthy{suffix} (/health 200)", str(len(SERVICES)),
                            str(len(healthy)), len(healthy) == len(SERVICES),
                            notes=[f"unhealthy: {sorted(set(system.services) - set(healthy))}"]))


async def _healthy(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            return (await http.get(f"{url}/health")).status_code == 200
    except httpx.HTTPError:
        return False
