"""Events and commands of a deadline clock. One clock = one stream, named by ``clock_id``.

Each event that moves the due instant carries the new ``due_at``, and the instant the clock
then warns (``warn_at``, counted back in the district's working days), so subscribers and the
scheduler know both without a calendar. ``warn_at`` is optional: events recorded before it
existed warn ``DEFAULT_WARN_LEAD`` before due (``clocks.evolve``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from pydantic import AwareDatetime, Field

from casebus.domain.deadlines import ClockKind, Limit
from casebus.domain.events import Command, DomainEvent


class ClockEvent(DomainEvent):
    clock_id: str
    case_id: str


class ClockStarted(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.started"
    kind: ClockKind
    unit_id: str | None = None
    category: str | None = None
    limit: Limit
    started_at: AwareDatetime
    due_at: AwareDatetime
    warn_at: AwareDatetime | None = None  # when the clock warns that it is due soon


class ClockPaused(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.paused"
    reason: str  # e.g. "hearing" during re-examination (Art. 36)


class ClockResumed(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.resumed"
    due_at: AwareDatetime  # pushed by the days not counted while paused
    warn_at: AwareDatetime | None = None


class ClockExtended(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.extended"
    days: int
    approved_by: str
    reason: str  # told to the petitioner (Art. 34)
    due_at: AwareDatetime
    warn_at: AwareDatetime | None = None


class ClockWarned(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.warned"
    due_at: AwareDatetime  # the due instant this warning is about
    lead: timedelta  # due_at - the recorded warn_at


class ClockBreached(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.breached"
    due_at: AwareDatetime  # when the clock actually expired; occurred_at is when it was seen


class ClockStopped(ClockEvent):
    type_name: ClassVar[str] = "petition.clock.stopped"
    outcome: str  # what was done: "accepted", "answered", "returned"...
    due_at: AwareDatetime  # the due instant as it stood when stopped
    on_time: bool


CLOCK_EVENTS: tuple[type[ClockEvent], ...] = (
    ClockStarted, ClockPaused, ClockResumed, ClockExtended, ClockWarned, ClockBreached,
    ClockStopped,
)


class ClockCommand(Command):
    clock_id: str
    at: AwareDatetime


class StartClock(ClockCommand):
    """``at`` is when the period starts (the petition received, the case accepted...)."""

    case_id: str
    district: str
    kind: ClockKind
    limit: Limit  # from DeadlinePolicy.limit_for, or a supervision order's own limit
    unit_id: str | None = None
    category: str | None = None
    # A deadline set by an order rather than counted (a supervision order that names only its
    # ``due``); None: counted from ``at`` by ``limit``.
    due_at: AwareDatetime | None = None


class PauseClock(ClockCommand):
    reason: str = Field(min_length=1)


class ResumeClock(ClockCommand):
    pass


class ExtendClock(ClockCommand):
    days: int
    approved_by: str
    reason: str
    # When the extension was approved, if the command comes later than that (``at`` is then
    # moved up to the clock's last event by the service): the approval is judged by this time.
    approved_at: AwareDatetime | None = None


class WarnClock(ClockCommand):
    lead: timedelta


class BreachClock(ClockCommand):
    pass


class StopClock(ClockCommand):
    outcome: str = Field(min_length=1)
    # When the thing was done, if the command comes later than that (see ``approved_at``):
    # whether it was on time is judged by this time.
    done_at: AwareDatetime | None = None


CLOCK_COMMANDS: tuple[type[ClockCommand], ...] = (
    StartClock, PauseClock, ResumeClock, ExtendClock, WarnClock, BreachClock, StopClock,
)
