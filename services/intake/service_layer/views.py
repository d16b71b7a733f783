"""How intake shows a case: a summary of its state, the answer every command gives, and its
events. Instants are ISO 8601 in local time (``local_iso``). Nothing here is personal data
except the events of ``case_record``, which only case readers receive."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from casebus.domain.clock_condition import local_iso
from casebus.domain.events import DomainEvent
from services.intake.domain import PetitionState, Stage
from services.intake.domain.events import Registration
from services.intake.domain.facts import (
    AnswerOutcome,
    Evaluator,
    MatterKind,
    NotAcceptedReason,
    ReviewOutcome,
    Satisfaction,
)
from services.intake.service_layer.cases import Decided

# Shown instead of every personal field of a report, to every role.
WITHHELD = "[withheld: report]"


class RemedySummary(BaseModel):
    """Review (复查) or re-examination (复核): ``not-available`` for a suggestion, else
    ``not-requested``, ``requested``, ``hearing`` (re-examination only), ``decided`` or
    ``delivered`` (review only)."""

    status: str
    requested_at: str | None = None
    outcome: ReviewOutcome | None = None
    delivered_at: str | None = None
    hearings_held: int = 0


class CaseSummary(BaseModel):
    stage: Stage
    matter_kind: MatterKind
    received_at: str | None
    registered_at: str | None
    category: str
    community: str
    subject: str
    petitioner_count: int
    collective: bool
    skip_level: bool
    accepting_unit: str | None
    answer_outcome: AnswerOutcome | None
    delivered: bool
    delivered_at: str | None
    evaluations: dict[Evaluator, Satisfaction]
    evaluation_lapsed: bool
    review: RemedySummary
    reexamination: RemedySummary
    pending_repeat_of: str | None
    repeat_of: str | None
    merged_into: str | None
    not_accepted_reason: NotAcceptedReason | None
    guided_to: str | None
    transferred_to: str | None


def _review(state: PetitionState) -> RemedySummary:
    if state.matter_kind is MatterKind.SUGGESTION:
        return RemedySummary(status="not-available")
    status = ("not-requested" if state.review_requested_at is None
              else "requested" if state.review_outcome is None
              else "decided" if state.review_delivered_at is None else "delivered")
    return RemedySummary(status=status, requested_at=local_iso(state.review_requested_at),
                         outcome=state.review_outcome,
                         delivered_at=local_iso(state.review_delivered_at))


def _reexamination(state: PetitionState) -> RemedySummary:
    if state.matter_kind is MatterKind.SUGGESTION:
        return RemedySummary(status="not-available")
    status = ("not-requested" if state.reexamination_requested_at is None
              else "decided" if state.reexamination_outcome is not None
              else "hearing" if state.hearing_started_at is not None else "requested")
    return RemedySummary(status=status, requested_at=local_iso(state.reexamination_requested_at),
                         outcome=state.reexamination_outcome, hearings_held=state.hearings_held)


def summarise(state: PetitionState) -> CaseSummary:
    return CaseSummary(
        stage=state.stage, matter_kind=state.matter_kind,
        received_at=local_iso(state.received_at), registered_at=local_iso(state.registered_at),
        category=state.category, community=state.community, subject=state.subject,
        petitioner_count=state.petitioner_count, collective=state.collective,
        skip_level=state.skip_level, accepting_unit=state.accepting_unit,
        answer_outcome=state.answer, delivered=state.answer_delivered_at is not None,
        delivered_at=local_iso(state.answer_delivered_at), evaluations=dict(state.evaluations),
        evaluation_lapsed=state.evaluation_lapsed, review=_review(state),
        reexamination=_reexamination(state), pending_repeat_of=state.pending_repeat_of,
        repeat_of=state.repeat_of, merged_into=state.merged_into,
        not_accepted_reason=state.not_accepted_reason, guided_to=state.guided_to,
        transferred_to=state.transferred_to)


def command_answer(case_id: str, decided: Decided) -> dict[str, Any]:
    """The answer of every command: what it recorded (wire types) and the case after it."""
    return {"case_id": case_id, "events": [e.wire_type() for e in decided.events],
            "state": summarise(decided.state).model_dump(mode="json")}


def case_record(events: Iterable[DomainEvent], state: PetitionState) -> list[dict[str, Any]]:
    """The events of a case for its readers. A report's personal data is withheld from every
    reader, and its petitioner ids too, as on the public topic."""
    report = state.matter_kind is MatterKind.REPORT
    return [_shown(event, report) for event in events]


def _shown(event: DomainEvent, report: bool) -> dict[str, Any]:
    data = event.model_dump(mode="json")
    for name in type(event).model_fields:
        value = getattr(event, name)
        if isinstance(value, datetime):
            data[name] = local_iso(value)
    if report:
        data.update(dict.fromkeys(event.personal_fields, WITHHELD))
        if isinstance(event, Registration):
            data["petitioner_ids"] = []
    return {"type": event.wire_type(), **data}
