"""Folding the public case events into a ``CaseRecord``: the one place where events become the
facts rates, rankings and accountability count. Accountability (letters, breaches) and
reporting (rates, rankings) both fold with it, so they count the same cases the same way.

Pure: it takes an event's wire type, time and public data (a CloudEvent's ``type``, ``time``
and ``data``), never a service's event classes. Events of one case arrive from three topics in
any relative order, so every step only sets what its own event knows (a late registration
still fills in the category). Reports (accusations) are not counted: ``counts`` says so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from casebus.domain.case_record import CaseRecord
from casebus.domain.evaluation import Evaluator, Satisfaction

HANDOVERS = ("assigned", "rerouted", "transferred", "escalated", "reopened")
# Concluded before any unit accepted: no unit failed to accept it in time.
CONCLUDED_UNACCEPTED = ("merged", "not-accepted", "withdrawn",
                        "transferred-to-discipline-inspection")


def empty_record(case_id: str, district: str, at: datetime) -> CaseRecord:
    """A case known only by id until its registration arrives (``category`` empty)."""
    return CaseRecord(case_id=case_id, district=district, category="", registered_at=at)


def fold_event(record: CaseRecord, wire_type: str, at: datetime,
               data: dict[str, Any]) -> CaseRecord:
    """The record after one public event (unknown types change nothing)."""
    name = _name(wire_type)
    if name == "registered":
        return replace(record, category=data["category"], community=data.get("community"),
                       registered_at=at, is_collective=bool(data.get("collective")),
                       is_skip_level=bool(data.get("skip_level")))
    if name in CONCLUDED_UNACCEPTED and record.accepted_at is None \
            and (record.assigned_at is None or record.assigned_at <= at):
        # (A handover after it, e.g. the reopening after an un-merge read first from routing's
        # topic, keeps its own deadline.)
        record = replace(record, acceptance_due=None)
    if name in ("repeat-confirmed", "merged"):
        return replace(record, is_repeat=True)
    if name == "unmerged":
        return replace(record, is_repeat=False)
    if name in HANDOVERS:
        record = replace(record, unit_id=data["unit_id"], assigned_at=at,
                         acceptance_due=_instant(data.get("acceptance_due")),
                         accepted_at=None, answer_due=None)
        return replace(record, escalated=True) if name == "escalated" else record
    if name == "accepted":
        return replace(record, accepted_at=at, answer_due=_instant(data.get("answer_due")))
    if name == "extension-approved":
        return replace(record, answer_due=_instant(data.get("answer_due")))
    if name == "answered":
        return replace(record, answered_at=at)
    if name == "review-requested":
        return replace(record, review_requested=True)
    if name == "reexamination-requested":
        return replace(record, reexamination_requested=True)
    if name == "evaluated":
        rating = Satisfaction(data["satisfaction"])
        if Evaluator(data["evaluator"]) is Evaluator.PETITION_OFFICE:
            return replace(record, office_evaluation=rating)
        return replace(record, unit_evaluation=rating)
    if name == "closed":
        return replace(record, closed_at=at)
    return record


def counts(wire_types_and_data: list[tuple[str, dict[str, Any]]]) -> bool:
    """Whether a case counts in rates at all: a report (an accusation against officials) is
    handled by the discipline inspection bodies, not counted like ordinary petitions."""
    kind = "claim"
    for wire_type, data in wire_types_and_data:
        name = _name(wire_type)
        if name == "registered":
            kind = data.get("matter_kind", kind)
        elif name == "reclassified":
            kind = data.get("to_kind", kind)
    return kind != "report"


def _name(wire_type: str) -> str:
    """``petition.case.answered.v1`` -> ``answered``."""
    parts = wire_type.split(".")
    return parts[2] if len(parts) == 4 and parts[1] == "case" else ""


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
