"""A unit never receives the petitioner's personal data (Regulations 2022, Art. 30).

Petitions with known names, ID numbers, phones and addresses are registered; then, as each
responsible unit's handler, every GET operation of every service's OpenAPI document is called
for the unit's cases, and the unit's own commands too: no answer holds any of the seeded data.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.lifecycle.office import Office

pytestmark = pytest.mark.e2e

PEOPLE = [  # (name, id number, phone, address), (category, community), unit
    (("Guo Meiling", "110105197703150027", "13711112222", "Dingjia 5-3-1201"),
     ("gas", "Dingjia"), "gas-company"),
    (("Hou Jianguo", "11010519650809003X", "13733334444", "Lakeside Garden 2-1-301"),
     ("property", "Lakeside Garden"), "lakeside-property"),
    (("Tian Xiaoyu", "110105199912120048", "13755556666", "Yashiyuan 12-2-402"),
     ("access-control", "Yashiyuan"), "yashiyuan-committee"),
]
SERVICES = ("intake", "routing", "accountability", "reporting")


def test_no_answer_a_unit_can_obtain_holds_personal_data(office: Office) -> None:
    cases: dict[str, list[str]] = {}
    secrets: list[str] = []
    for (name, id_number, phone, address), (category, community), unit in PEOPLE:
        secrets += [name, id_number, phone, address]
        case_id = office.register({
            "channel": "visit", "category": category, "community": community,
            "subject": f"{category} problem in {community}",
            "description": f"{name}, ID {id_number}, lives at {address}, phone {phone}.",
            "petitioners": [{"name": name, "id_number": id_number, "phone": phone,
                             "address": address}]})
        office.until_view(case_id, lambda v, u=unit: v["unit_id"] == u, "assigned")
        cases.setdefault(unit, []).append(case_id)

    answers: list[str] = []
    for unit, unit_cases in cases.items():
        handler = office.unit(unit)
        for case_id in unit_cases:
            answers += [office.call("POST", "routing", f"/assignments/{case_id}/acceptance",
                                    handler).text,
                        office.call("POST", "routing", f"/assignments/{case_id}/progress-notes",
                                    handler, {"note": "Site visit booked."}).text]
            office.until(lambda c=case_id, u=unit: office.intake_state(c)["accepting_unit"] == u,
                         30, "intake knows the unit accepted")
            answers.append(office.call("POST", "intake", f"/petitions/{case_id}/answer", handler,
                                       {"outcome": "support", "summary": "Fixed."}).text)
            for service in SERVICES:
                answers += _every_get(office, service, handler, case_id)
    assert len(answers) > 40
    for text in answers:
        for secret in secrets:
            assert secret not in text, f"a unit read {secret!r}: {text[:300]}"


def _every_get(office: Office, service: str, handler: str, case_id: str) -> list[str]:
    base = office.system.services[service].url
    spec = office.http.get(f"{base}/openapi.json").json()
    texts = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = base + re.sub(r"\{[^}]+\}", case_id, path)
        answer = office.http.get(url, headers={"Authorization": f"Bearer {handler}"})
        assert answer.status_code < 500, (url, answer.status_code, answer.text)
        texts.append(answer.text)
    return texts
