"""Demo data: petitions from the source documents, registered through intake's API, and what
leaders look at: a responsibility letter that one of them breaks, a ranking of the month, and
five neighbours on one matter, which the early-warning worker reports."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

DEMO_PETITIONS: list[tuple[str, str, str, str, list[tuple[str, str | None]]]] = [
    ("visit", "gas", "Dingjia", "Gas supply never connected since completion",
     [("Li Xiuying", "11010519491231002X")]),
    ("letter", "property", "Lakeside Garden",
     "Property company replaced after owners formed a committee",
     [(f"Owner {i}", None) for i in range(1, 7)]),
    ("phone", "parking", "Zhilizhuang", "Electric-vehicle parking and charging",
     [("Zhang Wei", None)]),
    ("online", "access-control", "Yashiyuan", "Community access control blocks visitors",
     [("Chen Jing", None)]),
    ("visit", "demolition", "Dingjia", "Resettlement after the demolition policy changed",
     [("Wang Fang", "110105196203150021")]),
    ("grid-inspection", "environment", "Zhilizhuang", "Rubbish piling up behind building 7",
     [("Grid worker Liu", None)]),
    ("reception-day", "neighbourhood", "Zhilizhuang", "Water leaking into the flat below",
     [("Zhao Min", None)]),
    ("online", "noise", "Yashiyuan", "Night-time construction noise", [("Sun Hao", None)]),
]
# Five households of Dingjia building 5 on one matter in one week: a brewing collective petition.
NEIGHBOURS = [f"Resident of Dingjia 5-{n}" for n in range(1, 6)]
NEIGHBOURS_MATTER = "Dingjia/gas"  # community/category: the early warning's key


@dataclass
class Seeded:
    breach: str | None
    ranking_id: str | None
    warning: str | None


def seed(intake_url: str, token: str) -> list[str]:
    """The demo petitions (idempotent: the same keys register nothing twice)."""
    case_ids = []
    with httpx.Client(base_url=intake_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for i, (channel, category, community, subject, people) in enumerate(DEMO_PETITIONS):
            body = {"channel": channel, "category": category, "community": community,
                    "subject": subject, "description": subject + ".",
                    "petitioners": [{"name": n, **({"id_number": i_} if i_ else {})}
                                    for n, i_ in people]}
            case_ids.append(_post(http, "/api/v1/petitions", body, f"demo-seed-{i}")["case_id"])
        for n, name in enumerate(NEIGHBOURS):
            body = {"channel": "visit", "category": "gas", "community": "Dingjia",
                    "subject": "No gas in building 5", "description": "No gas in building 5.",
                    "petitioners": [{"name": name, "phone": f"1390101{n:04d}"}]}
            case_ids.append(_post(http, "/api/v1/petitions", body, f"demo-neighbour-{n}")[
                "case_id"])
    return case_ids


def seed_leaders_view(urls: dict[str, str], leader: str, collective_case: str) -> Seeded:
    """A letter the Lakeside Garden property company breaks (no collective petition allowed,
    and the owners came as six), the month's ranking of units, and the early warning that the
    five neighbours raised."""
    headers = {"Authorization": f"Bearer {leader}"}
    with httpx.Client(headers=headers, timeout=30) as http:
        _until(lambda: http.get(f"{urls['accountability']}/api/v1/cases/{collective_case}"
                                "/clocks").status_code == 200)
        year = datetime.now(UTC).year
        _post(http, f"{urls['accountability']}/api/v1/responsibility-letters", {
            "unit_id": "lakeside-property", "year": year, "responsible_person": "Manager Qian",
            "targets": {"maximum_count": {"collective": 0}, "no_case_overdue": True}},
            f"demo-letter-{year}", accept=(201, 409))
        reviews = _until(lambda: http.get(
            f"{urls['accountability']}/api/v1/accountability-reviews",
            params={"status": "all"}).json().get("reviews"))
        month = datetime.now(UTC).strftime("%Y-%m")
        ranking = _post(http, f"{urls['reporting']}/api/v1/rankings",
                        {"month": month, "by": "unit"}, f"demo-ranking-{month}",
                        accept=(200, 201))
        # The neighbours' warning, not whichever came last (the owners' collective petition
        # raises one too, at its own moment).
        warnings = _until(lambda: [w for w in http.get(
            f"{urls['reporting']}/api/v1/early-warnings").json().get("early_warnings", [])
            if w["key"] == NEIGHBOURS_MATTER])
    breach = reviews[0]["breach_id"] if reviews else None
    warning = (f"{warnings[0]['kind']} {warnings[0]['key']}: {warnings[0]['count']} "
               f"petitioners" if warnings else None)
    return Seeded(breach, ranking.get("ranking_id"), warning)


def _post(http: httpx.Client, path: str, body: dict[str, Any], key: str,
          accept: tuple[int, ...] = (200, 201)) -> dict[str, Any]:
    answer = http.post(path, json=body, headers={"Idempotency-Key": key})
    if answer.status_code not in accept:
        answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def _until(check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.3)
    return None
