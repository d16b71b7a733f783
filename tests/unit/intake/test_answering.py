from __future__ import annotations

from services.intake.domain import current_state
from services.intake.domain.answer_events import PetitionAnswered
from services.intake.domain.commands import AnswerPetition, DeliverAnswer, RecordUnitAcceptance
from services.intake.domain.facts import AnswerOutcome

from .scenario import T0, UNIT, at, delivered, refused, register, run, stamp


def answer(unit: str = UNIT, when=T0) -> AnswerPetition:
    return AnswerPetition(**stamp(when), unit_id=unit, outcome=AnswerOutcome.NOT_SUPPORT,
                          summary="The request has no basis in the resettlement policy.")


def test_a_unit_accepts_answers_and_the_answer_is_delivered() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), answer(),
                 DeliverAnswer(**stamp(at(2024, 3, 4))))
    state = current_state(events)
    assert state.accepting_unit == UNIT and state.answered_by == UNIT
    assert state.answer is AnswerOutcome.NOT_SUPPORT
    assert state.answer_delivered_at == at(2024, 3, 4)
    answered = next(e for e in events if isinstance(e, PetitionAnswered))
    assert "summary" not in answered.public_data()


def test_answering_a_case_never_accepted_is_refused() -> None:
    refused(run(register()), answer(), "answer-requires-unit-acceptance")


def test_only_the_accepting_unit_answers() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(events, answer("urban-management"), "answer-by-accepting-unit")


def test_a_transferred_case_is_answered_by_the_unit_that_accepted_it_last() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id="urban-management"),
                 RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(events, answer("urban-management"), "answer-by-accepting-unit")
    assert current_state(run(answer(), history=events)).answered


def test_the_same_acceptance_is_recorded_once() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(events, RecordUnitAcceptance(**stamp(T0), unit_id=UNIT),
            "unit-acceptance-already-recorded")


def test_an_acceptance_learnt_late_keeps_its_own_time() -> None:
    events = run(register(at=at(2024, 3, 5)),
                 RecordUnitAcceptance(**stamp(at(2024, 3, 4)), unit_id=UNIT))
    assert current_state(events).accepting_unit == UNIT
    assert current_state(events).last_at == at(2024, 3, 5)


def test_acceptance_after_the_answer_is_refused() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), answer())
    refused(events, RecordUnitAcceptance(**stamp(T0), unit_id="housing"),
            "unit-acceptance-after-answer")
    refused(events, answer(), "petition-already-answered")


def test_delivery_needs_an_answer_and_happens_once() -> None:
    refused(run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT)),
            DeliverAnswer(**stamp(T0)), "deliver-requires-answer")
    refused(delivered(at(2024, 3, 4)), DeliverAnswer(**stamp(at(2024, 3, 5))),
            "answer-already-delivered")
