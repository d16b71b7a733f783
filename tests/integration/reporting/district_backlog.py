"""A district's open and concluded cases at ``NOW``, for the backlog and clock list tests.

| case | lead unit  | community       | category | registered | most pressing clock        |
|------|------------|-----------------|----------|------------|----------------------------|
| A    | gas        | Dingjia         | gas      | 40 days    | handle-and-answer overdue  |
| B    | gas        | Dingjia         | gas      | 10 days    | notify-acceptance due soon |
| C    | urban      | Zhilizhuang     | parking  | 3 days     | notify-acceptance running  |
| D    | (none)     | Yashiyuan       | noise    | 70 days    | register-and-forward overdue |
| E    | gas        | Lakeside Garden | property | 20 days    | handle-and-answer paused   |
Not counted: F closed, G a report, H merged, I reclassified as a report (each with an
overdue clock that must not show either).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents

NOW = START + timedelta(days=70)
GAS, URBAN = "gas-company", "urban-management"


def day(n: float) -> timedelta:
    return timedelta(days=n)


@dataclass
class DistrictBacklog:
    district: str
    cases: dict[str, CaseEvents]

    def id(self, name: str) -> str:
        return self.cases[name].case_id


async def seed(feed: Feed) -> DistrictBacklog:
    district = f"d-{uuid4().hex[:8]}"  # the broker is shared: no other test's cases count
    c = {name: CaseEvents(case_id=f"{name}-{uuid4().hex[:8]}", district=district)
         for name in "ABCDEFGHI"}
    a, b, cc, d, e = c["A"], c["B"], c["C"], c["D"], c["E"]
    await feed(
        a.registered(NOW - day(40)), a.assigned(NOW - day(40) + day(0.1), GAS),
        a.accepted(NOW - day(39), GAS),
        a.clock_started(NOW - day(39), "handle-and-answer", NOW - day(1), unit=GAS),
        b.registered(NOW - day(10)), b.assigned(NOW - day(10) + day(0.1), GAS),
        b.clock_started(NOW - day(10), "notify-acceptance", NOW + day(1),
                        warn_at=NOW - day(1), unit=GAS),
        cc.registered(NOW - day(3), category="parking", community="Zhilizhuang"),
        cc.assigned(NOW - day(3) + day(0.1), URBAN),
        cc.clock_started(NOW - day(3), "notify-acceptance", NOW + day(10), unit=URBAN),
        d.registered(NOW - day(70), category="noise", community="Yashiyuan"),
        d.clock_started(NOW - day(70), "register-and-forward", NOW - day(55)),
        e.registered(NOW - day(20), category="property", community="Lakeside Garden"),
        e.assigned(NOW - day(20) + day(0.1), GAS), e.accepted(NOW - day(19), GAS),
        e.clock_started(NOW - day(19), "handle-and-answer", NOW - day(1), unit=GAS),
        e.clock("paused", NOW - day(5), "handle-and-answer", reason="hearing"),
    )
    for name in "FGHI":
        x = c[name]
        await feed(x.registered(NOW - day(30), matter_kind="report" if name == "G" else None),
                   x.clock_started(NOW - day(30), "register-and-forward", NOW - day(15)))
    f, h, i = c["F"], c["H"], c["I"]
    await feed(f.assigned(NOW - day(29), GAS), f.intake("closed", NOW - day(2)),
               h.intake("merged", NOW - day(29), into_case_id=a.case_id, clerk_id="clerk-wang"),
               i.assigned(NOW - day(29), GAS),
               i.intake("reclassified", NOW - day(28), from_kind="claim", to_kind="report",
                        clerk_id="clerk-wang"))
    return DistrictBacklog(district, c)
