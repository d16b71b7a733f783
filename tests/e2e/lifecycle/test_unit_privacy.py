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


def test_an_erased_petitioner_is_found_nowhere(office: Office) -> None:
    """After erasure, the person's data is in no topic, no read model, no table of any service
    in readable form, no dead letter and no log line."""
    import asyncio

    import asyncpg

    from casebus.topics import DEADLETTER, SERVICES, events_topic
    from tests.integration.platform.kafka_tools import read_topic

    person = {"name": "Xu Lanfang", "id_number": "110105197111110023",
              "phone": "13766667777", "address": "Dingjia 8-4-1403"}
    # Clerks type names and homes into the subject and the location too: sealed like the rest.
    clerk_typed = {"subject": f"Gas meter of {person['name']} installed in the wrong flat",
                   "location": person["address"]}
    case_id = office.register({
        "channel": "visit", "category": "gas", "community": "Dingjia", **clerk_typed,
        "description": f"{person['name']} of {person['address']} (tel {person['phone']}).",
        "petitioners": [person]})
    office.until_view(case_id, lambda v: len(v["clocks"]) >= 2, "assigned, clocks running")
    petitioner_id = office.get("intake", f"/petitions/{case_id}", office.clerk)[
        "events"][0]["petitioner_ids"][0]
    erased = office.do("intake", f"/petitioners/{petitioner_id}/erasure", office.leader)
    assert erased["status"] == "erased"

    async def everything() -> list[str]:
        assert office.system.broker and office.system.postgres
        texts = []
        for topic in [*(events_topic(s) for s in SERVICES if s != "reporting"), DEADLETTER]:
            records = await read_topic(office.system.broker.bootstrap, topic, 100_000,
                                       timeout_ms=3000)
            texts += [(r.value or b"").decode(errors="replace") for r in records]
        for service in SERVICES:
            conn = await asyncpg.connect(office.system.postgres.dsn(
                f"{office.system.database_prefix}{service}"))
            try:
                tables = [r["tablename"] for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
                for table in tables:
                    texts.append(await conn.fetchval(
                        f'SELECT coalesce(string_agg(t::text, chr(10)), \'\') FROM "{table}" t'))
            finally:
                await conn.close()
        return texts

    texts = asyncio.run(everything())
    texts += [p.log_path.read_text(errors="replace") for p in office.system.services.values()]
    assert len(texts) > 20
    for text in texts:
        for secret in (*person.values(), clerk_typed["subject"]):
            assert secret not in text, f"{secret!r} survived the erasure: {text[:200]}"
    intake = office.get("intake", f"/petitions/{case_id}", office.clerk)["events"][0]
    assert intake["petitioners"][0]["name"] == "[erased]"
