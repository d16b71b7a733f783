"""Following a case while it is handled: the holding unit notes its progress, and a leader
puts the case on the key-case ledger (重点案件, "one case, one policy"), once."""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.commands import FlagAsKeyCase, NoteProgress
from services.routing.domain.events import CaseEvent, CaseFlaggedAsKey, ProgressNoted
from services.routing.domain.handover import DistrictSettings, require_status, require_unit


def note_progress(state: AssignmentState, cmd: NoteProgress, settings: DistrictSettings
                  ) -> list[CaseEvent]:
    require_status(state, cmd, {AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED},
                   "progress-only-while-held")
    require_unit(state, cmd.unit_id)
    return [ProgressNoted(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                          unit_id=cmd.unit_id, note=cmd.note)]


def flag_as_key(state: AssignmentState, cmd: FlagAsKeyCase, settings: DistrictSettings
                ) -> list[CaseEvent]:
    if state.key_flag is not None:
        raise DomainRuleViolation(
            "key-case-flagged-once",
            f"case {cmd.case_id} was flagged as a key case by {state.key_flag.flagged_by}")
    return [CaseFlaggedAsKey(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                             flagged_by=cmd.flagged_by, reason=cmd.reason)]
