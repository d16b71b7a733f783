"""Growth with history: each service's memory and its hot reads' times at two sizes of history
(``plan.growth_cases``, 10,000 and 100,000 cases), as the growth from the smaller to the larger.

The history grows by cloning the cases already there (bench/growth_clone.py) while the four
services are stopped. At each size the services start afresh (so memory reflects the history,
not the earlier load), 300 new petitions go through the pipeline until routed in reporting,
each hot read runs 200 times on those fresh cases (bench/growth_reads.py), and then each
service's resident memory is read. Runs once: growing the history is the expensive part.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil

from bench import Plan, Row
from bench.growth_clone import HistoryCloner
from bench.growth_reads import hot_reads, time_read, unit_of
from bench.intake_load import run_load
from bench.routed_watch import RoutedWatch
from infra.system import EmbeddedSystem

SERVICES = ["intake", "routing", "accountability", "reporting"]
PETITIONS = 300  # through the pipeline at each size, then read
READS = 200      # of each hot path, timed


@dataclass
class Size:
    cases: int
    memory_mb: dict[str, float] = field(default_factory=dict)  # after the reads
    before_reads_mb: dict[str, float] = field(default_factory=dict)
    read_ms: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.cases < 1000:
            return f"{self.cases} cases"
        return f"{self.cases / 1000:,.{0 if self.cases >= 10_000 else 1}f}k cases"


def growth_phase(system: EmbeddedSystem, plan: Plan, progress: Callable[[str], None]
                 ) -> list[Row]:
    assert system.postgres is not None
    cloner = HistoryCloner(system.postgres.dsn, SERVICES)
    numbering = itertools.count(50_000_000)  # petition numbers the other phases do not reach
    sizes: list[Size] = []
    with asyncio.Runner() as runner:  # one loop: the cloner's connections live across sizes
        runner.run(cloner.connect())
        runner.run(cloner.caught_up())
        for target in plan.growth_cases:
            progress(f"growth with history: stopping the services to grow it to {target:,} "
                     "cases")
            _stop(system)
            if not cloner.originals:
                runner.run(cloner.snapshot())
                progress(f"growth with history: {cloner.originals:,} cases to clone")

            def copied(done: int, total: int) -> None:
                progress(f"growth with history: {done * 100 // total} % of the copies written")

            cases = runner.run(cloner.grow_to(target, copied))
            progress(f"growth with history: {cases:,} cases; starting the services")
            _start(system)
            sizes.append(runner.run(_measure(system, cloner, cases, numbering, progress)))
        for name, why in cloner.refused().items():
            progress(f"growth with history: table {name} not cloned: {why}")
        runner.run(cloner.close())
    return _rows(sizes)


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
                   numbering: itertools.count[int], progress: Callable[[str], None]) -> Size:
    size = Size(cases)
    urls = {name: system.services[name].url for name in SERVICES}
    progress(f"growth with history, {size.label}: {PETITIONS} petitions until routed")
    async with RoutedWatch(urls["reporting"], after=await cloner.feed_head()) as watch:
        load = await run_load(urls["intake"], 8, PETITIONS, lambda _: None, numbering)
        await watch.wait_for(load.case_ids, timeout_s=180)
    await asyncio.sleep(2.0)  # accountability's clocks of the last cases, on its own path
    unit = await unit_of(urls["reporting"], load.case_ids[0])
    size.before_reads_mb = {name: _resident_mb(system, name) for name in SERVICES}
    progress(f"growth with history, {size.label}: resident MB before the reads " + ", ".join(
        f"{name} {mb:.0f}" for name, mb in size.before_reads_mb.items()))
    for read in hot_reads():
        ms, count = await time_read(read, urls[read.service], load.case_ids, unit, READS)
        size.read_ms[read.name] = ms
        progress(f"growth with history, {size.label}: {read.name} {ms:.1f} ms "
                 f"(median of {count})")
    for name in SERVICES:
        size.memory_mb[name] = _resident_mb(system, name)
    progress(f"growth with history, {size.label}: resident MB after them " + ", ".join(
        f"{name} {mb:.0f}" for name, mb in size.memory_mb.items()))
    return size


def _resident_mb(system: EmbeddedSystem, name: str) -> float:
    process = system.services[name].process
    assert process is not None
    root = psutil.Process(process.pid)
    rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    return float(rss) / 2**20


def _rows(sizes: list[Size]) -> list[Row]:
    small, big = sizes
    setting = f"{small.label.split()[0]} -> {big.label}"
    rows: list[Row] = []
    for name in SERVICES:
        rows.append((f"memory growth, {name}", setting,
                     [_growth(small.memory_mb[name], big.memory_mb[name])], "%"))
    for read in small.read_ms:
        # The control has no history behind it: its growth is noise, not held to the target.
        name = "  noise: query time growth" if "(control)" in read else "query time growth"
        rows.append((f"{name}, {read}", setting,
                     [_growth(small.read_ms[read], big.read_ms[read])], "%"))
    for size in sizes:
        rows += [(f"  memory, {name}", size.label, [size.memory_mb[name]], "MB")
                 for name in SERVICES]
        rows += [(f"  memory before the reads, {name}", size.label, [mb], "MB")
                 for name, mb in size.before_reads_mb.items()]
        rows += [(f"  query time, {read}", size.label, [ms], "ms")
                 for read, ms in size.read_ms.items()]
    return rows


def _growth(before: float, after: float) -> float:
    return (after - before) / before * 100
