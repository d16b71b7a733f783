"""The key-case ledger's decider and totals: entered once, a plan before the resolution, resolved
once, nothing after; totals per month, quarter and year in local time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casebus.domain.deadlines import CHINA_TZ
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from services.accountability.domain import key_case_ledger as ledger
from services.accountability.domain.key_case_totals import (
    BadPeriod,
    LedgerEntry,
    is_open_long,
    period_named,
    totals,
)

AT = datetime(2026, 3, 10, 9, tzinfo=CHINA_TZ)
KEY = {"district": "chaoyang", "case_id": "gas-1"}
ENTER = ledger.EnterKeyCase(at=AT, reason=ledger.EntryReason.FLAGGED_BY_LEADER,
                            evidence="ten-year-old resettlement", flagged_by="leader-zhao", **KEY)
PLAN = ledger.SetPlan(at=AT, plan="re-issue certificates", leader_in_charge="Zhao", by="l:zhao",
                      **KEY)
NOTE = ledger.NoteProgress(at=AT, note="met the owners", by="l:zhao", **KEY)
RESOLVE = ledger.Resolve(at=AT, outcome="certificates re-issued", by="l:zhao", **KEY)


def run(*commands: ledger.EnterKeyCase | ledger.SetPlan | ledger.NoteProgress | ledger.Resolve
        ) -> list[DomainEvent]:
    history: list[DomainEvent] = []
    for command in commands:
        history += ledger.decide(ledger.state_of(history), command)
    return history


def refused(history: list[DomainEvent], command: ledger.EnterKeyCase | ledger.SetPlan |
            ledger.NoteProgress | ledger.Resolve) -> str:
    with pytest.raises(DomainRuleViolation) as refusal:
        ledger.decide(ledger.state_of(history), command)
    return refusal.value.rule


def test_a_case_enters_with_its_reason_and_evidence_once() -> None:
    [entered] = run(ENTER)
    assert isinstance(entered, ledger.KeyCaseEntered)
    assert (entered.reason, entered.evidence, entered.flagged_by) == (
        "flagged-by-leader", "ten-year-old resettlement", "leader-zhao")
    assert refused([entered], ENTER) == "key-case-entered-once"


def test_plan_progress_and_resolution_are_kept_in_order() -> None:
    case = ledger.state_of(run(ENTER, PLAN, NOTE, NOTE, RESOLVE))
    assert case.plan is not None and case.plan.leader_in_charge == "Zhao"
    assert [p.note for p in case.progress] == ["met the owners"] * 2
    assert case.resolved is not None and case.resolved.outcome == "certificates re-issued"


def test_refusals_name_their_rule() -> None:
    assert refused([], PLAN) == "key-case-must-be-entered"
    assert refused(run(ENTER), RESOLVE) == "plan-before-resolution"
    resolved = run(ENTER, PLAN, RESOLVE)
    assert [refused(resolved, c) for c in (RESOLVE, NOTE, PLAN)] == ["resolve-once"] * 3


def test_a_plan_set_again_revises_it() -> None:
    revised = PLAN.model_copy(update={"plan": "a second plan"})
    case = ledger.state_of(run(ENTER, PLAN, revised))
    assert case.plan is not None and case.plan.plan == "a second plan"


def test_periods_by_name_in_local_time() -> None:
    march = period_named("2026-03", CHINA_TZ)
    assert (march.start, march.end) == (datetime(2026, 3, 1, tzinfo=CHINA_TZ),
                                        datetime(2026, 4, 1, tzinfo=CHINA_TZ))
    assert period_named("2026-Q2", CHINA_TZ).end == datetime(2026, 7, 1, tzinfo=CHINA_TZ)
    assert period_named("2026", CHINA_TZ).end == datetime(2027, 1, 1, tzinfo=CHINA_TZ)
    for bad in ("2026-13", "2026-Q5", "26", "2026-03\n", "1999", "2026-3"):
        with pytest.raises(BadPeriod):
            period_named(bad, CHINA_TZ)


def test_totals_count_entered_resolved_and_open_at_the_end_by_reason() -> None:
    flagged, open_long = ledger.EntryReason.FLAGGED_BY_LEADER, ledger.EntryReason.OPEN_LONG
    # 23:30 on 31 March local is still March, though it is 15:30 UTC the same day.
    late_march = datetime(2026, 3, 31, 23, 30, tzinfo=CHINA_TZ)
    entries = [LedgerEntry("a", flagged, datetime(2026, 2, 1, tzinfo=CHINA_TZ), late_march),
               LedgerEntry("b", open_long, AT, None),
               LedgerEntry("c", open_long, AT, late_march + timedelta(hours=1))]
    march = totals(entries, period_named("2026-03", CHINA_TZ))
    assert march["entered"] == {"all": 2, "open-long": 2, "petitioned-many-times": 0,
                                "flagged-by-leader": 0}
    assert (march["resolved"]["all"], march["resolved"]["flagged-by-leader"]) == (1, 1)
    assert (march["open_at_end"]["all"], march["open_at_end"]["open-long"]) == (2, 2)
    quarter = totals(entries, period_named("2026-Q2", CHINA_TZ))
    assert (quarter["entered"]["all"], quarter["resolved"]["all"],
            quarter["open_at_end"]["all"]) == (0, 1, 1)


def test_open_long_is_strictly_more_than_the_threshold() -> None:
    assert not is_open_long(AT, AT + timedelta(days=90), 90)
    assert is_open_long(AT, AT + timedelta(days=90, seconds=1), 90)
