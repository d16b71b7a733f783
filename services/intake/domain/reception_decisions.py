"""What the office may record about a reception day, and the rules that refuse the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.facts import Channel
from services.intake.domain.reception_days import (
    ReceptionDay,
    ReceptionDayEvent,
    ReceptionDayHeld,
    ReceptionDayScheduled,
    ReceptionOutcome,
    ReceptionOutcomeRecorded,
    ReceptionRecorded,
)


@dataclass(frozen=True)
class RegisteredCase:
    """What intake knows of the case a reception's outcome names (None: no such case)."""

    district: str
    channel: Channel | None


def schedule(state: ReceptionDay, *, reception_day_id: str, district: str, leader_id: str,
             day: date, place: str, by: str, at: datetime) -> list[ReceptionDayEvent]:
    if state.reception_day_id is not None:
        raise DomainRuleViolation("reception-day-scheduled-once",
                                  "this reception day is already scheduled")
    return [ReceptionDayScheduled(district=district, occurred_at=at,
                                  reception_day_id=reception_day_id, leader_id=leader_id,
                                  day=day, place=place, scheduled_by=by)]


def _scheduled(state: ReceptionDay) -> tuple[str, str, date]:
    if state.reception_day_id is None or state.district is None or state.day is None:
        raise DomainRuleViolation("reception-on-a-scheduled-day",
                                  "no reception day of this district is scheduled under this id")
    return state.reception_day_id, state.district, state.day


def receive(state: ReceptionDay, *, reception_id: str, person: str, matter: str, by: str,
            at: datetime) -> list[ReceptionDayEvent]:
    day_id, district, day = _scheduled(state)
    if state.held:
        raise DomainRuleViolation("reception-on-a-scheduled-day",
                                  "the reception day was held and closed")
    return [ReceptionRecorded(district=district, occurred_at=at, reception_day_id=day_id,
                              leader_id=state.leader_id, day=day, reception_id=reception_id,
                              recorded_by=by, person=person, matter=matter)]


def record_outcome(state: ReceptionDay, *, reception_id: str, outcome: ReceptionOutcome,
                   case: RegisteredCase | None, case_id: str | None, guided_to: str | None,
                   by: str, at: datetime) -> list[ReceptionDayEvent]:
    day_id, district, day = _scheduled(state)
    reception = state.reception(reception_id)
    if reception is None:
        raise DomainRuleViolation("outcome-of-a-recorded-reception",
                                  "no such reception was recorded on this day")
    if reception.outcome is not None:
        raise DomainRuleViolation("one-outcome-per-reception",
                                  f"this reception's outcome is already {reception.outcome}")
    if outcome is ReceptionOutcome.CASE_REGISTERED:
        # A missing case and another district's answer alike: nothing of it leaks.
        if case is None or case.district != district:
            raise DomainRuleViolation("case-registered-in-district",
                                      "no case of this district is registered under that id")
        if case.channel is not Channel.RECEPTION_DAY:
            raise DomainRuleViolation("case-registered-at-reception-day",
                                      "the case was not registered with channel reception-day")
    return [ReceptionOutcomeRecorded(
        district=district, occurred_at=at, reception_day_id=day_id, leader_id=state.leader_id,
        day=day, reception_id=reception_id, outcome=outcome, recorded_by=by,
        registered_case_id=case_id if outcome is ReceptionOutcome.CASE_REGISTERED else None,
        guided_to=guided_to if outcome is ReceptionOutcome.GUIDED else None)]


def hold(state: ReceptionDay, *, by: str, at: datetime) -> list[ReceptionDayEvent]:
    day_id, district, day = _scheduled(state)
    if state.held:
        raise DomainRuleViolation("reception-day-held-once", "the reception day is already held")
    return [ReceptionDayHeld(district=district, occurred_at=at, reception_day_id=day_id,
                             leader_id=state.leader_id, day=day,
                             persons_received=len(state.receptions), closed_by=by)]
