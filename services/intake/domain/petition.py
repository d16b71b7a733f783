"""The petition aggregate as a decider: ``initial_state``, ``evolve``, ``decide``.

``decide`` first checks what holds for every command (right case, right district, time does not
run backwards, the petition is still live), then hands the command to the rule module for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from services.intake.domain import (
    answering,
    classification,
    closure,
    evaluation,
    hearing,
    merging,
    registration,
    review,
)
from services.intake.domain import commands as c
from services.intake.domain.commands import CaseCommand
from services.intake.domain.events import CaseEvent
from services.intake.domain.evolve import evolve
from services.intake.domain.state import PetitionState, Stage, initial_state
from services.intake.domain.windows import IntakeRules

__all__ = ["current_state", "decide", "evolve", "initial_state"]

_REFUSED_IN: dict[Stage, tuple[str, str]] = {
    Stage.NEW: ("petition-not-registered", "the petition is not registered"),
    Stage.RECEIVED: ("petition-not-registered", "the petition is not registered"),
    Stage.NOT_ACCEPTED: ("petition-not-accepted", "the petition was not accepted"),
    Stage.TRANSFERRED: ("petition-transferred",
                        "the report went to the discipline inspection and supervision body"),
    Stage.MERGED: ("petition-merged", "the petition is merged into another case"),
    Stage.CLOSED: ("petition-closed", "the petition is closed"),
    Stage.WITHDRAWN: ("petition-withdrawn", "the petition was withdrawn"),
}


def _check_addressed(state: PetitionState, command: CaseCommand) -> None:
    if state.case_id is not None and command.case_id != state.case_id:
        raise DomainRuleViolation("command-for-another-case", f"this is {state.case_id}")
    if state.district is not None and command.district != state.district:
        raise DomainRuleViolation("case-in-another-district", "the case is not in your district")
    # Facts recorded from other services keep their own time and may arrive late.
    late_allowed = isinstance(command, c.RecordUnitAcceptance)
    if state.last_at is not None and command.at < state.last_at and not late_allowed:
        raise DomainRuleViolation(
            "time-runs-forward", f"{command.at.isoformat()} is before the case's last event"
        )


def _check_live(state: PetitionState, command: CaseCommand) -> None:
    if isinstance(command, c.ReceivePetition | c.RegisterPetition):
        return
    allowed = {Stage.REGISTERED}
    if isinstance(command, c.WithdrawPetition):
        allowed.add(Stage.RECEIVED)
    if isinstance(command, c.UnmergePetition):
        allowed = {Stage.MERGED}
    if state.stage not in allowed:
        raise DomainRuleViolation(*_REFUSED_IN.get(
            state.stage, ("petition-not-merged", "the petition is not merged")))


def decide(
    state: PetitionState, command: CaseCommand, rules: IntakeRules | None = None
) -> list[DomainEvent]:
    """The events ``command`` causes (all ``CaseEvent``), or DomainRuleViolation. ``rules``
    carries the district's calendar and limits; without it, the law's on a weekends-only
    calendar. Typed ``DomainEvent`` so event stores can take the list as it is."""
    _check_addressed(state, command)
    _check_live(state, command)
    return list(_dispatch(state, command, rules or IntakeRules.law_defaults(command.district)))


def _dispatch(
    state: PetitionState, command: CaseCommand, rules: IntakeRules
) -> Sequence[CaseEvent]:
    match command:
        case c.ReceivePetition():
            return registration.receive(state, command)
        case c.RegisterPetition():
            return registration.register(state, command)
        case c.ReclassifyPetition():
            return classification.reclassify(state, command)
        case c.NotAcceptPetition():
            return registration.not_accept(state, command)
        case c.SuggestRepeat():
            return merging.suggest(state, command)
        case c.ConfirmRepeat():
            return merging.confirm(state, command)
        case c.RejectRepeat():
            return merging.reject(state, command)
        case c.MergeAsRepeat():
            return merging.merge(state, command)
        case c.UnmergePetition():
            return merging.unmerge(state, command)
        case c.RecordUnitAcceptance():
            return answering.record_unit_acceptance(state, command)
        case c.AnswerPetition():
            return answering.answer(state, command)
        case c.DeliverAnswer():
            return answering.deliver(state, command)
        case c.EvaluatePetition():
            return evaluation.evaluate(state, command, rules)
        case c.RecordEvaluationLapsed():
            return evaluation.lapse(state, command, rules)
        case c.RequestReview():
            return review.request_review(state, command, rules)
        case c.DecideReview():
            return review.decide_review(state, command)
        case c.DeliverReviewDecision():
            return review.deliver_review_decision(state, command)
        case c.RequestReexamination():
            return review.request_reexamination(state, command, rules)
        case c.StartHearing():
            return hearing.start_hearing(state, command)
        case c.EndHearing():
            return hearing.end_hearing(state, command)
        case c.DecideReexamination():
            return review.decide_reexamination(state, command)
        case c.ClosePetition():
            return closure.close(state, command, rules)
        case c.WithdrawPetition():
            return closure.withdraw(state, command)
    raise TypeError(f"not a petition command: {type(command).__name__}")


def current_state(events: Iterable[DomainEvent]) -> PetitionState:
    """The state of a case: the fold of its events."""
    return fold(evolve, initial_state(), events)
