"""Service work of "cadres into the community" days (干部下沉社区): per community and day, the
cadres who went, the demands they resolved and the person-times they guided. One stream per
record, ``service-work/<district>/<id>``; a correction is a new event, never an overwrite, and
carries the whole corrected tally with its revision number (so a reader keeps the latest).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent

MAX_TALLY = 1_000_000  # far above any day's work; bounds what reaches the database


class ServiceWorkEvent(DomainEvent):
    service_work_id: str
    community: str
    day: date
    cadres: list[str]
    demands_resolved: int
    persons_guided: int  # person-times (人次)
    revision: int  # 0 as recorded, then 1, 2, ... per correction


class ServiceWorkRecorded(ServiceWorkEvent):
    type_name: ClassVar[str] = "petition.service-work.recorded"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"notes"})  # may name residents
    recorded_by: str
    notes: str | None = None


class ServiceWorkCorrected(ServiceWorkEvent):
    type_name: ClassVar[str] = "petition.service-work.corrected"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    corrected_by: str
    reason: str


SERVICE_WORK_EVENTS: tuple[type[ServiceWorkEvent], ...] = (ServiceWorkRecorded,
                                                           ServiceWorkCorrected)


def service_work_stream(district: str, service_work_id: str) -> str:
    return f"service-work/{district}/{service_work_id}"


@dataclass(frozen=True)
class Tally:
    cadres: tuple[str, ...]
    demands_resolved: int
    persons_guided: int


@dataclass(frozen=True)
class ServiceWork:
    service_work_id: str | None = None  # None: never recorded
    district: str | None = None
    community: str = ""
    day: date | None = None
    tally: Tally = Tally((), 0, 0)
    revision: int = 0
    notes: str | None = None


def evolve(state: ServiceWork, event: DomainEvent) -> ServiceWork:
    if isinstance(event, ServiceWorkEvent):
        notes = event.notes if isinstance(event, ServiceWorkRecorded) else state.notes
        return replace(state, service_work_id=event.service_work_id, district=event.district,
                       community=event.community, day=event.day, revision=event.revision,
                       tally=Tally(tuple(event.cadres), event.demands_resolved,
                                   event.persons_guided), notes=notes)
    return state


def _check(tally: Tally) -> None:
    if not (0 <= tally.demands_resolved <= MAX_TALLY and 0 <= tally.persons_guided <= MAX_TALLY):
        raise DomainRuleViolation("service-work-tally-in-range",
                                  f"tallies are whole numbers from 0 to {MAX_TALLY}")


def record(state: ServiceWork, *, service_work_id: str, district: str, community: str,
           day: date, tally: Tally, notes: str | None, by: str,
           at: datetime) -> list[ServiceWorkEvent]:
    if state.service_work_id is not None:
        raise DomainRuleViolation("service-work-recorded-once",
                                  "this service work is already recorded; correct it instead")
    _check(tally)
    return [ServiceWorkRecorded(
        district=district, occurred_at=at, service_work_id=service_work_id, community=community,
        day=day, cadres=list(tally.cadres), demands_resolved=tally.demands_resolved,
        persons_guided=tally.persons_guided, revision=0, recorded_by=by, notes=notes)]


def correct(state: ServiceWork, *, tally: Tally, reason: str, by: str,
            at: datetime) -> list[ServiceWorkEvent]:
    if state.service_work_id is None or state.district is None or state.day is None:
        raise DomainRuleViolation("correct-recorded-service-work",
                                  "no service work of this district is recorded under this id")
    _check(tally)
    return [ServiceWorkCorrected(
        district=state.district, occurred_at=at, service_work_id=state.service_work_id,
        community=state.community, day=state.day, cadres=list(tally.cadres),
        demands_resolved=tally.demands_resolved, persons_guided=tally.persons_guided,
        revision=state.revision + 1, corrected_by=by, reason=reason)]
