"""Growth with history: each service's memory and its hot reads' times at two sizes of history
(``plan.growth_cases``, 10,000 and 100,000 concluded cases), as the growth from the smaller to
the larger.

A district's history is concluded cases spread over past weeks, months and years, while its
open workload stays about the same. So the phase first carries ``plan.history_cases`` cases
to their conclusion through the services' HTTP APIs (bench/growth_history.py), stops the four
services, and copies those cases' rows, each copy a week further back (bench/growth_clone.py),
until the concluded cases reach each size. The open cases of the earlier phases are not copied:
they are the open workload, the same at both sizes. At each size the services start afresh
(so memory reflects the history, not the earlier load), 300 new petitions go through the
pipeline until routed in reporting, each hot read runs 200 times on those fresh cases
(bench/growth_reads.py), and then each service's resident memory is read; then the office
does not accept those 300 (a court's matter), so the next size's open workload is this one's.
Runs once: growing the history is the expensive part.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections.abc import Callable

import psutil

from bench import Plan, Row
from bench.growth_clone import HistoryCloner
from bench.growth_history import conclude_cases, not_accepted
from bench.growth_reads import hot_reads, time_reads, unit_of, until_each_case_answers
from bench.growth_rows import Size, compare_past_month, fills_past_month, rows
from bench.intake_load import run_load
from bench.routed_watch import RoutedWatch
from infra.system import EmbeddedSystem

SERVICES = ["intake", "routing", "accountability", "reporting"]
PETITIONS = 300  # through the pipeline at each size, then read
READS = 200      # of each hot path, timed


def growth_phase(system: EmbeddedSystem, plan: Plan, progress: Callable[[str], None]
                 ) -> list[Row]:
    assert system.postgres is not None
    cloner = HistoryCloner(system.postgres.dsn, SERVICES)
    numbering = itertools.count(50_000_000)  # petition numbers the other phases do not reach
    sizes: list[Size] = []
    urls = {name: system.services[name].url for name in SERVICES}
    with asyncio.Runner() as runner:  # one loop: the cloner's connections live across sizes
        runner.run(cloner.connect())
        try:
            progress(f"growth with history: carrying {plan.history_cases} cases to their "
                     "conclusion")
            history = runner.run(conclude_cases(urls, plan.history_cases, progress))
            runner.run(cloner.caught_up())
            for target in plan.growth_cases:
                progress(f"growth with history: stopping the services to grow it to {target:,} "
                         "concluded cases")
                _stop(system)
                if not cloner.originals:
                    runner.run(cloner.snapshot(history))
                    workload = runner.run(cloner.cases()) - runner.run(cloner.cases(True))
                    progress(f"growth with history: {cloner.originals:,} concluded cases to copy "
                             f"({len(cloner.dates)} distinct dates in their rows); the open "
                             f"workload, not copied: {workload:,} cases")

                def copied(done: int, total: int) -> None:
                    progress(f"growth with history: {done * 100 // total} % of the copies written")

                started = time.monotonic()
                cases = runner.run(cloner.grow_to(target, copied))
                progress(f"growth with history: {cases:,} concluded cases, copies 1 to "
                         f"{cloner.last_copy} weeks back ({time.monotonic() - started:.0f} s); "
                         "starting the services")
                if not sizes and not fills_past_month(cloner.last_copy - 1):
                    progress("growth with history: the copies do not reach back over the previous "
                             "month and the cases that settle in it: its rates are not comparable")
                _start(system)
                size, fresh = runner.run(_measure(system, cloner, cases, numbering, progress))
                sizes.append(size)
                if len(sizes) < len(plan.growth_cases):  # the next size's open workload: as this
                    runner.run(not_accepted(urls, fresh, progress))
            for name, why in cloner.refused().items():
                progress(f"growth with history: table {name} not cloned: {why}")
        finally:  # a failed size must not leave sessions behind (the rebuild refuses then)
            runner.run(cloner.close())
    compare_past_month(sizes, progress)
    return rows(sizes)


def _stop(system: EmbeddedSystem) -> None:
    for name in SERVICES:
        system.services[name].kill(signal.SIGTERM)


def _start(system: EmbeddedSystem) -> None:
    for name in SERVICES:
        system.services[name].start()
    for name in SERVICES:
        system.services[name].wait_ready()
    system.wait_until_registering()


async def _measure(system: EmbeddedSystem, cloner: HistoryCloner, cases: int,
                   numbering: itertools.count[int], progress: Callable[[str], None]
                   ) -> tuple[Size, list[str]]:
    """The size's figures, and the fresh cases it posted."""
    size = Size(cases)
    urls = {name: system.services[name].url for name in SERVICES}
    progress(f"growth with history, {size.label}: {PETITIONS} petitions until routed")
    async with RoutedWatch(urls["reporting"], after=await cloner.feed_head()) as watch:
        load = await run_load(urls["intake"], 8, PETITIONS, lambda _: None, numbering)
        await watch.wait_for(load.case_ids, timeout_s=180)
    unit = await unit_of(urls["reporting"], load.case_ids[0])
    await until_each_case_answers(hot_reads(), urls, load.case_ids, unit)
    size.before_reads_mb = {name: _resident_mb(system, name) for name in SERVICES}
    progress(f"growth with history, {size.label}: resident MB before the reads " + ", ".join(
        f"{name} {mb:.0f}" for name, mb in size.before_reads_mb.items()))
    timings = await time_reads(hot_reads(), urls, load.case_ids, unit, READS)
    for name, timing in timings.items():
        size.read_ms[name], size.answers[name] = timing.median, timing.body
        progress(f"growth with history, {size.label}: {name} {timing.median:.1f} ms "
                 f"(median of {len(timing.samples)})")
    for name in SERVICES:
        size.memory_mb[name] = _resident_mb(system, name)
    progress(f"growth with history, {size.label}: resident MB after them " + ", ".join(
        f"{name} {mb:.0f}" for name, mb in size.memory_mb.items()))
    return size, load.case_ids


def _resident_mb(system: EmbeddedSystem, name: str) -> float:
    process = system.services[name].process
    assert process is not None
    root = psutil.Process(process.pid)
    rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    return float(rss) / 2**20
