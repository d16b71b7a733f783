"""A leader's reception day: scheduled once, receptions only while it is open, one outcome per
reception, a registered case of the same district from the reception day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from services.intake.domain import reception_decisions as decide
from services.intake.domain.facts import Channel
from services.intake.domain.reception_days import (
    ReceptionDay,
    ReceptionOutcome,
    evolve,
)
from services.intake.domain.registry import PETITION_EVENTS

AT = datetime(2026, 3, 4, 9, tzinfo=timezone(timedelta(hours=8)))
DAY = date(2026, 3, 4)
HERE = decide.RegisteredCase("chaoyang", Channel.RECEPTION_DAY)


def scheduled() -> tuple[ReceptionDay, list[DomainEvent]]:
    events: list[DomainEvent] = list(decide.schedule(
        ReceptionDay(), reception_day_id="rd-1", district="chaoyang", leader_id="leader-zhao",
        day=DAY, place="room 1", by="clerk-wang", at=AT))
    return fold(evolve, ReceptionDay(), events), events


def received(state: ReceptionDay, reception_id: str = "rc-1") -> ReceptionDay:
    return fold(evolve, state, decide.receive(state, reception_id=reception_id,
                                              person="Li Xiuying", matter="no gas", by="c",
                                              at=AT))


def refused(rule: str, call: object, *args: object, **kwargs: object) -> None:
    with pytest.raises(DomainRuleViolation) as refusal:
        call(*args, **kwargs)  # type: ignore[operator]
    assert refusal.value.rule == rule


def test_a_day_is_scheduled_once_and_every_event_names_its_leader_and_day() -> None:
    state, _ = scheduled()
    assert (state.leader_id, state.day, state.place) == ("leader-zhao", DAY, "room 1")
    refused("reception-day-scheduled-once", decide.schedule, state, reception_day_id="rd-1",
            district="chaoyang", leader_id="x", day=DAY, place="p", by="c", at=AT)
    [outcome] = decide.record_outcome(received(state), reception_id="rc-1",
                                      outcome=ReceptionOutcome.ANSWERED_ON_THE_SPOT, case=None,
                                      case_id=None, guided_to=None, by="c", at=AT)
    assert (outcome.leader_id, outcome.day) == ("leader-zhao", DAY)


def test_the_person_received_is_personal_data_and_not_published() -> None:
    state, _ = scheduled()
    [event] = decide.receive(state, reception_id="rc-1", person="Li Xiuying", matter="no gas",
                             by="c", at=AT)
    public = event.public_data()
    assert "person" not in public and "matter" not in public
    assert "Li Xiuying" not in str(public)
    assert PETITION_EVENTS.parse(event.wire_type(), event.model_dump(mode="json")) == event


def test_receptions_only_on_a_scheduled_day_that_is_still_open() -> None:
    refused("reception-on-a-scheduled-day", decide.receive, ReceptionDay(), reception_id="r",
            person="p", matter="m", by="c", at=AT)
    state = received(scheduled()[0])
    [held] = decide.hold(state, by="leader-zhao", at=AT)
    assert held.persons_received == 1
    closed = evolve(state, held)
    refused("reception-on-a-scheduled-day", decide.receive, closed, reception_id="rc-2",
            person="p", matter="m", by="c", at=AT)
    refused("reception-day-held-once", decide.hold, closed, by="c", at=AT)


@pytest.mark.parametrize(("case", "rule"), [
    (None, "case-registered-in-district"),
    (decide.RegisteredCase("haidian", Channel.RECEPTION_DAY), "case-registered-in-district"),
    (decide.RegisteredCase("chaoyang", Channel.VISIT), "case-registered-at-reception-day"),
])
def test_a_registered_outcome_names_a_case_of_the_district_from_the_reception_day(
        case: decide.RegisteredCase | None, rule: str) -> None:
    state = received(scheduled()[0])
    refused(rule, decide.record_outcome, state, reception_id="rc-1",
            outcome=ReceptionOutcome.CASE_REGISTERED, case=case, case_id="case-1",
            guided_to=None, by="c", at=AT)


def test_one_outcome_per_recorded_reception() -> None:
    state = received(scheduled()[0])
    refused("outcome-of-a-recorded-reception", decide.record_outcome, state,
            reception_id="rc-9", outcome=ReceptionOutcome.GUIDED, case=None, case_id=None,
            guided_to="court", by="c", at=AT)
    [event] = decide.record_outcome(state, reception_id="rc-1",
                                    outcome=ReceptionOutcome.CASE_REGISTERED, case=HERE,
                                    case_id="case-1", guided_to="ignored", by="c", at=AT)
    assert (event.registered_case_id, event.guided_to) == ("case-1", None)
    after = evolve(state, event)
    assert after.receptions[0].registered_case_id == "case-1"
    refused("one-outcome-per-reception", decide.record_outcome, after, reception_id="rc-1",
            outcome=ReceptionOutcome.ANSWERED_ON_THE_SPOT, case=None, case_id=None,
            guided_to=None, by="c", at=AT)
