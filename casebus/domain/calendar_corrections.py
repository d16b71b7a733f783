"""A district's corrections to the national working-day calendar, as events.

A district may declare a day a holiday (a local rest day), a working day (a local make-up
day), or give it back to the national schedule. One stream per district
(``calendar_stream_id``); a later correction of the same day replaces the earlier one.
``effective_calendar`` lays the corrections over the national calendar; every service builds
the same calendar from the same events (``casebus.calendars.CalendarBook``).

A correction affects only deadlines computed after it: due instants are stored in the events
that set them (see ``casebus.domain.national_calendar``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from pydantic import AwareDatetime

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import Command, DomainEvent


class CorrectionKind(StrEnum):
    HOLIDAY = "holiday"  # a rest day in this district, whatever the national schedule says
    WORKING_DAY = "working-day"  # a working day in this district, even on a weekend
    NATIONAL = "national"  # back to the national schedule (removes the district's override)


def calendar_stream_id(district: str) -> str:
    return f"calendar:{district}"


class CalendarDayCorrected(DomainEvent):
    """A district declared ``day`` a holiday or a working day, or gave it back to the national
    schedule. Deadlines already computed keep their due instants; later ones use the change."""

    type_name: ClassVar[str] = "petition.calendar.day-corrected"
    day: date
    kind: CorrectionKind
    reason: str
    corrected_by: str


class CorrectCalendarDay(Command):
    district: str
    at: AwareDatetime
    day: date
    kind: CorrectionKind
    reason: str
    corrected_by: str


@dataclass(frozen=True)
class DistrictCorrections:
    """The district's overrides in force, by day: HOLIDAY or WORKING_DAY (a day following the
    national schedule has no entry)."""

    overrides: Mapping[date, CorrectionKind] = field(default_factory=lambda: MappingProxyType({}))


def initial_state() -> DistrictCorrections:
    return DistrictCorrections()


def evolve(state: DistrictCorrections, event: CalendarDayCorrected) -> DistrictCorrections:
    overrides = dict(state.overrides)
    if event.kind == CorrectionKind.NATIONAL:
        overrides.pop(event.day, None)
    else:
        overrides[event.day] = event.kind
    return DistrictCorrections(MappingProxyType(overrides))


def effective_calendar(national: WorkingDayCalendar,
                       state: DistrictCorrections) -> WorkingDayCalendar:
    """The national calendar with the district's overrides laid over it."""
    holidays = [d for d, k in state.overrides.items() if k == CorrectionKind.HOLIDAY]
    working = [d for d, k in state.overrides.items() if k == CorrectionKind.WORKING_DAY]
    return national.with_holidays(holidays).with_makeup_workdays(working)


def decide(state: DistrictCorrections, command: CorrectCalendarDay,
           national: WorkingDayCalendar) -> list[CalendarDayCorrected]:
    if not command.reason.strip():
        raise DomainRuleViolation("calendar-reason-given",
                                  "say why the day is corrected (e.g. the local notice)")
    if not command.corrected_by.strip():
        raise DomainRuleViolation("calendar-corrector-named", "name who corrects the day")
    _check_changes_something(state, command, national)
    return [CalendarDayCorrected(
        district=command.district, occurred_at=command.at, day=command.day, kind=command.kind,
        reason=command.reason.strip(), corrected_by=command.corrected_by.strip())]


def _check_changes_something(state: DistrictCorrections, command: CorrectCalendarDay,
                             national: WorkingDayCalendar) -> None:
    day, kind = command.day, command.kind
    if kind == CorrectionKind.NATIONAL:
        if day not in state.overrides:
            raise DomainRuleViolation("calendar-correction-changes-something",
                                      f"{day} already follows the national schedule")
        return
    # Compare without the unscheduled-year listener: the decision is not a deadline.
    quiet = replace(effective_calendar(national, state), on_unscheduled_year=None)
    if quiet.is_working_day(day) == (kind == CorrectionKind.WORKING_DAY):
        state_now = "a working day" if kind == CorrectionKind.WORKING_DAY else "a rest day"
        raise DomainRuleViolation("calendar-correction-changes-something",
                                  f"{day} is already {state_now} in district "
                                  f"{command.district}")
