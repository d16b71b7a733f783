"""The key-case ledger's request bodies and how an entry is shown (times in local ISO)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from casebus.domain.clock_condition import local_iso
from casebus.fields import Line, Text
from services.accountability.domain.key_case_ledger import KeyCase


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "plan": "Gas company to connect the 46 flats by June; street office to meet owners "
                "monthly until then.",
        "leader_in_charge": "Deputy Director Zhao"}]})
    plan: Text
    leader_in_charge: Line


class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "note": "Pipes laid to buildings 3 and 4; owners informed at the April meeting."}]})
    note: Text


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "outcome": "Gas connected to all flats; the owners signed off the case."}]})
    outcome: Text


def entry_view(case: KeyCase) -> dict[str, Any]:
    entered, plan, resolved = case.entered, case.plan, case.resolved
    assert entered is not None  # only entries are shown
    return {
        "case_id": entered.case_id, "status": "open" if resolved is None else "resolved",
        "reason": entered.reason.value, "evidence": entered.evidence,
        "flagged_by": entered.flagged_by, "entered_at": local_iso(entered.occurred_at),
        "plan": None if plan is None else {
            "plan": plan.plan, "leader_in_charge": plan.leader_in_charge, "set_by": plan.set_by,
            "set_at": local_iso(plan.occurred_at)},
        "progress": [{"at": local_iso(p.occurred_at), "note": p.note, "noted_by": p.noted_by}
                     for p in case.progress],
        "resolution": None if resolved is None else {
            "outcome": resolved.outcome, "resolved_by": resolved.resolved_by,
            "resolved_at": local_iso(resolved.occurred_at)},
    }
