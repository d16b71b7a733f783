"""Service work of "cadres into the community" days: recorded once, corrected by new events
that carry the whole tally and the next revision, every tally bounded."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from services.intake.domain import service_work as work
from services.intake.domain.service_work import MAX_TALLY, ServiceWork, Tally, evolve

AT = datetime(2026, 3, 7, 17, tzinfo=timezone(timedelta(hours=8)))
TALLY = Tally(("cadre-sun", "cadre-zhou"), 6, 23)


def recorded() -> ServiceWork:
    events = work.record(ServiceWork(), service_work_id="sw-1", district="chaoyang",
                         community="Dingjia", day=date(2026, 3, 7), tally=TALLY,
                         notes="Mediated a parking dispute for Mr Li", by="clerk-wang", at=AT)
    assert "notes" not in events[0].public_data()  # may name residents: never published
    return fold(evolve, ServiceWork(), events)


def test_a_day_is_recorded_once() -> None:
    state = recorded()
    assert (state.tally, state.revision, state.community) == (TALLY, 0, "Dingjia")
    with pytest.raises(DomainRuleViolation) as refusal:
        work.record(state, service_work_id="sw-1", district="chaoyang", community="Dingjia",
                    day=date(2026, 3, 7), tally=TALLY, notes=None, by="c", at=AT)
    assert refusal.value.rule == "service-work-recorded-once"


def test_corrections_are_new_events_with_the_next_revision_and_keep_the_notes() -> None:
    state = recorded()
    first = work.correct(state, tally=Tally(("cadre-sun",), 5, 23), reason="counted twice",
                         by="c", at=AT)
    state = fold(evolve, state, first)
    second = work.correct(state, tally=Tally(("cadre-sun",), 5, 30), reason="late list",
                          by="c", at=AT)
    state = fold(evolve, state, second)
    assert [e.revision for e in (*first, *second)] == [1, 2]
    assert (state.tally.demands_resolved, state.tally.persons_guided) == (5, 30)
    assert state.notes == "Mediated a parking dispute for Mr Li"
    assert "reason" not in second[0].public_data()


def test_only_a_recorded_day_is_corrected() -> None:
    with pytest.raises(DomainRuleViolation) as refusal:
        work.correct(ServiceWork(), tally=TALLY, reason="r", by="c", at=AT)
    assert refusal.value.rule == "correct-recorded-service-work"


@pytest.mark.parametrize("tally", [Tally((), -1, 0), Tally((), 0, MAX_TALLY + 1)])
def test_tallies_are_bounded(tally: Tally) -> None:
    with pytest.raises(DomainRuleViolation) as refusal:
        work.correct(recorded(), tally=tally, reason="r", by="c", at=AT)
    assert refusal.value.rule == "service-work-tally-in-range"
