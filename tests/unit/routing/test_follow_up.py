"""Progress notes by the holding unit; the key-case flag by a leader, once per case."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.routing.domain.assignment import decide
from services.routing.domain.commands import (
    AcceptCase,
    CloseAssignment,
    FlagAsKeyCase,
    NoteProgress,
    ReturnCase,
)
from services.routing.domain.events import CaseFlaggedAsKey, ProgressNoted

from .builders import CALENDAR, CASE, DISTRICT, POLICY, assign, given, local
from .refusals import assert_refused

T0 = local(2026, 3, 2)
ACCEPTED = (assign(T0), AcceptCase(case_id=CASE, district=DISTRICT, unit_id="gas-company",
                                   at=T0 + timedelta(days=1)))


def note(unit: str = "gas-company", at: datetime = T0 + timedelta(days=2)) -> NoteProgress:
    return NoteProgress(case_id=CASE, district=DISTRICT, unit_id=unit,
                        note="pipes surveyed; connection scheduled", at=at)


def flag(at: datetime = T0 + timedelta(days=2)) -> FlagAsKeyCase:
    return FlagAsKeyCase(case_id=CASE, district=DISTRICT, flagged_by="leader-zhao",
                         reason="ten years unresolved", at=at)


def test_the_holding_unit_notes_progress_and_the_notes_are_kept_in_order():
    [event] = decide(given(*ACCEPTED), note(), CALENDAR, POLICY)
    assert isinstance(event, ProgressNoted)
    assert (event.unit_id, event.note) == ("gas-company", "pipes surveyed; connection scheduled")
    state = given(*ACCEPTED, note(), note(at=T0 + timedelta(days=3)))
    assert [n.at for n in state.progress_notes] == [T0 + timedelta(days=2),
                                                   T0 + timedelta(days=3)]


def test_only_the_holding_unit_notes_progress_and_not_on_a_returned_case():
    assert_refused(given(*ACCEPTED), note(unit="housing"), "only-assigned-unit-may-act")
    returned = given(assign(T0), ReturnCase(case_id=CASE, district=DISTRICT,
                                            unit_id="gas-company", reason="not ours",
                                            at=T0 + timedelta(days=1)))
    assert_refused(returned, note(), "progress-only-while-held")
    closed = given(*ACCEPTED, CloseAssignment(case_id=CASE, district=DISTRICT, reason="done",
                                              at=T0 + timedelta(days=2)))
    assert_refused(closed, note(), "no-change-after-closing")


def test_a_case_is_flagged_as_key_once():
    [event] = decide(given(assign(T0)), flag(), CALENDAR, POLICY)
    assert isinstance(event, CaseFlaggedAsKey)
    assert (event.flagged_by, event.reason) == ("leader-zhao", "ten years unresolved")
    state = given(assign(T0), flag())
    assert state.key_flag is not None and state.key_flag.flagged_by == "leader-zhao"
    assert_refused(state, flag(at=T0 + timedelta(days=3)), "key-case-flagged-once")
