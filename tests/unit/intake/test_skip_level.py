from __future__ import annotations

from dataclasses import replace

import pytest

from services.intake.domain import current_state
from services.intake.domain.facts import Level
from services.intake.domain.skip_level import is_skip_level, skip_level_from_history

from .scenario import register, run
from .test_repeat import EARLIER, NEW


@pytest.mark.parametrize(("brought_to", "responsible", "answered", "skip"), [
    (Level.DISTRICT, Level.STREET, False, True),
    (Level.DISTRICT, Level.COMMUNITY, False, True),
    (Level.STREET, Level.COMMUNITY, False, True),
    (Level.DISTRICT, Level.STREET, True, False),  # going up after an answer is a review
    (Level.STREET, Level.STREET, False, False),
    (Level.COMMUNITY, Level.STREET, False, False),
])
def test_skip_level(brought_to: Level, responsible: Level, answered: bool, skip: bool) -> None:
    assert is_skip_level(brought_to, responsible, answered) is skip


def test_registration_records_the_skip_level_flag() -> None:
    skipped = run(register(level=Level.DISTRICT, responsible_level=Level.STREET))
    assert current_state(skipped).skip_level is True
    after_answer = run(register(level=Level.DISTRICT, responsible_level=Level.STREET,
                                answered_at_responsible_level=True))
    assert current_state(after_answer).skip_level is False
    unknown = run(register(level=Level.DISTRICT))
    assert current_state(unknown).skip_level is False


def test_skip_level_is_derived_from_the_cases_before() -> None:
    at_district = replace(NEW, level=Level.DISTRICT)
    unanswered_at_street = EARLIER
    assert skip_level_from_history(at_district, Level.STREET, [unanswered_at_street])
    answered_at_street = replace(EARLIER, answered=True, open=False)
    assert not skip_level_from_history(at_district, Level.STREET, [answered_at_street])
    answered_at_community = replace(answered_at_street, level=Level.COMMUNITY)
    assert skip_level_from_history(at_district, Level.STREET, [answered_at_community])
    someone_else = replace(answered_at_street, petitioner_ids=frozenset({"p-9"}))
    assert skip_level_from_history(at_district, Level.STREET, [someone_else])
