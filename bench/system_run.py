"""What one bench run does: start the system, then each phase in turn (bench/README.md)."""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import os
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from bench import Plan, Row
from bench.cpu_meter import CpuMeter
from bench.http_client import run
from bench.intake_load import run_load
from bench.phases import CLIENT_GROUP, intake_phase, latency_phase
from bench.progress import say
from bench.rebuild import rebuild_phase
from bench.routed_watch import RoutedWatch
from bench.store_appends import store_phase

if TYPE_CHECKING:
    from infra.system import EmbeddedSystem

PORTS = {"intake": 48001, "routing": 48002, "accountability": 48003, "reporting": 48004}
PHASES = ("latency", "intake", "growth", "rebuild", "store")
CPU_GROUPS = {"intake": ["intake"], "routing": ["routing"], "accountability": ["accountability"],
              "reporting": ["reporting"], "PostgreSQL": ["postgres"], "broker": ["broker"],
              CLIENT_GROUP: ["client"]}


def cpu_meter(system: EmbeddedSystem) -> CpuMeter:
    assert system.postgres and system.broker and system.broker.process
    pids = {name: [p.process.pid] for name, p in system.services.items() if p.process}
    postmaster = (system.postgres.data_dir / "pgdata" / "postmaster.pid").read_text()
    pids.update(postgres=[int(postmaster.split()[0])], broker=[system.broker.process.pid],
                client=[os.getpid()])
    return CpuMeter({group: [pid for n in names for pid in pids[n]]
                     for group, names in CPU_GROUPS.items()}, {"PostgreSQL"})


def warm_up(intake: str, reporting: str, numbering: itertools.count[int]) -> None:
    async def once() -> None:
        async with RoutedWatch(reporting) as watch:
            load = await run_load(intake, 4, 20, lambda _: None, numbering)
            await watch.wait_for(load.case_ids, timeout_s=120)
    run(once())


def growth(system: EmbeddedSystem, plan: Plan) -> list[Row]:
    """Helper B's bench/growth.py, when it is there."""
    if importlib.util.find_spec("bench.growth") is None:
        say("growth with history: bench/growth.py is not there yet; skipped")
        return []
    rows: list[Row] = importlib.import_module("bench.growth").growth_phase(system, plan, say)
    return rows


def measure(system: EmbeddedSystem, plan: Plan, skip: set[str]) -> tuple[list[Row], list[str]]:
    """The figures, and the phases that failed (each failure is printed; the run goes on)."""
    system.start_infrastructure(pg_port=45432, broker_port=49092)
    system.start_services(PORTS)
    system.wait_until_registering()
    assert system.postgres
    postgres = system.postgres
    meter = cpu_meter(system)
    intake, reporting = system.services["intake"].url, system.services["reporting"].url
    numbering = itertools.count()
    warm_up(intake, reporting, numbering)
    phases: list[tuple[str, Callable[[], list[Row]]]] = [
        ("latency", lambda: latency_phase(intake, reporting, plan, numbering)),
        ("intake", lambda: intake_phase(intake, reporting, plan, numbering, meter)),
        ("growth", lambda: growth(system, plan)),  # needs the services; leaves them running
        ("rebuild", lambda: rebuild_phase(system, plan, say)),  # stops reporting; needs the log
        ("store", lambda: _alone(system, plan, postgres.dsn))]
    rows: list[Row] = []
    failed: list[str] = []
    for name, phase in phases:
        if name in skip:
            continue
        try:
            rows += phase()
        except Exception:  # one phase's failure must not lose the others' figures
            say(f"{name} phase failed:\n{traceback.format_exc()}")
            failed.append(name)
    return rows, failed


def _alone(system: EmbeddedSystem, plan: Plan, dsn: Callable[[str], str]) -> list[Row]:
    system.stop(stop_postgres=False)  # the store phase has the PostgreSQL server to itself
    return store_phase(dsn, plan)
