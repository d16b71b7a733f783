"""A month of Beiyuan Street through HTTP on the shared simulated clock (after the lifecycle
scenarios, which end in October 2026): petitions across units and communities, a collective
one and a confirmed repeat, acceptances (one late, one never), answers, deliveries,
evaluations and closures. What the services publish — reporting's rates and ranking,
accountability's breaches of responsibility letters — must equal what the pure domain computes
from the same public events, read from the topics and folded with ``case_record_fold``."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.domain.deadlines import CHINA_TZ
from casebus.domain.measured_rate import Rate, RateKind
from casebus.domain.rankings import RankBy, RankingWeights, rank
from casebus.domain.rates import measure
from casebus.domain.reporting_period import ReportingPeriod
from services.accountability.domain.letter_assessment import BreachFound, assess_letter
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.domain.responsibility_letter import ResponsibilityLetter
from tests.e2e.lifecycle.office import DISTRICT, Office, petition

pytestmark = pytest.mark.e2e
CASE_EVENT = "petition.case."


# -- driving the street ------------------------------------------------------------------
def assigned(office: Office, body: dict[str, Any]) -> tuple[str, str]:
    case_id = office.register(body)
    view = office.until_view(case_id, lambda v: v["assignment"]["status"] == "assigned",
                             "assigned", timeout=30)
    return case_id, str(view["unit_id"])


def accept(office: Office, case_id: str, unit: str) -> None:
    office.do("routing", f"/assignments/{case_id}/acceptance", office.unit(unit))
    office.until(lambda: office.intake_state(case_id)["accepting_unit"] == unit, 30,
                 f"intake knows {unit} accepted {case_id}")


def answered_and_evaluated(office: Office, case_id: str, unit: str, by_unit: str,
                           by_office: str) -> None:
    office.do("intake", f"/petitions/{case_id}/answer", office.unit(unit),
              {"outcome": "support", "summary": "Fixed by the end of the month."})
    office.do("intake", f"/petitions/{case_id}/delivery", office.clerk)
    for evaluator, rating in (("responsible-unit", by_unit), ("petition-office", by_office)):
        office.do("intake", f"/petitions/{case_id}/evaluations", office.clerk,
                  {"evaluator": evaluator, "satisfaction": rating})


# -- the pure domain over the same events ------------------------------------------------
def records_from_topics(office: Office) -> tuple[dict[str, CaseRecord],
                                                 dict[str, list[tuple[str, datetime,
                                                                      dict[str, Any]]]]]:
    events = office.topic_case_events()
    records = {}
    for case_id, history in events.items():
        record = empty_record(case_id, DISTRICT, history[0][1])
        for wire_type, at, data in history:
            record = fold_event(record, wire_type, at, data)
        if counts([(w, d) for w, _, d in history]):
            records[case_id] = record
    return records, events


def converged(office: Office) -> dict[str, CaseRecord]:
    """Once reporting's timeline of every case holds every case event on the topics, and
    accountability shows every clock reporting shows as reporting shows it: the records."""
    def settled() -> dict[str, CaseRecord] | None:
        records, events = records_from_topics(office)
        for case_id, history in events.items():
            view = office.view(case_id)
            shown = [e for e in view["events"] if e["type"].startswith(CASE_EVENT)]
            if len(shown) != len(history):
                return None
            ours = {c["clock_id"]: c["phase"] for c in
                    office.get("accountability", f"/cases/{case_id}/clocks")["clocks"]}
            if ours != {c["clock_id"]: c["phase"] for c in view["clocks"]}:
                return None
        return records
    records = office.until(settled, 60, "reporting and accountability caught up")
    return records


def rate_triple(rate: Rate) -> tuple[str, int, str | None]:
    value = rate.value
    return str(rate.numerator), rate.denominator, None if value is None else str(value)


def domain_rates(records: dict[str, CaseRecord], period: ReportingPeriod, by: str,
                 weight: Fraction) -> dict[str, dict[str, tuple[str, int, str | None]]]:
    keys = sorted({k for r in records.values()
                   if (k := r.unit_id if by == "unit" else r.community) is not None})
    out = {}
    for key in keys:
        scope = (Scope(district=DISTRICT, unit_id=key) if by == "unit"
                 else Scope(district=DISTRICT, community=key))
        out[key] = {kind.value: rate_triple(measure(kind, records.values(), period, scope,
                                                    weight)) for kind in RateKind}
    return out


def served_rates(office: Office, period: str, by: str
                 ) -> tuple[dict[str, dict[str, tuple[str, int, str | None]]], Fraction]:
    answer = office.get("reporting", f"/rates?period={period}&by={by}&limit=200")
    assert answer["total"] == len(answer["groups"])
    return ({g["key"]: {k: (r["numerator"], r["denominator"], r["value"])
                        for k, r in g["rates"].items()} for g in answer["groups"]},
            Fraction(answer["basically_satisfied_weight"]))


def month(year: int, number: int) -> ReportingPeriod:
    return ReportingPeriod.month(year, number, CHINA_TZ)


def overdue_of(office: Office, records: dict[str, CaseRecord], unit: str,
               period: ReportingPeriod) -> list[str]:
    """The unit's cases with a clock of the unit due in the period that stopped late or is
    open past due (what accountability passes to ``assess_letter``), from reporting's views."""
    overdue = set()
    for case_id in records:
        for c in office.view(case_id)["clocks"]:
            if c["unit_id"] != unit or c["due_at"] is None:
                continue
            due = datetime.fromisoformat(c["due_at"])
            if period.contains(due) and (c["phase"] != "stopped" or c["on_time"] is False):
                overdue.add(case_id)
    return sorted(overdue)


