"""A district office driving the running system over HTTP, as its own systems would.

Tokens per role (unit handlers per unit), each service's base URL, the simulated clock, and
``until``: poll a read until what the services publish to each other has arrived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx

from casebus.access import Role, mint_token
from casebus.settings import Settings
from infra.system import EmbeddedSystem

T = TypeVar("T")
SECRET = Settings().token_secret
DISTRICT = "chaoyang"


def token(role: Role, subject: str, unit: str | None = None, district: str = DISTRICT) -> str:
    return mint_token(SECRET, subject=subject, district=district, role=role, unit_id=unit)


def petition(subject: str, *, category: str = "gas", community: str = "Dingjia",
             name: str = "Li Xiuying", phone: str = "13800138000", **extra: Any) -> dict[str, Any]:
    return {"channel": "visit", "category": category, "community": community,
            "subject": subject, "description": f"{name} at {phone}: {subject}.",
            "petitioners": [{"name": name, "phone": phone}], **extra}


class Office:
    def __init__(self, system: EmbeddedSystem) -> None:
        self.system = system
        self.http = httpx.Client(timeout=30)
        self.clerk = token(Role.CLERK, "clerk-wang")
        self.leader = token(Role.LEADER, "leader-zhao")
        self._keys = 0
        self._turn = 0

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    # -- time -----------------------------------------------------------------------------
    def now(self) -> datetime:
        assert self.system.simulated_clock is not None
        return self.system.simulated_clock.now()

    def advance(self, **span: float) -> datetime:
        assert self.system.simulated_clock is not None
        return self.system.simulated_clock.advance(timedelta(**span))

    def advance_to(self, moment: datetime) -> datetime:
        return self.advance(seconds=max(0.0, (moment - self.now()).total_seconds()))

    # -- HTTP -----------------------------------------------------------------------------
    def url(self, service: str, path: str) -> str:
        """Requests alternate between a service's instances, as behind a load balancer."""
        self._turn += 1
        names = [n for n in self.system.services if n.split("-")[0] == service]
        return f"{self.system.services[names[self._turn % len(names)]].url}/api/v1{path}"

    def call(self, method: str, service: str, path: str, as_: str, body: Any = None,
             key: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {as_}"}
        if method != "GET":
            self._keys += 1
            headers["Idempotency-Key"] = key or f"e2e-{time.time_ns()}-{self._keys}"
        return self.http.request(method, self.url(service, path), json=body, headers=headers)

    def do(self, service: str, path: str, as_: str, body: Any = None,
           expect: int = 200) -> dict[str, Any]:
        answer = self.call("POST", service, path, as_, body or {})
        assert answer.status_code == expect, f"POST {path}: {answer.status_code} {answer.text}"
        result: dict[str, Any] = answer.json()
        return result

    def get(self, service: str, path: str, as_: str | None = None,
            expect: int = 200) -> dict[str, Any]:
        answer = self.call("GET", service, path, as_ or self.leader)
        assert answer.status_code == expect, f"GET {path}: {answer.status_code} {answer.text}"
        result: dict[str, Any] = answer.json()
        return result

    def refused(self, service: str, path: str, as_: str, body: Any = None) -> str:
        """POST that a domain rule must refuse: returns the rule id."""
        answer = self.call("POST", service, path, as_, body or {})
        assert answer.status_code == 409, f"POST {path}: {answer.status_code} {answer.text}"
        rule: str = answer.json()["rule"]
        return rule

    # -- the case's life ------------------------------------------------------------------
    def register(self, body: dict[str, Any]) -> str:
        created = self.do("intake", "/petitions", self.clerk, body, expect=201)
        case_id: str = created["case_id"]
        return case_id

    def unit(self, unit_id: str) -> str:
        return token(Role.UNIT_HANDLER, f"handler-{unit_id}", unit=unit_id)

    def view(self, case_id: str) -> dict[str, Any]:
        """Reporting's case view (what a leader sees)."""
        return self.get("reporting", f"/cases/{case_id}")

    def types(self, case_id: str) -> list[str]:
        return [e["type"] for e in self.view(case_id)["events"]]

    def clock(self, case_id: str, kind: str, *, index: int = -1) -> dict[str, Any]:
        """The case's clock of ``kind`` as accountability shows it (the latest by default)."""
        clocks = [c for c in self.get("accountability", f"/cases/{case_id}/clocks")["clocks"]
                  if c["kind"] == kind]
        assert clocks, f"no {kind} clock on {case_id}"
        return clocks[index]

    def until(self, check: Callable[[], T | None], timeout: float = 60.0, what: str = "") -> T:
        """Poll ``check`` until it returns something truthy (assertions inside it retry)."""
        deadline = time.monotonic() + timeout
        last: object = None
        while True:
            try:
                result = check()
                if result:
                    return result
                last = result
            except (AssertionError, KeyError, IndexError) as exc:
                last = exc
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout}s: {what} (last: {last!r})")
            time.sleep(0.2)

    def until_event(self, case_id: str, wire_type: str, count: int = 1,
                    timeout: float = 60.0) -> list[str]:
        return self.until(lambda: (t := self.types(case_id)).count(wire_type) >= count and t,
                          timeout, f"{count} x {wire_type} on {case_id}")

    # -- reads the scenarios wait on -------------------------------------------------------
    def intake_state(self, case_id: str) -> dict[str, Any]:
        state: dict[str, Any] = self.get("intake", f"/petitions/{case_id}", self.clerk)["state"]
        return state

    def assignment(self, case_id: str) -> dict[str, Any]:
        state: dict[str, Any] = self.get("routing", f"/assignments/{case_id}")["state"]
        return state

    def clocks_by_kind(self, case_id: str) -> dict[str, list[dict[str, Any]]]:
        """Reporting's clocks of the case, per kind, oldest first."""
        kinds: dict[str, list[dict[str, Any]]] = {}
        for c in self.view(case_id)["clocks"]:
            kinds.setdefault(c["kind"], []).append(c)
        return kinds

    def until_view(self, case_id: str, check: Callable[[dict[str, Any]], object],
                   what: str, timeout: float = 60.0) -> dict[str, Any]:
        """Reporting's case view once ``check(view)`` holds."""
        def probe() -> dict[str, Any] | None:
            view = self.view(case_id)
            return view if check(view) else None
        return self.until(probe, timeout, f"{case_id}: {what}")

    def until_clock(self, case_id: str, kind: str, check: Callable[[dict[str, Any]], object],
                    what: str, timeout: float = 60.0) -> dict[str, Any]:
        """Reporting's latest clock of ``kind`` once ``check(clock)`` holds."""
        def probe() -> dict[str, Any] | None:
            clocks = self.clocks_by_kind(case_id).get(kind)
            return clocks[-1] if clocks and check(clocks[-1]) else None
        return self.until(probe, timeout, f"{case_id} {kind}: {what}")

    # -- the public case events, read from the topics (for comparing with the pure domain) --
    def topic_case_events(self) -> dict[str, list[tuple[str, datetime, dict[str, Any]]]]:
        """Every public case event of the district on intake's and routing's topics, per case
        (repeats of an event id once), in topic order, the topics merged by event time."""
        import asyncio
        import json

        from aiokafka import AIOKafkaConsumer, TopicPartition

        from casebus.topics import events_topic

        assert self.system.broker is not None
        bootstrap = self.system.broker.bootstrap

        async def read(topic: str) -> list[dict[str, Any]]:
            consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                        enable_auto_commit=False)
            await consumer.start()
            try:
                await consumer.topics()  # fetches the metadata that names the partitions
                parts = [TopicPartition(topic, p)
                         for p in sorted(consumer.partitions_for_topic(topic) or ())]
                consumer.assign(parts)
                await consumer.seek_to_beginning(*parts)
                end = await consumer.end_offsets(parts)
                out: list[dict[str, Any]] = []
                while [p for p in parts if await consumer.position(p) < end[p]]:
                    for batch in (await consumer.getmany(timeout_ms=500)).values():
                        out.extend(json.loads(r.value) for r in batch if r.value)
                return out
            finally:
                await consumer.stop()

        seen: set[str] = set()
        events: list[tuple[datetime, int, dict[str, Any]]] = []
        for topic in (events_topic("intake"), events_topic("routing")):
            for raw in asyncio.run(read(topic)):
                if raw["id"] in seen or raw.get("district") != DISTRICT \
                        or not raw["type"].startswith("petition.case."):
                    continue
                seen.add(raw["id"])
                events.append((datetime.fromisoformat(raw["time"]), len(events), raw))
        cases: dict[str, list[tuple[str, datetime, dict[str, Any]]]] = {}
        for at, _, raw in sorted(events, key=lambda e: (e[0], e[1])):
            cases.setdefault(raw["subject"], []).append((raw["type"], at, raw["data"]))
        return cases
