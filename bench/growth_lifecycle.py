"""One case's life from registration to its conclusion, as an office drives it over HTTP
(bench/growth_history.py says which lives and why). The commands and bodies are those of
tests/e2e/lifecycle; tokens are minted as bench/growth_reads.py does."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from bench.http_client import Answer, Connection, head_bytes
from bench.intake_load import CATEGORIES
from casebus.access import Role, mint_token
from casebus.settings import Settings

RATINGS = ("satisfied", "satisfied", "basically-satisfied", "not-satisfied")
# Intake learns from routing that the unit accepted: until then the unit may not answer (409)
# and does not even see the case (404).
NOT_YET = {"answer-requires-unit-acceptance"}
KEYS = itertools.count()


def token(role: Role, unit: str | None = None) -> str:
    subject = f"handler-{unit}" if unit else f"bench-history-{role.value}"
    return mint_token(Settings().token_secret, subject=subject, district="chaoyang",
                      role=role, unit_id=unit)


class Office:
    """A clerk's, a leader's and the units' tokens; one keep-alive connection per service."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.connections = {name: Connection(url) for name, url in urls.items()}
        self.clerk, self.leader = token(Role.CLERK), token(Role.LEADER)
        self.units: dict[str, str] = {}

    def unit(self, unit_id: str) -> str:
        return self.units.setdefault(unit_id, token(Role.UNIT_HANDLER, unit_id))

    async def read(self, service: str, path: str, as_: str | None = None) -> Answer:
        connection = self.connections[service]
        return await connection.request(head_bytes(
            "GET", f"/api/v1{path}", connection.host,
            {"Authorization": f"Bearer {as_ or self.leader}"}))

    async def do(self, service: str, path: str, as_: str, body: dict[str, Any] | None = None,
                 expect: int = 200, waits: bool = False, timeout_s: float = 60.0
                 ) -> dict[str, Any]:
        """POST a command (with its own Idempotency-Key, as an office's system sends); if it
        ``waits``, a 404 or a refusal in NOT_YET is retried until what it waits for came."""
        connection = self.connections[service]
        head = head_bytes("POST", f"/api/v1{path}", connection.host, {
            "Authorization": f"Bearer {as_}", "Content-Type": "application/json",
            "Idempotency-Key": f"bench-history-{time.time_ns()}-{next(KEYS)}"})
        deadline = time.monotonic() + timeout_s
        while True:
            answer = await connection.request(head, json.dumps(body or {}).encode())
            if answer.status == expect:
                result: dict[str, Any] = json.loads(answer.body)
                return result
            early = answer.status == 404 or (
                answer.status == 409 and json.loads(answer.body).get("rule") in NOT_YET)
            if not (waits and early) or time.monotonic() > deadline:
                raise RuntimeError(f"POST {path.split('/')[-1]}: {answer.status} "
                                   f"{answer.body[:200].decode(errors='replace')}")
            await asyncio.sleep(0.1)

    async def assigned(self, case_id: str, timeout_s: float = 60.0) -> str:
        """The unit routing assigned the case to, once it has."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            answer = await self.read("routing", f"/assignments/{case_id}")
            if answer.status == 200:
                state = json.loads(answer.body)["state"]
                if state["status"] == "assigned" and state["lead_unit"]:
                    return str(state["lead_unit"])
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{case_id} not assigned by routing in {timeout_s:.0f} s")

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.connections.values()))


def petition(i: int, kind: str) -> dict[str, Any]:
    category, community = CATEGORIES[i % len(CATEGORIES)]
    return {"channel": "visit", "category": category, "community": community,
            "matter_kind": kind, "subject": f"History petition {i}",
            "description": "Carried to its conclusion by the benchmark's growth phase.",
            # A person of their own: no repeat suggestions between the history's cases.
            "petitioners": [{"name": f"History petitioner {i}", "phone": f"139{i:08d}"}]}


async def lifecycle(office: Office, i: int) -> str:
    """Case ``i``'s life (its kind from i % 10); its id. Raises RuntimeError on a refusal."""
    kind = "claim" if i % 10 < 5 else "suggestion"
    clerk = office.clerk
    case_id = str((await office.do("intake", "/petitions", clerk, petition(i, kind),
                                   expect=201))["case_id"])
    case = f"/petitions/{case_id}"
    unit_id = await office.assigned(case_id)
    if i % 10 < 2:  # belongs to the courts: the office does not accept it
        await office.do("intake", f"{case}/non-acceptance", clerk, {
            "reason": "litigation", "explanation": "The dispute is before the district court."})
        return case_id
    unit = office.unit(unit_id)
    await office.do("routing", f"/assignments/{case_id}/acceptance", unit)
    await office.do("intake", f"{case}/answer", unit, {
        "outcome": "support" if kind == "claim" else "adopted",
        "summary": "Done by the end of the month."}, waits=True)
    await office.do("intake", f"{case}/delivery", clerk)
    for n, evaluator in enumerate(("petition-office", "responsible-unit")):
        await office.do("intake", f"{case}/evaluations", clerk, {
            "evaluator": evaluator, "satisfaction": RATINGS[(i + n) % len(RATINGS)]})
    if kind == "claim":  # both remedies used: the re-examination's decision is final
        await office.do("intake", f"{case}/review", clerk, {"reason": "The answer is late."})
        await office.do("intake", f"{case}/review/decision", clerk, {
            "reviewing_body": "Beiyuan Street Office", "outcome": "upheld",
            "summary": "The answer stands."})
        await office.do("intake", f"{case}/review/decision/delivery", clerk)
        await office.do("intake", f"{case}/reexamination", clerk, {"reason": "Still late."})
        await office.do("intake", f"{case}/reexamination/decision", clerk, {
            "reexamining_body": "Chaoyang District Petition Bureau", "outcome": "upheld",
            "summary": "The answer stands; this decision is final."})
    await office.do("intake", f"{case}/closure", clerk)
    return case_id