def finding_key(f: BreachFound) -> tuple[object, ...]:
    return (f.unit_id, f.letter_id, f.target.value, f.rate, f.threshold, f.measured,
            tuple(f.case_ids), f.responsible_person, f.period_start)


def test_a_month_of_a_street_equals_the_pure_domain(office: Office) -> None:
    office.advance_to(datetime(2026, 11, 2, 9, tzinfo=CHINA_TZ))  # Monday
    neighbour = {"name": "Feng Lan", "phone": "13900001101"}
    gas_1, gas = assigned(office, petition("No gas pressure in building 5", category="gas",
                                           community="Dingjia", **neighbour))
    gas_late, _ = assigned(office, petition("Gas meter reads double", category="gas",
                                            community="Yashiyuan", name="He Ping",
                                            phone="13900001102"))
    lake_1, lake = assigned(office, petition("Lift out of order for a month",
                                             category="property", community="Lakeside Garden",
                                             name="Xu Lei", phone="13900001103"))
    park_1, urban = assigned(office, petition("Bikes block the fire lane", category="parking",
                                              community="Zhilizhuang", name="Ma Jun",
                                              phone="13900001104"))
    park_slow, _ = assigned(office, petition("No charging points at gate 2",
                                             category="parking", community="Zhilizhuang",
                                             name="Gao Yu", phone="13900001105"))
    never, _ = assigned(office, petition("Rubbish bins overflow on Sundays",
                                         category="environment", community="Yashiyuan",
                                         name="Lu Na", phone="13900001106"))
    assert (gas, lake, urban) == ("gas-company", "lakeside-property", "urban-management")
    for case_id, unit in ((gas_1, gas), (lake_1, lake), (park_1, urban), (park_slow, urban)):
        accept(office, case_id, unit)

    office.advance(days=1)
    repeat = office.register(petition("No gas pressure in building 5", category="gas",
                                      community="Dingjia", **neighbour))
    office.until(lambda: office.intake_state(repeat)["pending_repeat_of"] == gas_1, 30,
                 "the repeat is suggested")
    office.do("intake", f"/petitions/{repeat}/repeat-suggestion/confirmation", office.clerk)
    collective_body = petition("Heating off in blocks 1-4", category="property",
                               community="Lakeside Garden", name="Tang Hui",
                               phone="13900001110")
    collective_body["petitioners"] = [{"name": f"Resident {n}", "phone": f"1390000112{n}"}
                                      for n in range(5)]
    collective, collective_unit = assigned(office, collective_body)
    lake_2, _ = assigned(office, petition("Water leaks into the garage",
                                          category="property", community="Lakeside Garden",
                                          name="Yan Bo", phone="13900001107"))
    fallback, beiyuan = assigned(office, petition("Street lights off along the canal",
                                                  category="lighting", community="Dingjia",
                                                  name="Kong Wen", phone="13900001108"))
    assert beiyuan == "beiyuan-petition-office"
    for case_id, unit in ((collective, collective_unit), (lake_2, lake), (fallback, beiyuan)):
        accept(office, case_id, unit)
    office.until_view(repeat, lambda v: v["stage"] == "merged", "the repeat merged")

    office.advance(days=1)
    answered_and_evaluated(office, gas_1, gas, "satisfied", "satisfied")
    answered_and_evaluated(office, lake_1, lake, "not-satisfied", "basically-satisfied")
    answered_and_evaluated(office, lake_2, lake, "satisfied", "satisfied")
    answered_and_evaluated(office, collective, collective_unit, "basically-satisfied",
                           "satisfied")
    answered_and_evaluated(office, park_1, urban, "basically-satisfied", "not-satisfied")
    answered_and_evaluated(office, fallback, beiyuan, "satisfied", "basically-satisfied")

    # Past the acceptance deadline of the two cases registered on 2 November: both breach,
    # then the gas company accepts late; the environment case is never accepted.
    due = datetime.fromisoformat(str(office.assignment(gas_late)["acceptance_due"]))
    office.advance_to(due + timedelta(hours=2))
    for case_id in (gas_late, never):
        office.until_clock(case_id, "notify-acceptance", lambda c: c["breached"], "breached")
    accept(office, gas_late, gas)
    office.advance(days=1)
    answered_and_evaluated(office, gas_late, gas, "basically-satisfied", "satisfied")

    # Past every review window: the answered cases close in December.
    office.advance_to(datetime(2026, 12, 23, 10, tzinfo=CHINA_TZ))
    closed = (gas_1, gas_late, lake_1, lake_2, collective, park_1, fallback)
    for case_id in closed:
        office.do("intake", f"/petitions/{case_id}/closure", office.clerk)
    for case_id in closed:
        office.until_view(case_id, lambda v: v["stage"] == "closed", "closed", timeout=30)
    records = converged(office)

    # (1) Rates: every rate of every unit and community, for the month, December and Q4.
    served, weight = served_rates(office, "2026-11", "unit")
    november = month(2026, 11)
    assert served == domain_rates(records, november, "unit", weight)
    assert Fraction(served[gas]["timely-acceptance"][2] or 1) < 1  # one late: not vacuous
    assert served[gas]["repeat"][1:] == (3, "1/3")
    assert served[lake]["collective"][1:] == (3, "1/3")
    assert served[urban]["timely-acceptance"][1:] == (3, "2/3")  # one never accepted
    for name, period in (("2026-12", month(2026, 12)),
                         ("2026-Q4", ReportingPeriod.quarter(2026, 4, CHINA_TZ))):
        for by in ("unit", "community"):
            assert served_rates(office, name, by)[0] == domain_rates(records, period, by,
                                                                     weight), (name, by)
    # Closed in December: not satisfied 0, satisfied 1, basically satisfied 9/10.
    assert served_rates(office, "2026-12", "unit")[0][lake]["unit-satisfaction"] == (
        "19/10", 3, "19/30")

    # (2) Rankings: November with weights on the rates November settles (by unit and by
    # community), December with the district's weights (satisfaction only: nothing ranks).
    rankings = {}
    november_weights = {"timely-acceptance": "0.4", "first-visit-resolution": "0.6"}
    for name, by, period, chosen in (("2026-11", "unit", november, november_weights),
                                     ("2026-11", "community", november, november_weights),
                                     ("2026-12", "unit", month(2026, 12), None)):
        body: dict[str, Any] = {"month": name, "by": by}
        if chosen:
            body["weights"] = chosen
        published = office.do("reporting", "/rankings", office.leader, body, expect=201)
        rankings[f"{name} by {by}"] = published["ranking_id"]
        weights = RankingWeights.of({RateKind(k): Fraction(v)
                                     for k, v in published["weights"].items()})
        expected = rank(records.values(), period, DISTRICT, RankBy(by), weights,
                        Fraction(published["basically_satisfied_weight"]))
        assert [(e["key"], e["position"], e["score"] and e["score"]["value"])
                for e in published["entries"]] == [
            (e.key, e.position, None if e.score is None else str(e.score)) for e in expected]
        assert {e["key"]: {k: (r["numerator"], r["denominator"], r["value"])
                           for k, r in e["rates"].items()} for e in published["entries"]} == {
            e.key: {k.value: rate_triple(r) for k, r in e.rates.items()} for e in expected}
        assert bool(chosen) == any(e["position"] is not None for e in published["entries"])
    frozen = {name: office.call("GET", "reporting", f"/rankings/{rid}", office.leader).content
              for name, rid in rankings.items()}

    # (3) Letters signed now are assessed on the year so far: the breaches accountability
    # records equal assess_letter over the same records and overdue cases.
    targets = {
        gas: {"minimum_percent": {"timely-acceptance": 90, "unit-satisfaction": 95},
              "maximum_count": {"repeat": 0}, "no_case_overdue": True},
        lake: {"minimum_percent": {"unit-satisfaction": 95, "timely-acceptance": 90},
               "maximum_count": {"collective": 0}, "no_case_overdue": True},
        urban: {"minimum_percent": {"timely-acceptance": 90, "on-time-answer": 90},
                "maximum_count": {"repeat": 0}, "no_case_overdue": True},
    }
    letters = {}
    for unit, unit_targets in targets.items():
        signed = office.do("accountability", "/responsibility-letters", office.leader,
                           {"unit_id": unit, "year": 2026, "responsible_person": f"Head of "
                            f"{unit}", "targets": unit_targets}, expect=201)
        assert signed["breaches_recorded"], f"{unit}: no breach recorded"
        letters[unit] = ResponsibilityLetter(
            letter_id=signed["letter_id"], district=DISTRICT, unit_id=unit, year=2026,
            responsible_person=f"Head of {unit}", targets=LetterTargets(**unit_targets))
    so_far = ReportingPeriod(datetime(2026, 1, 1, tzinfo=CHINA_TZ), office.now())

    def expected_breaches() -> set[tuple[object, ...]]:
        found = set()
        for unit, letter in letters.items():
            mine = [r for r in records.values() if r.unit_id == unit]
            found |= {finding_key(f) for f in assess_letter(
                letter, mine, so_far, overdue_of(office, records, unit, so_far), weight)}
        return found

    def recorded_breaches() -> set[tuple[object, ...]]:
        ids = {letter.letter_id for letter in letters.values()}
        reviews = office.get("accountability", "/accountability-reviews?status=all&limit=200")
        return {finding_key(BreachFound.model_validate(r["finding"]))
                for r in reviews["reviews"] if r["letter_id"] in ids}

    breaches = expected_breaches()
    assert recorded_breaches() == breaches
    kinds = {(b[0], b[2], b[3]) for b in breaches}
    assert {(gas, "minimum-rate", RateKind.TIMELY_ACCEPTANCE),
            (gas, "maximum-count", RateKind.REPEAT), (gas, "no-case-overdue", None),
            (lake, "minimum-rate", RateKind.UNIT_SATISFACTION),
            (lake, "maximum-count", RateKind.COLLECTIVE)} <= kinds

    # (4) More events: into January 2027, past the slow parking case's answer deadline, the
    # unit answers late. The published rankings stay the same bytes; January's rates and the
    # letters' breaches still equal the domain.
    answer_due = datetime.fromisoformat(str(office.assignment(park_slow)["answer_due"]))
    office.advance_to(answer_due + timedelta(hours=3))
    office.until_clock(park_slow, "handle-and-answer", lambda c: c["breached"], "breached")
    office.do("intake", f"/petitions/{park_slow}/answer", office.unit(urban),
              {"outcome": "explain", "summary": "Charging points come with the new contract."})
    office.until_clock(park_slow, "handle-and-answer",
                       lambda c: c["phase"] == "stopped" and c["on_time"] is False, "late")
    records = converged(office)
    for name, rid in rankings.items():
        again = office.call("GET", "reporting", f"/rankings/{rid}", office.leader)
        assert again.status_code == 200 and again.content == frozen[name], name
    late_period = month(answer_due.year, answer_due.month)
    late_name = f"{answer_due.year}-{answer_due.month:02d}"
    january = served_rates(office, late_name, "unit")[0]
    assert january == domain_rates(records, late_period, "unit", weight)
    assert january[urban]["on-time-answer"][1:] == (1, "0")
    assert recorded_breaches() == breaches
