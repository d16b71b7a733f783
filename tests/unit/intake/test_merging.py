from __future__ import annotations

from dataclasses import replace

import pytest

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain import Stage, current_state
from services.intake.domain.commands import (
    AnswerPetition,
    ConfirmRepeat,
    MergeAsRepeat,
    RecordUnitAcceptance,
    RejectRepeat,
    SuggestRepeat,
    UnmergePetition,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import AnswerOutcome
from services.intake.domain.merging import check_merge_target

from .scenario import T0, UNIT, at, refused, register, run, stamp


def suggested() -> list[CaseEvent]:
    return run(register(), SuggestRepeat(**stamp(T0), repeat_of="case-0",
                                          matched_petitioner_ids=["p-1"]))


def test_a_clerk_confirms_a_suggestion() -> None:
    events = suggested()
    assert current_state(events).pending_repeat_of == "case-0"
    assert not current_state(events).repeat
    events = run(ConfirmRepeat(**stamp(T0), clerk_id="clerk-1"), history=events)
    state = current_state(events)
    assert state.repeat and state.repeat_of == "case-0" and state.pending_repeat_of is None
    refused(events, SuggestRepeat(**stamp(T0), repeat_of="case-7", matched_petitioner_ids=[]),
            "repeat-already-confirmed")


def test_a_clerk_rejects_a_suggestion_and_it_is_not_made_again() -> None:
    events = run(RejectRepeat(**stamp(T0), clerk_id="clerk-1", reason="other flat"),
                 history=suggested())
    state = current_state(events)
    assert not state.repeat and state.pending_repeat_of is None
    refused(events, SuggestRepeat(**stamp(T0), repeat_of="case-0", matched_petitioner_ids=[]),
            "repeat-suggestion-already-rejected")
    refused(events, MergeAsRepeat(**stamp(T0), into_case_id="case-0", clerk_id="c"),
            "repeat-suggestion-already-rejected")


def test_suggestion_refusals() -> None:
    events = suggested()
    refused(events, SuggestRepeat(**stamp(T0), repeat_of="case-5", matched_petitioner_ids=[]),
            "repeat-suggestion-pending")
    refused(events, MergeAsRepeat(**stamp(T0), into_case_id="case-0", clerk_id="c"),
            "repeat-suggestion-pending")
    plain = run(register())
    refused(plain, ConfirmRepeat(**stamp(T0), clerk_id="c"), "no-repeat-suggestion-pending")
    refused(plain, RejectRepeat(**stamp(T0), clerk_id="c"), "no-repeat-suggestion-pending")
    refused(plain, SuggestRepeat(**stamp(T0), repeat_of="case-1", matched_petitioner_ids=[]),
            "repeat-of-itself")


def test_merge_and_unmerge() -> None:
    merged = run(register(), MergeAsRepeat(**stamp(T0), into_case_id="case-0", clerk_id="c"))
    state = current_state(merged)
    assert state.stage is Stage.MERGED and state.repeat_of == "case-0"
    refused(merged, RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), "petition-merged")
    unmerged = run(UnmergePetition(**stamp(at(2024, 3, 2)), clerk_id="c", reason="other flat"),
                   history=merged)
    state = current_state(unmerged)
    assert state.stage is Stage.REGISTERED and not state.repeat and state.merged_into is None
    refused(unmerged, UnmergePetition(**stamp(at(2024, 3, 2)), clerk_id="c", reason=""),
            "petition-not-merged")
    run(RecordUnitAcceptance(**stamp(at(2024, 3, 3)), unit_id=UNIT), history=unmerged)


def test_merge_refusals() -> None:
    accepted = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(accepted, MergeAsRepeat(**stamp(T0), into_case_id="case-0", clerk_id="c"),
            "merge-before-unit-acceptance")
    plain = run(register())
    refused(plain, MergeAsRepeat(**stamp(T0), into_case_id="case-1", clerk_id="c"),
            "repeat-of-itself")
    confirmed = run(ConfirmRepeat(**stamp(T0), clerk_id="c"), history=suggested())
    refused(confirmed, MergeAsRepeat(**stamp(T0), into_case_id="case-9", clerk_id="c"),
            "merge-into-confirmed-repeat")
    run(MergeAsRepeat(**stamp(T0), into_case_id="case-0", clerk_id="c"), history=confirmed)


def test_a_repeat_merges_only_into_an_open_case_of_its_district() -> None:
    petition = current_state(run(register()))
    open_target = current_state(run(register(case_id="case-0")))
    check_merge_target(petition, open_target)
    answered = run(
        register(case_id="case-0"),
        RecordUnitAcceptance(case_id="case-0", district="beiyuan", at=T0, unit_id=UNIT),
        AnswerPetition(case_id="case-0", district="beiyuan", at=T0, unit_id=UNIT,
                       outcome=AnswerOutcome.EXPLAIN, summary=""),
    )
    check_merge_target(petition, current_state(answered))  # answered but still open
    withdrawn = replace(open_target, stage=Stage.WITHDRAWN)
    with pytest.raises(DomainRuleViolation) as refusal:
        check_merge_target(petition, withdrawn)
    assert refusal.value.rule == "merge-target-must-be-open"
    with pytest.raises(DomainRuleViolation) as refusal:
        check_merge_target(petition, replace(open_target, district="haidian"))
    assert refusal.value.rule == "case-in-another-district"
