from __future__ import annotations

import pytest

from services.intake.domain import current_state
from services.intake.domain.facts import Channel, Petitioner

from .scenario import person, refused, register, run


def people(n: int) -> list[Petitioner]:
    return [person(f"p-{i}", f"Owner {i}") for i in range(n)]


@pytest.mark.parametrize(("named", "headcount", "count", "collective"), [
    (4, None, 4, False),
    (5, None, 5, True),
    (1, 4, 4, False),
    (2, 5, 5, True),
    (3, 40, 40, True),
])
def test_collective_is_five_or_more_people(named: int, headcount: int | None, count: int,
                                           collective: bool) -> None:
    events = run(register(channel=Channel.LETTER, petitioners=people(named),
                          headcount=headcount))
    state = current_state(events)
    assert state.petitioner_count == count
    assert state.collective is collective


def test_headcount_cannot_be_below_the_named_petitioners() -> None:
    refused([], register(petitioners=people(3), headcount=2), "headcount-below-named-petitioners")


def test_a_joint_visit_may_send_five_representatives() -> None:
    events = run(register(petitioners=people(2), headcount=30, representatives=5))
    assert current_state(events).collective is True


@pytest.mark.parametrize(("representatives", "rule"), [
    (6, "at-most-5-representatives"),
    (0, "representatives-at-least-1"),
])
def test_representatives_are_between_one_and_five(representatives: int, rule: str) -> None:
    refused([], register(petitioners=people(2), headcount=30, representatives=representatives),
            rule)


def test_representatives_cannot_outnumber_the_people() -> None:
    refused([], register(petitioners=people(2), representatives=3),
            "representatives-exceed-petitioners")


@pytest.mark.parametrize("channel", [Channel.VISIT, Channel.RECEPTION_DAY])
def test_more_than_five_visiting_together_must_choose_representatives(channel: Channel) -> None:
    refused([], register(channel=channel, petitioners=people(6)),
            "collective-visit-needs-representatives")


def test_five_visitors_need_no_representatives_and_a_joint_letter_never_does() -> None:
    assert current_state(run(register(petitioners=people(5)))).collective
    assert current_state(run(register(channel=Channel.LETTER, petitioners=people(6)))).collective
