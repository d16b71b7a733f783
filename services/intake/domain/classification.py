"""Classified handling: suggestion, report or claim, and reclassifying before a unit acts.

A report (an accusation against officials) leaves petition handling at once: it is transferred
to the discipline inspection and supervision body, whether it was registered as a report or
reclassified as one. The other kinds stay and are routed to a unit.
"""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.commands import ReclassifyPetition
from services.intake.domain.events import (
    CaseEvent,
    PetitionReclassified,
    PetitionTransferredToDisciplineInspection,
)
from services.intake.domain.facts import DISCIPLINE_INSPECTION, MatterKind
from services.intake.domain.state import PetitionState


def transfer_if_report(kind: MatterKind, stamp: dict[str, object],
                       clerk_id: str) -> list[CaseEvent]:
    """The transfer a report takes (nothing for other kinds), stamped like its cause."""
    if kind is not MatterKind.REPORT:
        return []
    return [PetitionTransferredToDisciplineInspection.model_validate(
        {**stamp, "body": DISCIPLINE_INSPECTION, "clerk_id": clerk_id})]


def reclassify(state: PetitionState, command: ReclassifyPetition) -> list[CaseEvent]:
    if state.accepting_unit is not None:
        # The unit handles the matter as the kind it accepted; changing it now would change
        # its deadlines and remedies under its feet.
        raise DomainRuleViolation(
            "reclassify-before-unit-acceptance",
            f"unit {state.accepting_unit} already accepted the case as a {state.matter_kind}",
        )
    if command.matter_kind is state.matter_kind:
        raise DomainRuleViolation(
            "reclassify-to-another-kind", f"the case is already a {state.matter_kind}"
        )
    reclassified = PetitionReclassified(
        **command.stamp(), from_kind=state.matter_kind, to_kind=command.matter_kind,
        clerk_id=command.clerk_id, reason=command.reason,
    )
    return [reclassified,
            *transfer_if_report(command.matter_kind, command.stamp(), command.clerk_id)]
