"""The fault suite: the whole system loses nothing, applies nothing twice, leaks nothing.

    ./dev chaos [--petitions 10000] [--rate 50] [--fuzz-seconds 0] [--converge-seconds 300]
                [--data-dir DIR]

Starts the embedded system as processes (durable PostgreSQL in its own data directory, the
broker, the four services), posts petitions to intake at a steady rate (each with its own
Idempotency-Key, retried with the same key until 201), and meanwhile SIGKILLs and restarts each
service, restarts the broker (empty) and SIGKILLs PostgreSQL's postmaster. Then it waits until
reporting shows every case, and checks each service's own database (infra/chaos_checks.py).
Prints what it did and what it found; exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from casebus.access import Role, mint_token
from casebus.settings import Settings
from infra.chaos_faults import Fault, run_schedule
from infra.chaos_fuzz import fuzz
from infra.chaos_load import post_petitions
from infra.chaos_progress import Progress, note
from infra.chaos_run import ChaosRun, converge, final_checks
from infra.chaos_snapshot import SERVICES
from infra.system import EmbeddedSystem

# Short group timeouts: a restarted service rejoins its consumer groups in seconds.
SERVICE_ENV = {"CASEBUS_BROKER_EPOCH_CHECK_SECONDS": "0.5",
               "CASEBUS_HEARTBEAT_INTERVAL_MS": "300", "CASEBUS_LOG_LEVEL": "INFO"}
DISTRICT = "chaoyang"


def run_chaos(petitions: int = 10_000, rate: float = 50.0, *, data_dir: Path | None = None,
              fuzz_seconds: int = 0, converge_seconds: float = 300.0,
              live: bool | None = None) -> ChaosRun:
    """The whole suite, in this process; ``run.ok`` is the verdict."""
    run_id = uuid4().hex[:8]
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="casebus-chaos-"))
    system = EmbeddedSystem(data_dir / run_id, durable=True, database_prefix=f"chaos_{run_id}_",
                            extra_env=SERVICE_ENV)
    run = ChaosRun(petitions, rate, system.data_dir)
    began = time.monotonic()
    try:
        note(f"starting PostgreSQL, the broker and the four services in {system.data_dir} ...")
        system.start_infrastructure(pg_port=0, broker_port=0)
        system.start_services({name: 0 for name in SERVICES})
        system.wait_until_registering()
        run.seconds["start"] = time.monotonic() - began
        asyncio.run(_load_under_faults(system, run, run_id, live))
        asyncio.run(converge(system, run, converge_seconds, live))
        if fuzz_seconds:
            _fuzz(system, run, fuzz_seconds)
    except Exception as exc:  # reported with the table: how far it got, and the logs
        run.error = f"{type(exc).__name__}: {exc}"
    finally:
        system.stop()
        run.seconds["total"] = time.monotonic() - began
    return run


async def _load_under_faults(system: EmbeddedSystem, run: ChaosRun, run_id: str,
                             live: bool | None) -> None:
    token = mint_token(Settings().token_secret, subject="chaos-clerk", district=DISTRICT,
                       role=Role.CLERK)
    bar = Progress(run.petitions, "petitions registered", live)
    started, load_seconds = time.monotonic(), run.petitions / run.rate

    def fault_done(fault: Fault) -> None:
        run.faults.append(fault)
        note(f"[{fault.at:7.1f}s] {fault.name}: back in {fault.recovered_in:.1f}s")

    def faults() -> None:
        try:
            run_schedule(system, load_seconds, started, fault_done)
        except Exception as exc:  # a part that does not come back is a finding, not a crash
            run.fault_error = f"{type(exc).__name__}: {exc}"
            note(f"fault injection failed: {run.fault_error}")

    load = asyncio.create_task(post_petitions(
        system.services["intake"].url, token, run_id, run.petitions, run.rate, bar.advance,
        run.load))
    await asyncio.to_thread(faults)
    await load
    bar.close()
    run.seconds["load"] = time.monotonic() - started


def _fuzz(system: EmbeddedSystem, run: ChaosRun, seconds: int) -> None:
    leader = mint_token(Settings().token_secret, subject="chaos-fuzz", district=DISTRICT,
                        role=Role.LEADER)
    for name, proc in system.services.items():
        note(f"fuzzing {name} for {seconds}s ...")
        run.fuzz.append(fuzz(name, proc.url, leader, seconds,
                             system.data_dir / f"fuzz-{name}.out"))
    asyncio.run(final_checks(system, run, after_fuzz=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=10_000, help="how many (10000)")
    parser.add_argument("--rate", type=float, default=50.0, help="petitions per second (50)")
    parser.add_argument("--fuzz-seconds", type=int, default=0,
                        help="afterwards fuzz each service with schemathesis this long (0)")
    parser.add_argument("--converge-seconds", type=float, default=300.0,
                        help="how long the services may take to agree after the load (300)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where PostgreSQL's data and the service logs go (a temp dir)")
    args = parser.parse_args(argv)
    if args.petitions < 1 or args.rate <= 0 or args.fuzz_seconds < 0:
        parser.error("--petitions and --rate must be positive, --fuzz-seconds not negative")
    run = run_chaos(args.petitions, args.rate, data_dir=args.data_dir,
                    fuzz_seconds=args.fuzz_seconds, converge_seconds=args.converge_seconds)
    print("\n" + run.render(), flush=True)
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main())
