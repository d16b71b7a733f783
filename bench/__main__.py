"""``./dev bench`` (``python -m bench``): start the whole system on a temporary, durable embedded
stack, measure intake throughput, end-to-end latency and event-store appends, print a table.
See bench/README.md for what each figure means."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import shutil
import signal
import statistics
import tempfile
import warnings
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench import QUICK, Plan, Row
from bench.intake_load import CpuMeter, routed_cases, run_load, wait_drained
from bench.latency import run_latency
from bench.store_appends import PAYLOAD_BYTES, store_phase

PORTS = {"intake": 48001, "routing": 48002, "accountability": 48003, "reporting": 48004}
CPU_GROUPS = {"intake": ["intake"], "routing+accountability+reporting":
              ["routing", "accountability", "reporting"], "PostgreSQL": ["postgres"],
              "broker": ["broker"], "load client (httpx)": ["client"]}


def latency_phase(intake: str, reporting: str, plan: Plan, numbering: Any) -> list[Row]:
    p50: list[float] = []
    p99: list[float] = []
    per_run = int(plan.rate * plan.seconds)
    with tqdm(total=per_run * plan.repeats, desc="end-to-end latency", unit="case") as bar:
        for _ in range(plan.repeats):
            got = asyncio.run(run_latency(intake, reporting, plan.rate, plan.seconds,
                                          plan.poll_ms / 1000, bar.update, numbering))
            if got.lost:
                tqdm.write(f"  {got.lost} of {per_run} cases refused or not routed in 30 s")
            p50.append(got.quantile(0.50))
            p99.append(got.quantile(0.99))
    setting = f"{plan.rate:g}/s for {plan.seconds:g}s"
    return [("201 -> routed in reporting, p50 (incl. poll)", setting, p50, "ms"),
            ("201 -> routed in reporting, p99 (incl. poll)", setting, p99, "ms")]


def intake_phase(intake: str, reporting: str, plan: Plan, numbering: Any,
                 meter: CpuMeter) -> list[Row]:
    rates: dict[int, list[float]] = {c: [] for c in plan.clients}
    routed: dict[int, list[float]] = {c: [] for c in plan.clients}
    cpu: dict[tuple[str, int], list[float]] = {}
    with tqdm(total=plan.petitions * plan.repeats * len(plan.clients), desc="intake load",
              unit="petition") as bar:
        for _ in range(plan.repeats):
            for clients in plan.clients:
                before, cpu_before = asyncio.run(routed_cases(reporting)), meter.read()
                load = asyncio.run(run_load(intake, clients, plan.petitions, bar.update,
                                            numbering))
                if load.failed:
                    tqdm.write(f"  {load.failed} petitions refused or failed at {clients} clients")
                rates[clients].append(load.rate)
                posted = load.accepted + load.untimed_accepted
                drained = asyncio.run(wait_drained(reporting, before + posted))
                routed[clients].append(load.accepted / (load.seconds + drained))
                for name, seconds in meter.read().items():
                    cpu.setdefault((name, clients), []).append(
                        (seconds - cpu_before[name]) * 1000 / posted)
    rows: list[Row] = []
    for c in plan.clients:
        rows.append(("intake petitions/s accepted (201, durable)", f"{c} clients", rates[c], "/s"))
        rows.append(("  same burst, until all routed in reporting", f"{c} clients", routed[c],
                     "/s"))
    rows += [(f"CPU per petition: {name}", f"{c} clients", cpu[name, c], "ms")
             for c in plan.clients for name in meter.groups]
    return rows


def table(rows: list[Row], plan: Plan) -> str:
    head = f"range of {plan.repeats}"
    lines = [f"{'measurement':<54}{'setting':<21}{'median':>8}  {head:>15}  unit", "-" * 106]
    for name, setting, values, unit in rows:
        fmt = "{:,.1f}" if unit in ("ms", "x") else "{:,.0f}"
        low, mid, high = (fmt.format(v) for v in (min(values), statistics.median(values),
                                                   max(values)))
        lines.append(f"{name:<54}{setting:<21}{mid:>8}  {low + '–' + high:>15}  {unit}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument("--repeats", type=int, help="runs per measurement (default 3)")
    args = parser.parse_args()
    plan = QUICK if args.quick else Plan()
    if args.repeats:
        plan = dataclasses.replace(plan, repeats=args.repeats)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # from importing pgserver
    from infra.system import EmbeddedSystem

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
    data_dir = Path(tempfile.mkdtemp(prefix="casebus-bench-"))
    system = EmbeddedSystem(data_dir, durable=True)
    load_before = os.getloadavg()[0]
    ok = False
    try:
        print(f"starting PostgreSQL (durable), the broker and four services in {data_dir} ...")
        system.start_infrastructure(pg_port=45432, broker_port=49092)
        system.start_services(PORTS)
        system.wait_until_registering()
        assert system.postgres and system.broker and system.broker.process
        pids = {name: [p.process.pid] for name, p in system.services.items() if p.process}
        postmaster = (system.postgres.data_dir / "pgdata" / "postmaster.pid").read_text()
        pids.update(postgres=[int(postmaster.split()[0])], broker=[system.broker.process.pid],
                    client=[os.getpid()])
        meter = CpuMeter({group: [pid for n in names for pid in pids[n]]
                          for group, names in CPU_GROUPS.items()}, {"PostgreSQL"})
        intake, reporting = system.services["intake"].url, system.services["reporting"].url
        numbering = itertools.count()
        warm = asyncio.run(run_load(intake, 4, 20, lambda _: None, numbering))
        asyncio.run(wait_drained(reporting, warm.accepted + warm.untimed_accepted))
        rows = latency_phase(intake, reporting, plan, numbering)
        rows += intake_phase(intake, reporting, plan, numbering, meter)
        system.stop(stop_postgres=False)  # the store phase has the PostgreSQL server to itself
        rows += store_phase(system.postgres.dsn, plan)
        ok = True
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop everything, keep nothing
        ok = True
        raise
    finally:
        system.stop()
        if ok:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"\nstopped everything; logs kept in {data_dir}")
    print(f"\n{'quick' if args.quick else 'full'} run, medians of {plan.repeats}; latency "
          f"includes up to {plan.poll_ms:g} ms of polling granularity; store payload "
          f"{PAYLOAD_BYTES} bytes; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after (2 cores: >2 means something else runs too)\n")
    print(table(rows, plan))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
