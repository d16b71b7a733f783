"""Reporting's own rules, without a database: the stage mapping, aging, urgency."""

from __future__ import annotations

import pytest

from casebus.domain.clock_condition import ClockCondition
from services.reporting.domain.aging import AGING_BUCKETS, age_in_days, aging_bucket
from services.reporting.domain.stages import CONCLUDED, STAGE_AFTER, CaseStage, is_concluded
from services.reporting.domain.urgency import Urgency, case_urgency
from tests.integration.reporting.events import local


def test_every_stage_is_reached_by_some_intake_event() -> None:
    assert set(STAGE_AFTER.values()) == set(CaseStage)
    assert STAGE_AFTER["petition.case.unmerged.v1"] is CaseStage.REGISTERED
    assert "petition.case.unit-acceptance-recorded.v1" not in STAGE_AFTER


@pytest.mark.parametrize("stage", list(CaseStage))
def test_only_the_terminal_stages_conclude_a_case(stage: CaseStage) -> None:
    terminal = {"not-accepted", "transferred-to-discipline-inspection", "merged", "closed",
                "withdrawn"}
    assert is_concluded(stage) is (stage.value in terminal)
    assert (stage in CONCLUDED) is (stage.value in terminal)


def test_age_counts_local_calendar_days() -> None:
    registered = local(2026, 3, 3, 23, 30)
    assert age_in_days(registered, local(2026, 3, 4, 0, 10)) == 1  # next local day
    assert age_in_days(registered, local(2026, 3, 10, 23, 59)) == 7


@pytest.mark.parametrize(("days", "label"), [
    (-1, "0-7"), (0, "0-7"), (7, "0-7"), (8, "8-15"), (15, "8-15"), (16, "16-30"),
    (30, "16-30"), (31, "31-60"), (60, "31-60"), (61, ">60"), (4000, ">60")])
def test_aging_buckets_cover_every_age_once(days: int, label: str) -> None:
    assert aging_bucket(days) == label
    assert sum(b.holds(max(days, 0)) for b in AGING_BUCKETS) == 1


def test_a_case_counts_under_its_most_pressing_clock() -> None:
    c = ClockCondition
    assert case_urgency([c.RUNNING, c.DUE_SOON, c.OVERDUE]) is Urgency.OVERDUE
    assert case_urgency([c.PAUSED, c.DUE_SOON, None]) is Urgency.DUE_SOON
    assert case_urgency([c.STOPPED, c.PAUSED]) is Urgency.OPEN
    assert case_urgency([]) is Urgency.OPEN
