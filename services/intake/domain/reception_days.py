"""A leader's reception day (领导接访日): who receives on which day and where, whom they
received, and what came of each reception. One stream per day: ``reception-day/<district>/<id>``.

The person received and their matter are personal data: sealed at rest, never published. The
public events carry the leader and the day on every event, so that a reader of the topic can
count without joining events of one day together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from casebus.domain.events import DomainEvent


class ReceptionOutcome(StrEnum):
    CASE_REGISTERED = "case-registered"  # registered as a case (channel "reception-day")
    ANSWERED_ON_THE_SPOT = "answered-on-the-spot"
    GUIDED = "guided"  # guided to another channel (a court, arbitration, ...)


class ReceptionDayEvent(DomainEvent):
    reception_day_id: str
    leader_id: str
    day: date


class ReceptionDayScheduled(ReceptionDayEvent):
    type_name: ClassVar[str] = "petition.reception-day.scheduled"
    place: str
    scheduled_by: str


class ReceptionRecorded(ReceptionDayEvent):
    type_name: ClassVar[str] = "petition.reception-day.reception-recorded"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"person", "matter"})
    reception_id: str
    recorded_by: str
    person: str
    matter: str


class ReceptionOutcomeRecorded(ReceptionDayEvent):
    type_name: ClassVar[str] = "petition.reception-day.outcome-recorded"
    reception_id: str
    outcome: ReceptionOutcome
    registered_case_id: str | None = None  # for "case-registered"
    guided_to: str | None = None  # for "guided"
    recorded_by: str


class ReceptionDayHeld(ReceptionDayEvent):
    """The day took place and is closed: no more receptions are recorded on it."""

    type_name: ClassVar[str] = "petition.reception-day.held"
    persons_received: int
    closed_by: str


RECEPTION_DAY_EVENTS: tuple[type[ReceptionDayEvent], ...] = (
    ReceptionDayScheduled, ReceptionRecorded, ReceptionOutcomeRecorded, ReceptionDayHeld)


def reception_day_stream(district: str, reception_day_id: str) -> str:
    return f"reception-day/{district}/{reception_day_id}"


@dataclass(frozen=True)
class Reception:
    reception_id: str
    person: str
    matter: str
    outcome: ReceptionOutcome | None = None
    registered_case_id: str | None = None
    guided_to: str | None = None


@dataclass(frozen=True)
class ReceptionDay:
    reception_day_id: str | None = None  # None: never scheduled
    district: str | None = None
    leader_id: str = ""
    day: date | None = None
    place: str = ""
    held: bool = False
    receptions: tuple[Reception, ...] = field(default=())

    def reception(self, reception_id: str) -> Reception | None:
        return next((r for r in self.receptions if r.reception_id == reception_id), None)


def evolve(state: ReceptionDay, event: DomainEvent) -> ReceptionDay:
    match event:
        case ReceptionDayScheduled():
            return ReceptionDay(event.reception_day_id, event.district, event.leader_id,
                                event.day, event.place)
        case ReceptionRecorded():
            added = Reception(event.reception_id, event.person, event.matter)
            return replace(state, receptions=(*state.receptions, added))
        case ReceptionOutcomeRecorded():
            return replace(state, receptions=tuple(
                replace(r, outcome=event.outcome, registered_case_id=event.registered_case_id,
                        guided_to=event.guided_to)
                if r.reception_id == event.reception_id else r for r in state.receptions))
        case ReceptionDayHeld():
            return replace(state, held=True)
    return state
