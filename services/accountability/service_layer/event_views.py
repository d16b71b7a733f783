"""What accountability reads from intake's and routing's public events: only the fields the
clocks need, ignoring the rest, so a publisher may add fields without breaking this consumer.
A payload without a needed field fails validation and is dead-lettered with the reason."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casebus.domain.deadlines import DayCount


class CaseFact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    case_id: str = Field(min_length=1)
    district: str = Field(min_length=1)
    occurred_at: AwareDatetime


class Registered(CaseFact):
    category: str
    received_at: AwareDatetime


class Handover(CaseFact):
    """assigned, rerouted, transferred, escalated, reopened: a unit is given the case."""

    unit_id: str
    category: str | None = None  # only ``assigned`` carries it
    acceptance_due: AwareDatetime | None = None


class Accepted(CaseFact):
    unit_id: str
    answer_limit_days: int = Field(ge=1)
    answer_due: AwareDatetime


class ExtensionApproved(CaseFact):
    approver: str
    days: int
    reason: str
    answer_due: AwareDatetime | None = None


class SupervisionOrdered(CaseFact):
    order_id: str = Field(min_length=1)
    due: AwareDatetime
    unit_id: str | None = None
    limit_days: int | None = Field(default=None, ge=1)
    day_count: DayCount | None = None
