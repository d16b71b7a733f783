"""From public events to sightings, thresholds from settings, and the published warning."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from casebus.domain.deadlines import CHINA_TZ
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.settings import Settings
from services.early_warning.bootstrap import rules_from
from services.early_warning.domain.observations import WarningKind, WatchKey, sighting_of
from services.early_warning.domain.rules import WarningRules
from services.early_warning.service_layer.watching import advance, sighting_from

DAY1 = datetime(2026, 3, 2, 10, tzinfo=CHINA_TZ)


def registration(case_id: str, petitioners: list[str], at: datetime = DAY1,
                 **data: object) -> bytes:
    body = {"case_id": case_id, "district": "chaoyang", "community": "Dingjia",
            "category": "gas", "petitioner_ids": petitioners, "matter_kind": "claim", **data}
    return make_cloud_event(event_id=str(uuid4()), source="intake",
                            wire_type="petition.case.registered.v1", subject=case_id, time=at,
                            district="chaoyang", correlation_id="c", causation_id="c",
                            actor="clerk:wang", data=body).to_bytes()


def test_a_registration_is_a_sighting_of_its_matter_in_its_community() -> None:
    found = sighting_of("petition.case.registered.v1", "chaoyang", DAY1, "c1",
                        {"community": "Dingjia", "category": "gas",
                         "petitioner_ids": ["p2", "p1", "p2"]})
    assert found is not None
    key, sighting = found
    assert key == WatchKey("chaoyang", WarningKind.COLLECTIVE, "Dingjia/gas")
    assert (sighting.case_id, sighting.at, sighting.marks) == ("c1", DAY1, ("p1", "p2"))


def test_reports_and_other_events_are_not_sightings() -> None:
    report = {"community": "Dingjia", "category": "gas", "petitioner_ids": [],
              "matter_kind": "report"}
    assert sighting_of("petition.case.registered.v1", "chaoyang", DAY1, "c1", report) is None
    assert sighting_of("petition.case.closed.v1", "chaoyang", DAY1, "c1", {}) is None


def test_a_handover_is_a_sighting_of_the_unit_counted_by_case() -> None:
    found = sighting_of("petition.case.rerouted.v1", "chaoyang", DAY1, "c1",
                        {"unit_id": "gas-company"})
    assert found is not None
    assert found[0] == WatchKey("chaoyang", WarningKind.UNIT_SURGE, "gas-company")
    assert found[1].marks == ("c1",)


def test_rules_come_from_settings_and_key_periods_lower_thresholds() -> None:
    rules = rules_from(Settings(early_warning_collective_threshold=5,
                                early_warning_unit_surge_threshold=10,
                                early_warning_key_period_factor=0.5,
                                early_warning_key_periods={"chaoyang": [("2026-10-01",
                                                                         "2026-10-07")]}))
    collective = rules.thresholds("chaoyang", WarningKind.COLLECTIVE)
    assert (collective.usual, collective.key_period) == (5, 3)  # 2.5 rounded up
    assert collective.key_periods == ((date(2026, 10, 1), date(2026, 10, 7)),)
    assert rules.thresholds("haidian", WarningKind.UNIT_SURGE).key_periods == ()
    assert rules.thresholds("haidian", WarningKind.UNIT_SURGE).key_period == 5


@pytest.mark.parametrize("change", [
    {"early_warning_collective_threshold": 1}, {"early_warning_key_period_factor": 0},
    {"early_warning_window_days": 0},
    {"early_warning_key_periods": {"chaoyang": [("2026-10-07", "2026-10-01")]}},
    {"early_warning_key_periods": {"chaoyang": [("October", "2026-10-01")]}}])
def test_nonsense_settings_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        rules_from(Settings(**change))  # type: ignore[arg-type]


def run(rules: WarningRules, *messages: bytes) -> list[CloudEvent]:
    stored: dict[str, dict[str, Any]] = {}
    published: list[CloudEvent] = []
    for raw in messages:
        found = sighting_from(raw)
        if found is None:
            continue
        key, sighting = found
        stored[key], warnings = advance(rules, key, stored.get(key),
                                        json.loads(json.dumps(sighting)))
        published.extend(warnings)
    return published


def test_the_warning_is_a_cloud_event_with_a_deterministic_id_and_no_petitioner() -> None:
    rules = rules_from(Settings(early_warning_collective_threshold=3))
    messages = [registration(f"c{n}", [f"secret-p{n}"], DAY1 + timedelta(days=n))
                for n in range(3)]
    (warning,) = run(rules, *messages)
    (again,) = run(rules, *messages, messages[1])  # another worker, redeliveries
    assert warning.id == again.id == warning.data["warning_id"]
    assert warning.type == "petition.early-warning.raised.v1"
    assert (warning.source, warning.subject) == ("early-warning", "chaoyang|collective|Dingjia/gas")
    assert warning.data["community"] == "Dingjia" and warning.data["category"] == "gas"
    assert warning.data["case_ids"] == ["c0", "c1", "c2"]
    assert warning.data["window_start"] == "2026-03-02T00:00:00+08:00"
    assert "secret-p" not in warning.model_dump_json()
    other_district = [registration(f"c{n}", [f"p{n}"], DAY1 + timedelta(days=n))
                      .replace(b'"chaoyang"', b'"haidian"') for n in range(3)]
    (elsewhere,) = run(rules, *other_district)
    assert elsewhere.id != warning.id


def test_a_message_that_is_not_a_cloud_event_is_skipped() -> None:
    assert sighting_from(b"not json") is None
    assert sighting_from(b'{"id": "x"}') is None
