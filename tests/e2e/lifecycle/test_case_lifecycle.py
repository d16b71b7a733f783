"""The life of a case through the four services as processes, on one simulated clock, with two
accountability instances. Each scenario checks the events, the clocks and reporting's view at
every step. The clock only goes forward, so the scenarios run in this order and each jumps it
as far as it needs (2 March 2026 to October 2026)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from casebus.domain.clock_condition import local_iso
from casebus.domain.deadlines import CHINA_TZ, DayCount, Limit, due_at
from casebus.domain.extension_rules import extended_due
from casebus.domain.national_calendar import national_calendar
from tests.e2e.lifecycle.office import Office, petition

pytestmark = pytest.mark.e2e
CALENDAR = national_calendar("chaoyang")
BREACHED = "petition.clock.breached.v1"
WARNED = "petition.clock.warned.v1"


def registered_and_assigned(office: Office, body: dict[str, object], unit: str) -> str:
    case_id = office.register(body)
    view = office.until_view(case_id, lambda v: v["assignment"]["status"] == "assigned"
                             and v["stage"] == "registered", "registered and assigned")
    assert view["unit_id"] == unit
    office.until_clock(case_id, "notify-acceptance", lambda c: c["phase"] == "running",
                       "acceptance clock running")
    office.until_clock(case_id, "register-and-forward",
                       lambda c: c["phase"] == "stopped" and c["outcome"] == "forwarded",
                       "forwarding clock stopped once assigned")
    return case_id


def accepted(office: Office, case_id: str, unit: str) -> dict[str, object]:
    """The unit accepts; returns the handle-and-answer clock once it runs."""
    office.do("routing", f"/assignments/{case_id}/acceptance", office.unit(unit))
    office.until_clock(case_id, "notify-acceptance",
                       lambda c: c["phase"] == "stopped" and c["on_time"], "acceptance in time")
    clock = office.until_clock(case_id, "handle-and-answer", lambda c: c["phase"] == "running",
                               "the 60 days run")
    office.until(lambda: office.intake_state(case_id)["accepting_unit"] == unit, 30,
                 "intake knows which unit accepted")
    return clock


def breaches(office: Office, case_id: str, clock_id: str) -> int:
    return sum(1 for e in office.view(case_id)["events"]
               if e["type"] == BREACHED and e["data"]["clock_id"] == clock_id)


def test_4_not_accepted_litigation_and_a_report_transferred(office: Office) -> None:
    case_id = registered_and_assigned(office, petition(
        "Deposit withheld by the landlord after the court hearing", category="neighbourhood",
        community="Zhilizhuang", name="Qian Lei", phone="13900000041"), "zhilizhuang-committee")
    answer = office.do("intake", f"/petitions/{case_id}/non-acceptance", office.clerk,
                       {"reason": "litigation",
                        "explanation": "The deposit dispute is before the district court."})
    assert answer["state"]["guided_to"] == "people's court"
    # Concluded everywhere: the assignment closed and every clock stopped (each service
    # learns it from the events, so wait for all of them).
    office.until_view(case_id, lambda v: v["stage"] == "not-accepted"
                      and v["assignment"]["status"] == "closed"
                      and all(c["phase"] == "stopped" for c in v["clocks"]),
                      "concluded everywhere")
    assert "petition.case.not-accepted.v1" in office.types(case_id)

    accuser = {"name": "Zhou Min", "phone": "13900000042", "id_number": "110105198001010042",
               "address": "Yashiyuan 9-1-502"}
    body = petition("Community director takes money for parking permits", category="conduct",
                    community="Yashiyuan", matter_kind="report")
    body["petitioners"] = [accuser]
    body["description"] = "Zhou Min (13900000042) saw the director take cash on 1 March."
    report = office.register(body)
    view = office.until_view(report, lambda v: v["stage"] == "transferred-to-discipline-"
                             "inspection", "transferred")
    assert view["assignment"]["status"] is None  # routing does not route reports
    readable = [office.get("reporting", f"/cases/{report}"),
                office.get("intake", f"/petitions/{report}", office.clerk),
                office.get("intake", f"/petitions/{report}"),  # the leader
                office.get("accountability", f"/cases/{report}/clocks")]
    office.get("reporting", f"/cases/{report}", office.unit("yashiyuan-committee"), expect=404)
    for answer_ in readable:
        text = str(answer_)
        for secret in accuser.values():
            assert secret not in text, f"the accuser's {secret!r} was readable"


def test_5_a_repeat_petition_merged_then_unmerged(office: Office) -> None:
    person = {"name": "Sun Hao", "phone": "13900000051"}
    first = registered_and_assigned(office, petition(
        "Charging points for electric bikes", category="parking", community="Zhilizhuang",
        **person), "urban-management")
    repeat = office.register(petition("Charging points for electric bikes", category="parking",
                                      community="Zhilizhuang", **person))
    office.until(lambda: office.intake_state(repeat)["pending_repeat_of"] == first, 30,
                 "the repeat is suggested")
    pending = office.get("intake", "/repeat-suggestions", office.clerk)["suggestions"]
    assert any(s["case_id"] == repeat and s["repeat_of"] == first for s in pending)
    confirmed = office.do("intake", f"/petitions/{repeat}/repeat-suggestion/confirmation",
                          office.clerk)
    assert confirmed["merged"] is True
    view = office.until_view(repeat, lambda v: v["stage"] == "merged"
                             and v["assignment"]["status"] == "closed"
                             and all(c["phase"] == "stopped" for c in v["clocks"]),
                             "merged, its assignment closed and its clocks stopped")
    assert view["merged_into"] == first
    office.do("intake", f"/petitions/{repeat}/unmerge", office.clerk,
              {"reason": "A different building: the clerk merged it by mistake."})
    office.until_view(repeat, lambda v: v["stage"] == "registered"
                      and v["assignment"]["status"] == "assigned", "handled again")
    assert "petition.case.reopened.v1" in office.types(repeat)
    # A new acceptance clock for the unit it was reopened to; the old one stays stopped.
    office.until(lambda: [c["phase"] for c in office.clocks_by_kind(repeat)[
        "notify-acceptance"]] == ["stopped", "running"], 60, "a new acceptance clock")
    assert office.view(first)["stage"] == "registered"


def test_1_accepted_answered_delivered_evaluated_closed(office: Office) -> None:
    case_id = registered_and_assigned(office, petition(
        "Gas supply never connected since completion", category="gas", community="Dingjia",
        name="Li Xiuying", phone="13900000011"), "gas-company")
    gas = office.unit("gas-company")
    mine = office.get("reporting", "/my-cases", gas)
    assert case_id in [c["case_id"] for c in mine["cases"]]
    helping = office.get("reporting", "/my-cases", office.unit("dingjia-committee"))
    assert {c["case_id"]: c["role"] for c in helping["cases"]}[case_id] == "assisting"
    office.get("reporting", f"/cases/{case_id}", office.unit("urban-management"), expect=404)

    clock = accepted(office, case_id, "gas-company")
    routing = office.assignment(case_id)
    ours = office.clock(case_id, "handle-and-answer")
    # One computation, one format: routing, accountability and reporting show the same instant.
    assert routing["answer_due"] == ours["due_at"] == clock["due_at"]
    accepted_at = datetime.fromisoformat(str(routing["accepted_at"]))
    assert ours["due_at"] == local_iso(due_at(accepted_at, Limit(60, DayCount.CALENDAR),
                                              CALENDAR))

    office.do("intake", f"/petitions/{case_id}/answer", gas,
              {"outcome": "support", "summary": "Building 3 is connected by 30 June."})
    office.until_clock(case_id, "handle-and-answer",
                       lambda c: c["phase"] == "stopped" and c["on_time"] is True, "answered")
    office.do("intake", f"/petitions/{case_id}/delivery", office.clerk)
    for evaluator in ("petition-office", "responsible-unit"):
        office.do("intake", f"/petitions/{case_id}/evaluations", office.clerk,
                  {"evaluator": evaluator, "satisfaction": "satisfied"})
    office.until_view(case_id, lambda v: v["stage"] == "evaluated", "evaluated")
    assert office.refused("intake", f"/petitions/{case_id}/closure",
                          office.clerk) == "close-before-review-window-ends"
    office.advance(days=31)
    office.do("intake", f"/petitions/{case_id}/closure", office.clerk)
    office.until_view(case_id, lambda v: v["stage"] == "closed"
                      and v["assignment"]["status"] == "closed"
                      and all(c["phase"] == "stopped" for c in v["clocks"]), "closed everywhere")
    lifecycle = [t for t in office.types(case_id) if t.startswith("petition.case.")]
    assert lifecycle.index("petition.case.registered.v2") < lifecycle.index(
        "petition.case.assigned.v1") < lifecycle.index("petition.case.accepted.v1") < \
        lifecycle.index("petition.case.answered.v1") < lifecycle.index(
        "petition.case.answer-delivered.v1") < lifecycle.index("petition.case.closed.v1")
    office.get("reporting", "/my-cases", gas)  # a closed case leaves the unit's list
    assert case_id not in [c["case_id"] for c in office.get("reporting", "/my-cases",
                                                            gas)["cases"]]


def test_3_review_then_reexamination_with_a_two_day_hearing(office: Office) -> None:
    case_id = registered_and_assigned(office, petition(
        "Resettlement after the demolition policy changed", category="demolition",
        community="Dingjia", name="Wang Fang", phone="13900000031"), "housing-construction")
    accepted(office, case_id, "housing-construction")
    office.do("intake", f"/petitions/{case_id}/answer", office.unit("housing-construction"),
              {"outcome": "not-support", "summary": "The 2016 policy applies to the flat."})
    office.do("intake", f"/petitions/{case_id}/delivery", office.clerk)
    office.advance(days=3)
    office.do("intake", f"/petitions/{case_id}/review", office.clerk,
              {"reason": "The policy of 2016 did not cover flats built before 2010."})
    review = office.until_clock(case_id, "review-decision", lambda c: c["phase"] == "running",
                                "the 30 days of the review run")
    office.do("intake", f"/petitions/{case_id}/review/decision", office.clerk,
              {"reviewing_body": "Beiyuan Street Office", "outcome": "upheld",
               "summary": "The answer stands."})
    office.until_clock(case_id, "review-decision",
                       lambda c: c["phase"] == "stopped" and c["on_time"], "decided in time")
    office.do("intake", f"/petitions/{case_id}/review/decision/delivery", office.clerk)
    office.advance(days=2)
    office.do("intake", f"/petitions/{case_id}/reexamination", office.clerk,
              {"reason": "The street office did not look at the 2009 certificate."})
    before = office.until_clock(case_id, "reexamination-decision",
                                lambda c: c["phase"] == "running", "re-examination runs")
    office.advance(days=1)  # the hearing starts the next day (the start day never counts)
    office.do("intake", f"/petitions/{case_id}/reexamination/hearing", office.clerk)
    office.until_clock(case_id, "reexamination-decision", lambda c: c["phase"] == "paused",
                       "paused for the hearing")
    office.advance(days=2)
    office.do("intake", f"/petitions/{case_id}/reexamination/hearing/end", office.clerk)
    after = office.until_clock(case_id, "reexamination-decision",
                               lambda c: c["phase"] == "running", "running again")
    ours = office.clock(case_id, "reexamination-decision")
    assert ours["days_not_counted"] == 2
    # Two hearing days not counted: the last day moves two days later (here onto Saturday
    # 9 May 2026, a make-up working day, so it does not roll further).
    assert datetime.fromisoformat(after["due_at"]) == \
        datetime.fromisoformat(before["due_at"]) + timedelta(days=2)
    office.do("intake", f"/petitions/{case_id}/reexamination/decision", office.clerk,
              {"reexamining_body": "Chaoyang District Petition Bureau", "outcome": "revised",
               "summary": "Resettlement follows the 2009 certificate."})
    office.until_view(case_id, lambda v: v["stage"] == "final", "final")
    decided = office.until_clock(case_id, "reexamination-decision",
                                 lambda c: c["phase"] == "stopped", "decided")
    assert decided["on_time"] is True
    assert review["clock_id"] != decided["clock_id"]


def test_6_a_supervision_order_whose_deadline_passes_is_breached_once(office: Office) -> None:
    case_id = registered_and_assigned(office, petition(
        "Access control blocks visitors", category="access-control", community="Yashiyuan",
        name="Chen Jing", phone="13900000061"), "yashiyuan-committee")
    accepted(office, case_id, "yashiyuan-committee")
    order = office.do("routing", f"/assignments/{case_id}/supervision-orders", office.leader,
                      {"instructions": "Report how visitors will be let in, within 3 days.",
                       "limit_days": 3, "day_count": "working"})
    clock = office.until_clock(case_id, "supervision", lambda c: c["phase"] == "running",
                               "the supervision clock runs")
    assert clock["due_at"] == order["due"]
    office.advance_to(datetime.fromisoformat(order["due"]) - timedelta(hours=1))
    office.until_clock(case_id, "supervision", lambda c: c["warned"], "warned before due")
    assert breaches(office, case_id, clock["clock_id"]) == 0
    office.advance(hours=2)
    office.until_clock(case_id, "supervision", lambda c: c["breached"], "breached")
    time.sleep(2.0)  # several passes of both accountability instances
    assert breaches(office, case_id, str(clock["clock_id"])) == 1
    warned = [e for e in office.view(case_id)["events"]
              if e["type"] == WARNED and e["data"]["clock_id"] == clock["clock_id"]]
    assert len(warned) == 1


def test_2_returned_rerouted_extended_answered_late_breached_once(office: Office) -> None:
    case_id = registered_and_assigned(office, petition(
        "Electric-vehicle parking and charging", category="parking", community="Zhilizhuang",
        name="Zhang Wei", phone="13900000021"), "urban-management")
    office.advance(days=2)
    office.do("routing", f"/assignments/{case_id}/return", office.unit("urban-management"),
              {"reason": "Parking in the compound is the property company's remit."})
    office.until_view(case_id, lambda v: v["unit_id"] == "beiyuan-petition-office"
                      and v["assignment"]["status"] == "assigned", "re-routed")
    assert "petition.case.rerouted.v1" in office.types(case_id)
    office.get("reporting", f"/cases/{case_id}", office.unit("urban-management"))  # held it
    office.do("routing", f"/assignments/{case_id}/acceptance", office.leader, expect=403)
    clock = accepted(office, case_id, "beiyuan-petition-office")
    office.advance(days=50)
    office.do("routing", f"/assignments/{case_id}/extension-request",
              office.unit("beiyuan-petition-office"),
              {"days": 30, "reason": "The property company changes hands next month."})
    office.do("routing", f"/assignments/{case_id}/extension-request/approval", office.leader,
              {"approver": "Director Zhao"})
    routing = office.assignment(case_id)
    extended = office.until_clock(case_id, "handle-and-answer", lambda c: c["due_at"] ==
                                  routing["answer_due"], "the clock extended")
    accepted_at = datetime.fromisoformat(str(routing["accepted_at"]))
    assert extended["due_at"] == local_iso(extended_due(
        accepted_at, Limit(60, DayCount.CALENDAR), 30, CALENDAR))
    assert extended["clock_id"] == clock["clock_id"]
    office.advance_to(datetime.fromisoformat(extended["due_at"]) + timedelta(hours=3))
    office.until_clock(case_id, "handle-and-answer", lambda c: c["breached"], "breached")
    office.do("intake", f"/petitions/{case_id}/answer", office.unit("beiyuan-petition-office"),
              {"outcome": "explain", "summary": "Charging points come with the new company."})
    office.until_clock(case_id, "handle-and-answer",
                       lambda c: c["phase"] == "stopped" and c["on_time"] is False,
                       "answered late")
    time.sleep(1.5)
    assert breaches(office, case_id, str(clock["clock_id"])) == 1


def test_7_the_national_day_week_counts_make_up_working_days(office: Office) -> None:
    office.advance_to(datetime(2026, 9, 28, 9, 0, tzinfo=CHINA_TZ))  # Monday before the week
    case_id = registered_and_assigned(office, petition(
        "Rubbish piling up behind building 7", category="environment", community="Zhilizhuang",
        name="Liu Yang", phone="13900000071"), "urban-management")
    routing = office.assignment(case_id)
    # 5 working days: 29, 30 September; 1-7 October are holidays; 8, 9 and Saturday 10
    # October (a make-up working day) -> the return window closes at the end of 10 October.
    assert routing["return_deadline"] == "2026-10-11T00:00:00+08:00"
    # 15 days end on Tuesday 13 October, a working day.
    assert routing["acceptance_due"] == "2026-10-14T00:00:00+08:00"
    assert office.clock(case_id, "notify-acceptance")["due_at"] == routing["acceptance_due"]
    office.advance_to(datetime(2026, 10, 11, 10, 0, tzinfo=CHINA_TZ))
    assert office.refused("routing", f"/assignments/{case_id}/return",
                          office.unit("urban-management"),
                          {"reason": "Not ours."}) == "return-within-5-working-days"
