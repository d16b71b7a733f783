"""Repeat suggestions, the clerk's verdict on them, and merging a repeat into an open case."""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.commands import (
    ConfirmRepeat,
    MergeAsRepeat,
    RejectRepeat,
    SuggestRepeat,
    UnmergePetition,
)
from services.intake.domain.events import (
    PetitionMergedAsRepeat,
    PetitionUnmerged,
    RepeatSuggested,
    RepeatSuggestionConfirmed,
    RepeatSuggestionRejected,
)
from services.intake.domain.state import PetitionState, Stage


def _check_candidate(state: PetitionState, other_case_id: str) -> None:
    if other_case_id == state.case_id:
        raise DomainRuleViolation("repeat-of-itself", "a case cannot repeat itself")
    if state.pending_repeat_of is not None:
        raise DomainRuleViolation(
            "repeat-suggestion-pending",
            f"confirm or reject the suggestion ({state.pending_repeat_of}) first",
        )
    if other_case_id in state.rejected_repeats:
        raise DomainRuleViolation(
            "repeat-suggestion-already-rejected", f"a clerk rejected {other_case_id} already"
        )


def suggest(state: PetitionState, command: SuggestRepeat) -> list[RepeatSuggested]:
    _check_candidate(state, command.repeat_of)
    if state.repeat_of is not None:
        raise DomainRuleViolation("repeat-already-confirmed", f"repeats {state.repeat_of}")
    return [RepeatSuggested(**command.stamp(), repeat_of=command.repeat_of,
                            matched_petitioner_ids=command.matched_petitioner_ids)]


def _pending(state: PetitionState) -> str:
    if state.pending_repeat_of is None:
        raise DomainRuleViolation("no-repeat-suggestion-pending", "nothing to confirm or reject")
    return state.pending_repeat_of


def confirm(state: PetitionState, command: ConfirmRepeat) -> list[RepeatSuggestionConfirmed]:
    return [RepeatSuggestionConfirmed(**command.stamp(), repeat_of=_pending(state),
                                      clerk_id=command.clerk_id)]


def reject(state: PetitionState, command: RejectRepeat) -> list[RepeatSuggestionRejected]:
    return [RepeatSuggestionRejected(**command.stamp(), rejected_case_id=_pending(state),
                                     clerk_id=command.clerk_id, reason=command.reason)]


def merge(state: PetitionState, command: MergeAsRepeat) -> list[PetitionMergedAsRepeat]:
    """Merge this petition into an open case (check that case with ``check_merge_target``)."""
    _check_candidate(state, command.into_case_id)
    if state.accepting_unit is not None:
        raise DomainRuleViolation(
            "merge-before-unit-acceptance", "a unit accepted this case: it is handled on its own"
        )
    if state.repeat_of is not None and state.repeat_of != command.into_case_id:
        raise DomainRuleViolation(
            "merge-into-confirmed-repeat", f"confirmed as a repeat of {state.repeat_of}"
        )
    return [PetitionMergedAsRepeat(**command.stamp(), into_case_id=command.into_case_id,
                                   clerk_id=command.clerk_id)]


def check_merge_target(petition: PetitionState, target: PetitionState) -> None:
    """The case merged into must be open, in the same district: the service calls this with
    the target's state before issuing ``MergeAsRepeat`` (a decider sees one stream only)."""
    if target.district != petition.district:
        raise DomainRuleViolation("case-in-another-district", "cannot merge across districts")
    if target.stage is not Stage.REGISTERED:
        raise DomainRuleViolation(
            "merge-target-must-be-open", f"{target.case_id} is {target.stage.value}"
        )


def unmerge(state: PetitionState, command: UnmergePetition) -> list[PetitionUnmerged]:
    if state.stage is not Stage.MERGED or state.merged_into is None:
        raise DomainRuleViolation("petition-not-merged", f"{command.case_id} is not merged")
    return [PetitionUnmerged(**command.stamp(), from_case_id=state.merged_into,
                             clerk_id=command.clerk_id, reason=command.reason)]
