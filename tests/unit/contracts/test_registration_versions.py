"""Both versions of a registration reach subscribers; routing reads one place from either, and
no read model keeps a v1 registration's free text."""

from __future__ import annotations

from casebus.domain.registered import (
    REGISTERED_V1,
    REGISTERED_V2,
    routing_place,
    without_free_text,
)


def test_the_place_is_v2s_place_or_v1s_location() -> None:
    assert routing_place({"place": "Road 9"}) == "Road 9"
    assert routing_place({"place": None, "location": "ignored"}) is None  # v2 said: none
    assert routing_place({"location": "Road 9"}) == "Road 9"  # v1 published its location
    assert routing_place({"location": ""}) is None
    assert routing_place({}) is None


def test_a_v1_registration_loses_its_subject_and_location_in_read_models() -> None:
    v1 = {"case_id": "c1", "subject": "Wang's gas", "location": "Wang's flat", "category": "gas"}
    assert without_free_text(REGISTERED_V1, v1) == {"case_id": "c1", "category": "gas"}
    v2 = {"case_id": "c1", "place": "Road 9", "category": "gas"}
    assert without_free_text(REGISTERED_V2, v2) is v2
    assert without_free_text("petition.case.assigned.v1", v1) is v1
