"""Public events of one case as intake, routing and accountability publish them (the contract in
the shared brief; ``test_fixture_events`` checks them against contracts/schemas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

from casebus.envelope import CloudEvent, make_cloud_event

CST = timezone(timedelta(hours=8))


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CST)


def new_case_id() -> str:
    return f"case-{uuid4().hex[:12]}"


def iso(moment: datetime) -> str:
    return moment.isoformat()


@dataclass
class CaseEvents:
    """Builds the case's events; each call is a new event (its own id)."""

    case_id: str = field(default_factory=new_case_id)
    district: str = "chaoyang"

    def event(self, source: str, wire_type: str, at: datetime, **data: Any) -> CloudEvent:
        payload = {"district": self.district, "occurred_at": iso(at), "case_id": self.case_id,
                   **{k: iso(v) if isinstance(v, datetime) else v for k, v in data.items()}}
        return make_cloud_event(
            event_id=str(uuid4()), source=source, wire_type=wire_type, subject=self.case_id,
            time=at, district=self.district, correlation_id=self.case_id,
            causation_id=self.case_id, actor="system:test", data=payload)

    def intake(self, name: str, at: datetime, **data: Any) -> CloudEvent:
        return self.event("intake", f"petition.case.{name}.v1", at, **data)

    def routing(self, name: str, at: datetime, **data: Any) -> CloudEvent:
        return self.event("routing", f"petition.case.{name}.v1", at, **data)

    def registered(self, at: datetime, *, category: str = "gas", community: str = "Dingjia",
                   matter_kind: str | None = "claim", collective: bool = False,
                   version: int = 2) -> CloudEvent:
        """As intake publishes it now (v2: a place, no free text), or as it did (v1)."""
        extra: dict[str, Any] = {} if matter_kind is None else {"matter_kind": matter_kind}
        extra |= {"place": "Building 3"} if version == 2 else {
            "location": "Building 3", "subject": f"{category} in {community}"}
        return self.event(
            "intake", f"petition.case.registered.v{version}", at,
            received_at=at - timedelta(hours=1), channel="visit",
            category=category, community=community, level="street", petitioner_ids=["p-1"],
            petitioner_count=1, collective=collective, representatives=None, skip_level=False,
            responsible_level=None, key_person=False, key_period=False, **extra)

    def assigned(self, at: datetime, unit: str, assisting: tuple[str, ...] = (),
                 name: str = "assigned") -> CloudEvent:
        data: dict[str, Any] = {
            "unit_id": unit, "assisting_unit_ids": list(assisting),
            "acceptance_due": at + timedelta(days=15), "return_deadline": at + timedelta(days=7)}
        if name == "assigned":
            data |= {"category": "gas", "rule_id": "gas-dingjia", "explanation": "rule",
                     "level": "street", "rules_version": 3}
        else:
            data |= {"from_unit_id": "previous-unit", "reason": "not ours", "rule_id": None,
                     "explanation": "rule", "level": "street"}
        return self.routing(name, at, **data)

    def accepted(self, at: datetime, unit: str, days: int = 60) -> CloudEvent:
        return self.routing("accepted", at, unit_id=unit, answer_limit_days=days,
                            answer_due=at + timedelta(days=days))

    def clock(self, name: str, at: datetime, clock_kind: str, **data: Any) -> CloudEvent:
        return self.event("accountability", f"petition.clock.{name}.v1", at,
                          clock_id=self.clock_id(clock_kind), **data)

    def clock_started(self, at: datetime, kind: str, due_at: datetime,
                      warn_at: datetime | None = None, unit: str | None = None,
                      days: int = 15) -> CloudEvent:
        data: dict[str, Any] = {"kind": kind, "unit_id": unit, "category": "gas",
                                "limit": {"days": days, "count": "calendar"},
                                "started_at": at, "due_at": due_at}
        if warn_at is not None:
            data["warn_at"] = warn_at
        return self.clock("started", at, kind, **data)

    def clock_id(self, kind: str) -> str:
        return f"clock:{self.case_id}:{kind}"
