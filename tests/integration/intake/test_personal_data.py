"""Petitioners' ids and keys at registration, on the real database: one id and one live key per
person however often they petition (also when two clerks register them at the same moment), a
new id and a new key generation after erasure, and each lookup in one statement per
registration, whatever the number of petitioners."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI

from casebus.access import Role
from casebus.repository import Metadata
from services.intake.entrypoints.schemas import PetitionIn
from tests.integration.intake.helpers import PETITION, clerk
from tests.integration.service_app import auth

CO_PETITIONERS = [{"name": "Li Xiuying", "id_number": "11010519491231002X"},
                  {"name": "Zhang Wei", "phone": "13900139000"}]


async def _live_keys(settings: Any, subject: str) -> list[str]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return [r["key_id"] for r in await conn.fetch(
            "SELECT key_id FROM personal_keys WHERE subject = $1 AND key IS NOT NULL", subject)]
    finally:
        await conn.close()


async def _sealed_with(settings: Any, case_id: str) -> dict[str, Any]:
    """The key ids the case's registration was sealed with."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        data = json.loads(await conn.fetchval(
            "SELECT data FROM events WHERE stream_id = $1 AND version = 1", case_id))
    finally:
        await conn.close()
    return {"petitioners": [p["$sealed"] for p in data["petitioners"]],
            "description": data["description"]["$sealed"]}


async def test_a_returning_petitioner_keeps_their_id_and_their_key(client, settings) -> None:
    first = (await client.post("/api/v1/petitions", json=PETITION,
                               headers=clerk(settings))).json()
    again = (await client.post("/api/v1/petitions", json=PETITION,
                               headers=clerk(settings))).json()
    pid = first["petitioner_ids"][0]
    assert again["petitioner_ids"] == [pid]
    assert again["state"]["pending_repeat_of"] == first["case_id"]
    keys = await _live_keys(settings, f"petitioner:{pid}")
    assert len(keys) == 1
    sealed_first = await _sealed_with(settings, first["case_id"])
    sealed_again = await _sealed_with(settings, again["case_id"])
    assert sealed_first["petitioners"] == sealed_again["petitioners"] == keys
    # Each case's free text has a key of its own.
    assert sealed_first["description"] != sealed_again["description"]
    assert sealed_first["description"].startswith(f"case:{first['case_id']}#")


async def test_co_petitioners_get_an_id_and_a_key_each(client, settings) -> None:
    created = await client.post("/api/v1/petitions", headers=clerk(settings),
                                json={**PETITION, "petitioners": CO_PETITIONERS})
    assert created.status_code == 201, created.text
    case_id, ids = created.json()["case_id"], created.json()["petitioner_ids"]
    assert len(set(ids)) == 2
    sealed = await _sealed_with(settings, case_id)
    assert [k.split("#")[0] for k in sealed["petitioners"]] == [f"petitioner:{p}" for p in ids]
    conn = await asyncpg.connect(settings.database_url)
    try:
        on_case = await conn.fetch("SELECT petitioner_id FROM case_petitioners "
                                   "WHERE case_id = $1", case_id)
    finally:
        await conn.close()
    assert sorted(r["petitioner_id"] for r in on_case) == sorted(ids)
    read = (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))).json()
    assert [p["name"] for p in read["events"][0]["petitioners"]] == ["Li Xiuying", "Zhang Wei"]
    assert read["events"][0]["description"] == PETITION["description"]
    # Each is found again on their own, in the order named.
    swapped = (await client.post("/api/v1/petitions", headers=clerk(settings), json={
        **PETITION, "petitioners": CO_PETITIONERS[::-1]})).json()
    assert swapped["petitioner_ids"] == ids[::-1]


async def test_the_same_person_named_twice_is_refused_and_nothing_is_kept(client,
                                                                           settings) -> None:
    twice = [CO_PETITIONERS[0], {**CO_PETITIONERS[0], "name": "Li Xiuying (again)"}]
    refused = await client.post("/api/v1/petitions", headers=clerk(settings),
                                json={**PETITION, "petitioners": twice})
    assert refused.status_code == 409 and refused.json()["rule"] == "duplicate-petitioner"
    conn = await asyncpg.connect(settings.database_url)
    try:
        kept = await conn.fetchrow("SELECT (SELECT count(*) FROM petitioner_identities) AS ids, "
                                   "(SELECT count(*) FROM personal_keys) AS keys, "
                                   "(SELECT count(*) FROM case_petitioners) AS on_cases")
    finally:
        await conn.close()
    assert dict(kept) == {"ids": 0, "keys": 0, "on_cases": 0}


