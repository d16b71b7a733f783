"""How pressing an open case is, from the conditions of its clocks (leaders' backlog lists)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from casebus.domain.clock_condition import ClockCondition


class Urgency(StrEnum):
    OPEN = "open"  # every open case; the two below are the pressing part of it
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"


def case_urgency(conditions: Iterable[ClockCondition | None]) -> Urgency:
    """Overdue if any clock is overdue, else due soon if any is due soon, else just open:
    so a case counts once, under its most pressing clock."""
    seen = set(conditions)
    if ClockCondition.OVERDUE in seen:
        return Urgency.OVERDUE
    if ClockCondition.DUE_SOON in seen:
        return Urgency.DUE_SOON
    return Urgency.OPEN
