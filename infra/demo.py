"""Demo data: petitions from the source documents, registered through intake's API."""

from __future__ import annotations

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


def seed(intake_url: str, token: str) -> list[str]:
    case_ids = []
    with httpx.Client(base_url=intake_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for i, (channel, category, community, subject, people) in enumerate(DEMO_PETITIONS):
            body = {"channel": channel, "category": category, "community": community,
                    "subject": subject, "description": subject + ".",
                    "petitioners": [{"name": n, **({"id_number": i_} if i_ else {})}
                                    for n, i_ in people]}
            answer = http.post("/api/v1/petitions", json=body,
                               headers={"Idempotency-Key": f"demo-seed-{i}"})
            answer.raise_for_status()
            case_ids.append(answer.json()["case_id"])
    return case_ids