async def test_an_erased_petitioner_starts_a_new_id_and_key_generation(client,
                                                                        settings) -> None:
    first = (await client.post("/api/v1/petitions", json=PETITION,
                               headers=clerk(settings))).json()
    pid = first["petitioner_ids"][0]
    (old_key,) = await _live_keys(settings, f"petitioner:{pid}")
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    erased = await client.post(f"/api/v1/petitioners/{pid}/erasure", headers=leader)
    assert erased.status_code == 200, erased.text
    again = (await client.post("/api/v1/petitions", json=PETITION,
                               headers=clerk(settings))).json()
    (new_pid,) = again["petitioner_ids"]
    assert new_pid != pid
    assert await _live_keys(settings, f"petitioner:{pid}") == []  # the old one stays erased
    (new_key,) = await _live_keys(settings, f"petitioner:{new_pid}")
    assert new_key != old_key
    # Nothing ties the new registration to the erased case.
    assert again["state"]["pending_repeat_of"] is None


def _request(**changes: Any) -> dict[str, Any]:
    """A registration request as the route hands it to the service layer."""
    return PetitionIn.model_validate({**PETITION, **changes}).model_dump(mode="json",
                                                                         exclude_none=True)


async def _register(app: FastAPI, conn: asyncpg.Connection, **changes: Any) -> dict[str, Any]:
    answer: dict[str, Any] = await app.state.intake.registration.register(
        conn, district="chaoyang", clerk_id="clerk-wang",
        metadata=Metadata.fresh("clerk:clerk-wang"), request=_request(**changes))
    return answer


async def test_two_clerks_registering_one_new_person_at_once_get_one_id_and_key(
        app, client, settings) -> None:
    pool = app.state.intake.pool

    async def second_clerk() -> dict[str, Any]:
        async with pool.acquire() as conn, conn.transaction():
            return await _register(app, conn)

    async with pool.acquire() as conn:
        async with conn.transaction():
            one = await _register(app, conn)
            # The second waits on the first's new identity row until the first commits.
            other = asyncio.create_task(second_clerk())
            while not await pool.fetchval(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"):
                assert not other.done(), other
                await asyncio.sleep(0.01)
        two = await asyncio.wait_for(other, 10)
    assert one["petitioner_ids"] == two["petitioner_ids"]
    assert two["state"]["pending_repeat_of"] == one["case_id"]  # the second saw the first
    assert len(await _live_keys(settings, f"petitioner:{one['petitioner_ids'][0]}")) == 1


@contextmanager
def _statements(conn: asyncpg.Connection) -> Iterator[list[str]]:
    seen: list[str] = []
    with conn.query_logger(lambda record: seen.append(record.query)):
        yield seen


def _touching(statements: list[str], table: str) -> int:
    return sum(table in s for s in statements)


async def test_a_registration_looks_up_ids_and_keys_once_for_all_its_petitioners(
        app, client, settings) -> None:
    async with app.state.intake.pool.acquire() as conn:
        async with conn.transaction():
            await _register(app, conn, petitioners=[{"name": "Wang Fang", "phone": "13700137000"}])
        with _statements(conn) as first_time:
            async with conn.transaction():
                await _register(app, conn, petitioners=CO_PETITIONERS, location="Road 9")
        with _statements(conn) as returning:
            async with conn.transaction():
                again = await _register(app, conn, petitioners=CO_PETITIONERS)
    assert again["state"]["pending_repeat_of"] is not None
    for seen in (first_time, returning):
        assert _touching(seen, "routable_districts") == 1  # routable, and the place
        assert _touching(seen, "petitioner_identities") == 1
    # Both petitioners' keys, the case's key and who is on the case: one statement.
    assert _touching(first_time, "INSERT INTO personal_keys") == 1
    assert _touching(first_time, "case_petitioners") == 1
    # Nobody in it petitioned before, so there is no earlier case to look for, and a new case
    # has no pending suggestion to clear.
    assert _touching(first_time, "pending_repeat_suggestions") == 0
    # A repeat: the earlier cases are looked up, and the suggestion's subject is sealed with
    # the case's key for its own table (the same statement, with nobody to add to the case).
    assert _touching(returning, "INSERT INTO personal_keys") == 2
    assert _touching(returning, "case_petitioners") == 2 + 1
