"""The load phases: end-to-end latency, then intake throughput with each process's CPU."""

from __future__ import annotations

import itertools

from bench import Plan, Row
from bench.cpu_meter import CpuMeter
from bench.http_client import run
from bench.intake_load import FAILURES, run_load
from bench.latency import run_latency
from bench.progress import Phase, say
from bench.routed_watch import RoutedWatch

CLIENT_GROUP = "load client (asyncio HTTP)"
ALL_PROCESSES = "CPU per petition, all processes (services+PostgreSQL+broker)"


def latency_phase(intake: str, reporting: str, plan: Plan,
                  numbering: itertools.count[int]) -> list[Row]:
    p50: list[float] = []
    p99: list[float] = []
    per_run = int(plan.rate * plan.seconds)

    async def runs() -> None:
        async with RoutedWatch(reporting) as watch:
            for _ in range(plan.repeats):
                got = await run_latency(intake, watch, plan.rate, plan.seconds, phase.update,
                                        numbering)
                if got.lost:
                    refused = ", ".join(f"{n} {why}" for why, n in FAILURES.items())
                    say(f"  {got.lost} of {per_run} cases refused or not routed in 30 s"
                        + (f" (refused: {refused})" if refused else ""))
                    FAILURES.clear()
                say(f"  p50 {got.quantile(0.5):,.0f} ms, p99 {got.quantile(0.99):,.0f} ms")
                p50.append(got.quantile(0.50))
                p99.append(got.quantile(0.99))

    with Phase("end-to-end latency", per_run * plan.repeats, "case") as phase:
        run(runs())
    setting = f"{plan.rate:g}/s for {plan.seconds:g}s"
    return [("201 -> routed in reporting, p50", setting, p50, "ms"),
            ("201 -> routed in reporting, p99", setting, p99, "ms"),
            ("  p50 spread between runs (max/min)", setting, [_spread(p50)], "x"),
            ("  p99 spread between runs (max/min)", setting, [_spread(p99)], "x")]


def _spread(values: list[float]) -> float:
    return max(values) / min(values) if values and min(values) > 0 else float("nan")


def intake_phase(intake: str, reporting: str, plan: Plan, numbering: itertools.count[int],
                 meter: CpuMeter) -> list[Row]:
    rates: dict[int, list[float]] = {c: [] for c in plan.clients}
    routed: dict[int, list[float]] = {c: [] for c in plan.clients}
    cpu: dict[tuple[str, int], list[float]] = {}

    async def runs() -> None:
        FAILURES.clear()  # the latency phase's
        async with RoutedWatch(reporting) as watch:
            for repeat in range(plan.repeats):
                # Every run leaves a longer log, which the embedded broker reads more slowly
                # (bench/README.md): alternate the order, so no client count always runs last.
                order = plan.clients if repeat % 2 == 0 else plan.clients[::-1]
                for clients in order:
                    cpu_before = meter.read()
                    load = await run_load(intake, clients, plan.petitions, phase.update,
                                          numbering)
                    if FAILURES:  # the timed posts' and the first (untimed) posts'
                        say(f"  {sum(FAILURES.values())} posts refused or failed at {clients} "
                            f"clients: {dict(FAILURES.most_common(3))}")
                        FAILURES.clear()
                    rates[clients].append(load.rate)
                    last = await watch.wait_for(load.case_ids, timeout_s=180)
                    routed[clients].append(load.accepted / (last - load.started))
                    say(f"  {clients} clients: {load.rate:,.0f}/s accepted, "
                        f"{routed[clients][-1]:,.0f}/s routed")
                    posted = len(load.case_ids)
                    for name, seconds in meter.read().items():
                        cpu.setdefault((name, clients), []).append(
                            (seconds - cpu_before[name]) * 1000 / posted)

    with Phase("intake load", plan.petitions * plan.repeats * len(plan.clients),
               "petition") as phase:
        run(runs())
    return _intake_rows(plan, rates, routed, cpu, list(meter.groups))


def _intake_rows(plan: Plan, rates: dict[int, list[float]], routed: dict[int, list[float]],
                 cpu: dict[tuple[str, int], list[float]], groups: list[str]) -> list[Row]:
    rows: list[Row] = []
    for c in plan.clients:
        setting = f"{c} clients, {plan.petitions}"
        rows.append(("intake petitions/s accepted (201, durable)", setting, rates[c], "/s"))
        rows.append(("  same burst, until all routed in reporting", setting, routed[c], "/s"))
    fewest, most = min(plan.clients), max(plan.clients)
    if most > fewest:
        rows.append(("intake petitions/s, most clients / fewest (per repeat)",
                     f"{most} / {fewest} clients",
                     [a / b for a, b in zip(rates[most], rates[fewest], strict=True)], "x"))
    for c in plan.clients:
        system = [sum(cpu[g, c][i] for g in groups if g != CLIENT_GROUP)
                  for i in range(plan.repeats)]
        rows.append((ALL_PROCESSES, f"{c} clients", system, "ms"))
        rows += [(f"  CPU per petition: {g}", f"{c} clients", cpu[g, c], "ms") for g in groups]
    return rows
