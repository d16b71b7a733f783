"""The faults the chaos suite injects while petitions arrive: each service SIGKILLed and
started again, the broker restarted (it comes back empty), PostgreSQL's postmaster SIGKILLed
and started again (crash recovery from its write-ahead log).

Every step blocks (processes, readiness polls), so the suite runs them in a thread.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from infra.system import EmbeddedSystem

READY_SECONDS = 120.0  # a restart on two busy cores may be slow, never endless
# (fault, its share of the load's duration): spread so that each lands in steady load
SCHEDULE: tuple[tuple[str, float], ...] = (
    ("routing", 0.15), ("broker", 0.30), ("intake", 0.45), ("postgres", 0.60),
    ("accountability", 0.75), ("reporting", 0.90))


@dataclass
class Fault:
    name: str  # "SIGKILL routing", "restart broker (empty)", ...
    at: float  # seconds after the load began
    recovered_in: float  # seconds until the part was back (ready, registering, accepting)


def inject(system: EmbeddedSystem, fault: str) -> str:
    """Inject one fault and wait until the part is back; returns its description."""
    if fault == "broker":
        assert system.broker is not None
        system.broker.restart()
        return "restart broker (empty)"
    if fault == "postgres":
        attempts = crash_postgres(system)
        return "SIGKILL postgres postmaster" + (f" (started on try {attempts})"
                                                 if attempts > 1 else "")
    proc = system.services[fault]
    proc.kill(signal.SIGKILL)
    proc.start()
    proc.wait_ready(timeout=READY_SECONDS)
    if fault == "intake":
        system.wait_until_registering(timeout=READY_SECONDS)
    return f"SIGKILL {fault}"


def crash_postgres(system: EmbeddedSystem) -> int:
    """SIGKILL the postmaster, let its orphaned backends notice and exit (a new postmaster
    refuses to start while they hold the shared memory), then start it again; returns on
    which try it started."""
    assert system.postgres is not None
    pgdata = system.postgres.data_dir / "pgdata"
    postmaster = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    children = _children_of(postmaster)
    os.kill(postmaster, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    for attempt in range(1, 6):
        try:
            system.postgres.start()
            return attempt
        except subprocess.CalledProcessError:
            if attempt == 5:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def run_schedule(system: EmbeddedSystem, load_seconds: float, started: float,
                 done: Callable[[Fault], None]) -> None:
    """Inject each fault at its share of the load (or as soon as the previous one is over)."""
    for fault, share in SCHEDULE:
        time.sleep(max(0.0, started + share * load_seconds - time.monotonic()))
        at = time.monotonic()
        name = inject(system, fault)
        done(Fault(name, at - started, time.monotonic() - at))


def _children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # after the name: state, ppid, ...
            children.append(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
