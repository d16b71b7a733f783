"""Public events fold into the CaseRecord that rates count, in any cross-topic order."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import permutations

from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.domain.deadlines import CHINA_TZ
from casebus.domain.evaluation import Satisfaction

T0 = datetime(2026, 3, 2, 9, tzinfo=CHINA_TZ)
EVENTS = [  # (wire type, minutes after T0, data)
    ("petition.case.registered.v1", 0, {"category": "gas", "community": "Dingjia",
                                        "collective": True}),
    ("petition.case.assigned.v1", 5, {"unit_id": "gas-company",
                                      "acceptance_due": "2026-03-18T00:00:00+08:00"}),
    ("petition.case.accepted.v1", 60, {"unit_id": "gas-company",
                                       "answer_due": "2026-05-02T00:00:00+08:00"}),
    ("petition.case.extension-approved.v1", 90, {"answer_due": "2026-06-01T00:00:00+08:00"}),
    ("petition.case.answered.v1", 120, {"unit_id": "gas-company", "outcome": "support"}),
    ("petition.case.evaluated.v1", 130, {"evaluator": "responsible-unit",
                                         "satisfaction": "basically-satisfied"}),
    ("petition.case.closed.v1", 200, {}),
]


def fold(events: list[tuple[str, int, dict[str, object]]]):  # type: ignore[no-untyped-def]
    record = empty_record("c1", "chaoyang", T0)
    for wire_type, minutes, data in events:
        record = fold_event(record, wire_type, T0 + timedelta(minutes=minutes), data)
    return record


def test_a_case_through_its_life() -> None:
    r = fold(EVENTS)
    assert (r.category, r.community, r.unit_id, r.is_collective) == (
        "gas", "Dingjia", "gas-company", True)
    assert r.accepted_at == T0 + timedelta(minutes=60)
    assert r.answer_due == datetime(2026, 6, 1, tzinfo=CHINA_TZ)  # after the extension
    assert r.answered_at == T0 + timedelta(minutes=120)
    assert r.unit_evaluation is Satisfaction.BASICALLY_SATISFIED
    assert r.closed_at == T0 + timedelta(minutes=200)


def test_topics_in_any_relative_order_give_the_same_record() -> None:
    intake = [e for e in EVENTS if e[0].split(".")[2] in
              ("registered", "answered", "evaluated", "closed")]
    routing = [e for e in EVENTS if e not in intake]
    expected = fold(EVENTS)
    for first, second in permutations([intake, routing]):
        assert fold(first + second) == expected


def test_a_report_is_not_counted_and_a_reclassified_claim_is() -> None:
    assert counts([("petition.case.registered.v1", {"matter_kind": "claim"})])
    assert not counts([("petition.case.registered.v1", {"matter_kind": "report"})])
    assert not counts([("petition.case.registered.v1", {}),
                       ("petition.case.reclassified.v1", {"to_kind": "report"})])


def test_a_case_concluded_before_any_unit_accepted_is_no_late_acceptance() -> None:
    for conclusion in ("merged", "not-accepted", "withdrawn"):
        r = fold([*EVENTS[:2], (f"petition.case.{conclusion}.v1", 30, {})])
        assert r.acceptance_due is None and r.accepted_at is None, conclusion
    merged_after_acceptance = fold([*EVENTS[:3], ("petition.case.merged.v1", 70, {})])
    assert merged_after_acceptance.acceptance_due is not None  # accepted: it stays counted


def test_a_reopening_read_before_the_merge_keeps_its_deadline() -> None:
    reopened = ("petition.case.reopened.v1", 90, {"unit_id": "gas-company",
                                                   "acceptance_due": "2026-03-20T00:00:00+08:00"})
    merged = ("petition.case.merged.v1", 30, {})
    r = fold([*EVENTS[:2], reopened, merged])  # routing's topic read ahead of intake's
    assert r.acceptance_due == datetime(2026, 3, 20, tzinfo=CHINA_TZ)
