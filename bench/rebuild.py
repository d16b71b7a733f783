"""Rebuilding reporting's read models from the log, events/s: the code behind
``casebus rebuild reporting`` (casebus/cli/rebuild_run.py), run in this process on the bench's
PostgreSQL and broker. It refuses while reporting runs, so reporting's process is stopped first
(the other services and the broker keep running)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bench import Plan, Row
from casebus.cli.common import CliError
from casebus.cli.rebuild_run import rebuild
from casebus.cli.reporting_rebuild import Outcome

if TYPE_CHECKING:
    from infra.system import EmbeddedSystem

NAME = "rebuild reporting's read models from the log"


async def _rebuild_when_free(url: str, bootstrap: str, wait_s: float = 20.0) -> Outcome:
    """The stopped service's database sessions take a moment to end: retry while refused."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return await rebuild(url, bootstrap)
        except CliError as exc:
            if "refused" not in str(exc) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _within(budget_s: float, url: str, bootstrap: str) -> Outcome | None:
    """None when the rebuild did not finish in time (its transaction then rolls back)."""
    try:
        async with asyncio.timeout(budget_s):
            return await _rebuild_when_free(url, bootstrap)
    except TimeoutError:
        return None


def rebuild_phase(system: EmbeddedSystem, plan: Plan, say: Callable[[str], None]) -> list[Row]:
    assert system.postgres and system.broker
    system.services["reporting"].kill(signal.SIGTERM)
    url = system.postgres.dsn(f"{system.database_prefix}reporting")
    budget_s = 60.0 if plan.petitions < 1000 else 480.0  # a slow rebuild must not stall the run
    applying: list[float] = []
    whole: list[float] = []
    events = 0
    for run in range(1, plan.repeats + 1):
        say(f"rebuild reporting: run {run} of {plan.repeats} (reporting stopped)")
        started = time.perf_counter()
        outcome = asyncio.run(_within(budget_s, url, system.broker.bootstrap))
        seconds = time.perf_counter() - started
        if outcome is None:
            say(f"rebuild reporting: not done after {budget_s:.0f} s; stopped (rolled back)")
            applying.append(float("nan"))
            whole.append(float("nan"))
            break
        if outcome.dead_lettered:
            say(f"  {outcome.dead_lettered} events dead-lettered by the rebuild")
        events = outcome.events
        applying.append(outcome.events / max(outcome.seconds, 1e-6))
        whole.append(outcome.events / seconds)
        say(f"rebuild reporting: {outcome.events:,} events in {outcome.seconds:.1f} s applying, "
            f"{seconds:.1f} s in all")
        if seconds > 60 and run < plan.repeats:
            say("rebuild reporting: over a minute: one run is figure enough")
            break
    setting = f"{events:,} events" if events else f"not done in {budget_s:.0f} s"
    return [(NAME, setting, applying, "events/s"),
            ("  same, whole command (open app and log, apply, commit)", setting, whole,
             "events/s")]
