"""The chaos suite's verdict: from a snapshot of the four stores, nothing lost, nothing applied
twice, reporting equal to a rebuild from the published events, no dead letters.

Pure: each check says what it expected, what it found, and which cases differ (the first few,
to look them up in the services' logs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from casebus.domain.deadlines import ClockKind
from infra.chaos_snapshot import SERVICES, Snapshot

STARTED_KINDS = (ClockKind.REGISTER_AND_FORWARD.value, ClockKind.NOTIFY_ACCEPTANCE.value)
REGISTERED_STAGE = "registered"
SHOWN = 5  # offending case ids named per check


@dataclass
class Check:
    name: str
    expected: str
    found: str
    ok: bool
    cases: list[str] = field(default_factory=list)  # the first offending case ids
    notes: list[str] = field(default_factory=list)  # anything else that explains a FAIL


def per_case(name: str, cases: dict[str, str], holds: Callable[[str], bool]) -> Check:
    """``holds`` for every case posted: found is how many it holds for."""
    bad = [c for c in cases if not holds(c)]
    return Check(name, f"{len(cases)} cases", f"{len(cases) - len(bad)} cases", not bad,
                 bad[:SHOWN])


def verdict(cases: dict[str, str], snap: Snapshot) -> list[Check]:
    """``cases``: case id -> the unit the routing rules choose, for every 201 received."""
    unknown = sorted(set(snap.registered) - set(cases))
    registered = per_case("registered once (intake events)", cases,
                          lambda c: snap.registered[c] == 1)
    if unknown:  # a case nobody got a 201 for: registered behind the client's back
        registered.ok = False
        registered.found += f", {len(unknown)} other cases"
        registered.notes.append("other cases: " + ", ".join(unknown[:SHOWN]))
    checks = [
        registered,
        per_case("assigned once (routing events)", cases, lambda c: len(snap.assigned[c]) == 1),
        per_case("assigned to the unit the rules choose", cases,
                 lambda c: snap.assigned[c][:1] == [cases[c]]),
        *(_started_once(kind, cases, snap) for kind in STARTED_KINDS),
        _no_clock_started_twice(snap),
        per_case("reporting: lead unit = routing's assignment", cases,
                 lambda c: snap.report_rows.get(c, (None, None))[0] is not None
                 and [snap.report_rows[c][0]] == snap.assigned[c][-1:]),
        per_case("reporting: stage registered", cases,
                 lambda c: snap.report_rows.get(c, (None, None))[1] == REGISTERED_STAGE),
        per_case("reporting: clocks = accountability's (id, kind, phase)", cases,
                 lambda c: bool(snap.clocks[c]) and snap.report_clocks[c] == snap.clocks[c]),
        per_case("reporting: timeline = the case's published events", cases,
                 lambda c: bool(snap.published[c])
                 and set(snap.timeline[c]) == snap.published[c]),
        per_case("reporting: no event twice in a timeline", cases,
                 lambda c: len(snap.timeline[c]) == len(set(snap.timeline[c]))),
    ]
    return checks + [_dead_letters(service, snap.dead_letters[service]) for service in SERVICES]


def converged(cases: dict[str, str], snap: Snapshot) -> int:
    """How many cases reporting shows complete: assigned, with both clocks, the timeline whole
    (the progress of convergence)."""
    return sum(1 for c in cases
               if snap.report_rows.get(c, (None, None))[0] is not None
               and len(snap.report_clocks[c]) >= len(STARTED_KINDS)
               and set(snap.timeline[c]) >= snap.published[c])


def _started_once(kind: str, cases: dict[str, str], snap: Snapshot) -> Check:
    return per_case(f"{kind} clock started once (accountability events)", cases,
                    lambda c: snap.started[(c, kind)] == 1)


def _no_clock_started_twice(snap: Snapshot) -> Check:
    twice = sorted({case for (case, _), n in snap.started.items() if n > 1})
    return Check("no clock of any kind started twice", "0 cases", f"{len(twice)} cases",
                 not twice, twice[:SHOWN])


def _dead_letters(service: str, reasons: Iterable[str]) -> Check:
    listed = list(reasons)
    return Check(f"no dead letters ({service})", "0", str(len(listed)) + ("+" if
                 len(listed) >= 20 else ""), not listed, notes=listed[:SHOWN])
