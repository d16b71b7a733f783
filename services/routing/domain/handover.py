"""What a unit needs when it is given a case: its clocks, and a valid set of units.

Shared by assigning, re-routing, transferring, escalating and reopening, so the Art. 23 clocks
are computed in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ, ClockKind, DeadlinePolicy, due_at
from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.commands import CaseCommand


@dataclass(frozen=True)
class DistrictSettings:
    """The district's configuration a decision needs: its calendar, limits and time zone."""

    calendar: WorkingDayCalendar
    policy: DeadlinePolicy
    tz: tzinfo = CHINA_TZ


@dataclass(frozen=True)
class HandoverClocks:
    acceptance_due: datetime  # Art. 23: notify acceptance within 15 days of receiving it
    return_deadline: datetime  # Art. 23: return outside remit within 5 working days


def handover_clocks(at: datetime, category: str, settings: DistrictSettings) -> HandoverClocks:
    """The unit receives the case at ``at``: both Art. 23 clocks start then."""
    policy, calendar, tz = settings.policy, settings.calendar, settings.tz
    return HandoverClocks(
        acceptance_due=due_at(at, policy.limit_for(ClockKind.NOTIFY_ACCEPTANCE, category),
                              calendar, tz),
        return_deadline=due_at(at, policy.limit_for(ClockKind.RETURN_OUTSIDE_REMIT, category),
                               calendar, tz))


def check_co_handling(lead_unit_id: str, assisting_unit_ids: Sequence[str]) -> None:
    """A lead unit and its assisting units must be distinct units."""
    if lead_unit_id in assisting_unit_ids:
        raise DomainRuleViolation(
            "lead-unit-not-assisting",
            f"unit {lead_unit_id} leads the case and cannot also assist it")
    if len(set(assisting_unit_ids)) != len(assisting_unit_ids):
        raise DomainRuleViolation("assisting-units-distinct",
                                  f"an assisting unit is listed twice: {list(assisting_unit_ids)}")


def require_status(state: AssignmentState, cmd: CaseCommand, allowed: set[AssignmentStatus],
                   rule: str) -> None:
    """Refuse with ``rule`` unless the assignment is in one of the ``allowed`` states."""
    if state.status not in allowed:
        raise DomainRuleViolation(rule, f"case {cmd.case_id} is {state.status}; "
                                        f"this needs it to be {' or '.join(sorted(allowed))}")


def require_unit(state: AssignmentState, unit_id: str) -> None:
    """Only the unit holding the case may accept, return it or ask for more time."""
    if unit_id != state.unit_id:
        raise DomainRuleViolation("only-assigned-unit-may-act",
                                  f"case {state.case_id} is with unit {state.unit_id}, "
                                  f"not {unit_id}")
