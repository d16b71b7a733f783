from __future__ import annotations

from dataclasses import replace

import pytest

from services.intake.domain import current_state
from services.intake.domain.facts import Level
from services.intake.domain.repeat import CaseFacts, suggest_repeat

from .scenario import at, register, run

EARLIER = CaseFacts(
    case_id="case-0", district="beiyuan", petitioner_ids=frozenset({"p-1"}), category="gas",
    community="Dingjia", location=None, subject="gas supply never connected",
    level=Level.STREET, registered_at=at(2024, 1, 5), open=True, answered=False,
)
NEW = replace(EARLIER, case_id="case-1", registered_at=at(2024, 3, 1))


def test_same_person_same_matter_is_suggested_as_a_repeat() -> None:
    suggestion = suggest_repeat(NEW, [EARLIER])
    assert suggestion is not None
    assert suggestion.repeat_of == "case-0" and suggestion.matched_petitioner_ids == ("p-1",)


def test_same_matter_from_another_person_is_not_a_repeat() -> None:
    assert suggest_repeat(replace(NEW, petitioner_ids=frozenset({"p-9"})), [EARLIER]) is None


@pytest.mark.parametrize("change", [
    {"category": "property"},
    {"subject": "gas price too high"},
    {"community": "Zhilizhuang"},
    {"district": "haidian"},
])
def test_another_matter_is_not_a_repeat(change: dict[str, str]) -> None:
    assert suggest_repeat(replace(NEW, **change), [EARLIER]) is None  # type: ignore[arg-type]


def test_locations_decide_when_both_cases_have_one() -> None:
    building_3 = replace(EARLIER, location="Building 3")
    assert suggest_repeat(replace(NEW, location="building  3"), [building_3]) is not None
    assert suggest_repeat(replace(NEW, location="Building 4"), [building_3]) is None
    assert suggest_repeat(NEW, [building_3]) is not None  # no location: the community decides


def test_case_and_spacing_typed_by_clerks_do_not_matter() -> None:
    assert suggest_repeat(replace(NEW, subject=" Gas supply  NEVER connected"), [EARLIER])


def test_one_shared_member_makes_a_group_petition_a_repeat() -> None:
    group = replace(NEW, petitioner_ids=frozenset({"p-1", "p-2", "p-3", "p-4", "p-5"}))
    suggestion = suggest_repeat(group, [EARLIER])
    assert suggestion is not None and suggestion.matched_petitioner_ids == ("p-1",)


def test_only_open_or_answered_cases_are_repeated() -> None:
    finished_unanswered = replace(EARLIER, open=False, answered=False)  # withdrawn, not accepted
    assert suggest_repeat(NEW, [finished_unanswered]) is None
    closed_answered = replace(EARLIER, open=False, answered=True)
    assert suggest_repeat(NEW, [closed_answered]) is not None
    assert suggest_repeat(NEW, [NEW]) is None  # never itself


def test_an_open_case_is_preferred_then_the_latest() -> None:
    old_open = replace(EARLIER, case_id="old-open", registered_at=at(2023, 6, 1))
    new_closed = replace(EARLIER, case_id="new-closed", open=False, answered=True)
    later_open = replace(EARLIER, case_id="later-open", registered_at=at(2024, 2, 1))
    preferred = suggest_repeat(NEW, [new_closed, old_open])
    assert preferred is not None and preferred.repeat_of == "old-open"
    best = suggest_repeat(NEW, [old_open, later_open, new_closed])
    assert best is not None and best.repeat_of == "later-open"


def test_a_registered_case_gives_its_own_facts() -> None:
    facts = current_state(run(register(location="Building 3"))).facts()
    assert facts.petitioner_ids == {"p-1"} and facts.location == "Building 3" and facts.open
    assert suggest_repeat(replace(facts, case_id="case-2"), [facts]) is not None
