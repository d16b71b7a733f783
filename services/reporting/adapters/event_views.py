"""What reporting reads from each public event: only the fields it keeps, others ignored, so a
publisher may add optional fields freely. A payload missing a field listed here violates the
published contract: pydantic's ValidationError makes the consumer dead-letter it."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.reporting.domain.stages import DEFAULT_MATTER_KIND


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# intake
class Registered(_View):
    """v1 or v2 (``casebus.domain.registered``); the subject is never kept."""

    category: str
    community: str
    place: str | None = None
    channel: str
    collective: bool = False
    skip_level: bool = False
    matter_kind: str = DEFAULT_MATTER_KIND


class Reclassified(_View):
    to_kind: str


class StageChange(_View):
    into_case_id: str | None = None  # merged
    unit_id: str | None = None  # answered


# routing
class Handover(_View):
    unit_id: str
    assisting_unit_ids: list[str] = Field(default_factory=list)
    acceptance_due: AwareDatetime
    rules_version: int | None = None  # assigned only
    level: str | None = None


class Accepted(_View):
    unit_id: str
    answer_due: AwareDatetime


class UnitNamed(_View):
    unit_id: str


class CoHandling(_View):
    lead_unit_id: str
    assisting_unit_ids: list[str]


class ExtensionApproved(_View):
    approver: str
    days: int
    answer_due: AwareDatetime


class SupervisionOrdered(_View):
    order_id: str
    issued_by: str
    due: AwareDatetime
    unit_id: str | None = None
    limit_days: int | None = None


class FlaggedAsKey(_View):
    flagged_by: str
    reason: str | None = None


# accountability
class ClockFact(_View):
    clock_id: str
    case_id: str


class ClockStarted(ClockFact):
    kind: str
    unit_id: str | None = None
    category: str | None = None
    started_at: AwareDatetime
    due_at: AwareDatetime
    warn_at: AwareDatetime | None = None


class ClockDueMoved(ClockFact):  # resumed, extended
    due_at: AwareDatetime
    warn_at: AwareDatetime | None = None  # absent: the default lead before the new due


class ClockWarned(ClockFact):
    due_at: AwareDatetime


class ClockStopped(ClockFact):
    outcome: str
    due_at: AwareDatetime
    on_time: bool
