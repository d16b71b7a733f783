"""What each service's own database holds about the cases, read for the chaos suite's checks.

Read straight from the stores (the truth), not over the services' APIs: intake's, routing's and
accountability's ``events`` and ``outbox`` (an event is published when its outbox row exists),
accountability's ``clocks``, reporting's read models, and every ``dead_letters`` table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import asyncpg

from casebus.domain.registered import REGISTERED_V2

SERVICES = ("intake", "routing", "accountability", "reporting")
SOURCES = ("intake", "routing", "accountability")  # the services whose events reporting reads
CASE_EVENTS = ("petition.case.%", "petition.clock.%")  # what a case's timeline holds
REGISTERED = REGISTERED_V2  # what intake writes now
ASSIGNED = "petition.case.assigned.v1"
CLOCK_STARTED = "petition.clock.started.v1"

Clock = tuple[str, str, str]  # (clock id, kind, phase)


@dataclass
class Snapshot:
    registered: Counter[str] = field(default_factory=Counter)  # case id -> registrations
    assigned: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # units
    started: Counter[tuple[str, str]] = field(default_factory=Counter)  # (case, kind)
    clocks: dict[str, set[Clock]] = field(default_factory=lambda: defaultdict(set))
    published: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # ids
    report_rows: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    report_clocks: dict[str, set[Clock]] = field(default_factory=lambda: defaultdict(set))
    timeline: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # ids
    dead_letters: dict[str, list[str]] = field(default_factory=dict)  # service -> reasons


async def take(dsn_of: dict[str, str]) -> Snapshot:
    """``dsn_of``: service -> its database's DSN."""
    snap = Snapshot()
    for service in SERVICES:
        conn = await asyncpg.connect(dsn_of[service], timeout=10)
        try:
            await _read(service, conn, snap)
        finally:
            await conn.close(timeout=5)
    return snap


async def _read(service: str, conn: asyncpg.Connection, snap: Snapshot) -> None:
    rows = await conn.fetch(
        "SELECT consumer, event_type, event_id, left(reason, 300) AS reason FROM dead_letters "
        "ORDER BY id LIMIT 20")
    snap.dead_letters[service] = [f"{r['consumer']} {r['event_type']} {r['event_id']}: "
                                  f"{r['reason']}" for r in rows]
    if service in SOURCES:
        for r in await conn.fetch(
                "SELECT DISTINCT o.key, o.event_id::text FROM outbox o JOIN events e "
                "USING (event_id) WHERE e.type LIKE ANY($1::text[])", list(CASE_EVENTS)):
            snap.published[r["key"]].add(r["event_id"])
    if service == "intake":
        for r in await conn.fetch("SELECT data->>'case_id' AS case_id FROM events "
                                  "WHERE type = $1", REGISTERED):
            snap.registered[r["case_id"]] += 1
    elif service == "routing":
        for r in await conn.fetch("SELECT data->>'case_id' AS case_id, data->>'unit_id' AS unit "
                                  "FROM events WHERE type = $1 ORDER BY position", ASSIGNED):
            snap.assigned[r["case_id"]].append(r["unit"])
    elif service == "accountability":
        for r in await conn.fetch("SELECT data->>'case_id' AS case_id, data->>'kind' AS kind "
                                  "FROM events WHERE type = $1", CLOCK_STARTED):
            snap.started[(r["case_id"], r["kind"])] += 1
        for r in await conn.fetch("SELECT case_id, clock_id, kind, phase FROM clocks"):
            snap.clocks[r["case_id"]].add((r["clock_id"], r["kind"], r["phase"]))
    else:
        for r in await conn.fetch("SELECT case_id, unit_id, stage FROM case_view"):
            snap.report_rows[r["case_id"]] = (r["unit_id"], r["stage"])
        for r in await conn.fetch("SELECT case_id, clock_id, kind, phase FROM case_clocks"):
            snap.report_clocks[r["case_id"]].add((r["clock_id"], r["kind"], r["phase"]))
        for r in await conn.fetch("SELECT case_id, event_id FROM case_timeline"):
            snap.timeline[r["case_id"]].append(r["event_id"])
