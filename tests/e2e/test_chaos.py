"""The fault suite of ``./dev chaos``, smaller: 1,000 petitions while every service is SIGKILLed
and restarted, the broker restarts empty and PostgreSQL's postmaster is SIGKILLed; then every
petition is registered, assigned and clocked exactly once, reporting equals a rebuild from the
published events, and no database holds a dead letter.

Also: the verdict itself notices what it is there to notice (a check that cannot fail proves
nothing).
"""

from __future__ import annotations

import shutil
import time

import pytest

from infra.chaos import run_chaos
from infra.chaos_checks import verdict
from infra.chaos_snapshot import Snapshot

pytestmark = pytest.mark.e2e

PETITIONS = 1000
RATE = 15.0  # petitions per second: about a minute of load on two cores


def test_a_thousand_petitions_through_every_fault_lose_nothing_and_repeat_nothing() -> None:
    # Not under pytest's tmp_path: another pytest session starting on this machine makes
    # /tmp/pytest-of-<user> private again (0700), and PostgreSQL, which runs as its own system
    # user under root, then PANICs on its own data directory (seen in a run).
    began = time.monotonic()
    run = run_chaos(PETITIONS, RATE, converge_seconds=120, live=False)
    print(run.render())
    print(f"test duration {time.monotonic() - began:.0f}s")
    assert [f.name for f in run.faults] == [
        "SIGKILL routing", "restart broker (empty)", "SIGKILL intake",
        "SIGKILL postgres postmaster", "SIGKILL accountability", "SIGKILL reporting"]
    assert run.ok, run.render()
    assert len(run.load.cases) == PETITIONS
    assert run.load.answers["503"] + run.load.answers["connection error"] > 0  # faults bit
    shutil.rmtree(run.data_dir.parent, ignore_errors=True)  # kept, with the logs, on a failure


def _healthy_snapshot(cases: dict[str, str]) -> Snapshot:
    snap = Snapshot(dead_letters={s: [] for s in ("intake", "routing", "accountability",
                                                  "reporting")})
    for case, unit in cases.items():
        snap.registered[case] = 1
        snap.assigned[case].append(unit)
        clocks = {(f"{case}-raf", "register-and-forward", "stopped"),
                  (f"{case}-na", "notify-acceptance", "running")}
        snap.started.update({(case, "register-and-forward"): 1, (case, "notify-acceptance"): 1})
        snap.clocks[case], snap.report_clocks[case] = clocks, set(clocks)
        snap.report_rows[case] = (unit, "registered")
        snap.published[case] = {f"{case}-e{i}" for i in range(5)}
        snap.timeline[case] = sorted(snap.published[case])
    return snap


def _failed(cases: dict[str, str], snap: Snapshot) -> dict[str, list[str]]:
    return {c.name: c.cases or c.notes for c in verdict(cases, snap) if not c.ok}


def test_the_verdict_notices_anything_lost_repeated_or_left_over() -> None:
    cases = {"c1": "gas-company", "c2": "urban-management"}
    assert _failed(cases, _healthy_snapshot(cases)) == {}

    snap = _healthy_snapshot(cases)
    snap.assigned["c2"].append("gas-company")  # assigned twice
    snap.started[("c1", "notify-acceptance")] = 2  # a clock started twice
    snap.timeline["c1"].append("c1-e0")  # an event twice in the timeline
    snap.timeline["c2"].pop()  # a published event that never reached reporting
    snap.registered["c9"] = 1  # a case no client was told about
    snap.report_clocks["c2"] = {("c2-raf", "register-and-forward", "running")}
    snap.dead_letters["routing"] = ["routing-intake petition.case.registered.v1 e1: bad"]
    failed = _failed(cases, snap)
    assert failed == {
        "registered once (intake events)": ["other cases: c9"],
        "assigned once (routing events)": ["c2"],
        "reporting: lead unit = routing's assignment": ["c2"],
        "notify-acceptance clock started once (accountability events)": ["c1"],
        "no clock of any kind started twice": ["c1"],
        "reporting: clocks = accountability's (id, kind, phase)": ["c2"],
        "reporting: timeline = the case's published events": ["c2"],
        "reporting: no event twice in a timeline": ["c1"],
        "no dead letters (routing)": ["routing-intake petition.case.registered.v1 e1: bad"]}
