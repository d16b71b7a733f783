"""The pure parts of the live view and the as-of view: reading ``as_of``, what the petitioner
was told, what the feed keeps and shows operators, and the signal that wakes waiting streams."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from casebus.domain.deadlines import CHINA_TZ
from services.reporting.domain.as_of import NotAnInstant, as_of_instant
from services.reporting.domain.feed_items import ids_only, public_data, unit_named
from services.reporting.domain.told import told_to_petitioner
from services.reporting.service_layer.stream_signal import FeedSignal, StreamSlots

NOW = datetime(2026, 6, 1, 12, tzinfo=CHINA_TZ)


def test_a_day_is_its_end_in_the_district_and_an_instant_keeps_its_offset() -> None:
    assert as_of_instant("2026-03-05", NOW) == datetime(
        2026, 3, 5, 23, 59, 59, 999999, tzinfo=CHINA_TZ)
    assert as_of_instant("2026-03-05T01:00:00+00:00", NOW) == datetime(
        2026, 3, 5, 9, tzinfo=CHINA_TZ)
    assert as_of_instant("2026-03-05T01:00:00Z", NOW) == datetime(2026, 3, 5, 1,
                                                                   tzinfo=UTC)


def test_later_than_now_is_now() -> None:
    assert as_of_instant("2026-06-01", NOW) == NOW  # today: its end is still to come
    assert as_of_instant("2999-12-31", NOW) == NOW


@pytest.mark.parametrize("text", ["2026-03-05T10:00:00", "2026-3-5", "05/03/2026", "",
                                  "1999-12-31", "3000-01-01", "2026-02-29", "now"])
def test_what_is_not_an_instant(text: str) -> None:
    with pytest.raises(NotAnInstant):
        as_of_instant(text, NOW)


def _e(n: int, wire: str, **data: object) -> tuple[str, str, datetime, dict[str, object]]:
    return (f"e{n}", f"petition.case.{wire}.v1", NOW + timedelta(days=n), dict(data))


def test_told_is_what_was_delivered_with_what_it_said() -> None:
    told = told_to_petitioner([
        _e(1, "answered", unit_id="gas", outcome="support"),
        _e(2, "review-decided", reviewing_body="district", outcome="upheld"),  # not yet told
        _e(3, "answer-delivered"),
        _e(4, "review-decision-delivered"),
        _e(5, "reexamination-decided", reexamining_body="city", outcome="revoked"),
    ])
    assert [(t["what"], t["event_id"], t["unit_id"], t["by"], t["outcome"]) for t in told] == [
        ("answer", "e3", "gas", None, "support"),
        ("review-decision", "e4", None, "district", "upheld"),
        ("reexamination-decision", "e5", None, "city", "revoked")]
    assert told[0]["told_at"] == NOW + timedelta(days=3)
    assert told_to_petitioner([_e(1, "answered", unit_id="gas", outcome="support")]) == []
    not_accepted = told_to_petitioner([_e(1, "not-accepted", reason="litigation",
                                          guided_to="court")])
    assert not_accepted[0]["what"] == "not-accepted"
    assert not_accepted[0]["guided_to"] == "court"


def test_the_feed_keeps_no_pseudonyms_and_operators_see_ids_only() -> None:
    data = {"case_id": "c1", "petitioner_ids": ["p"], "category": "gas", "unit_id": "u",
            "assisting_unit_ids": ["v"], "answer_due": "2026-03-01"}
    assert "petitioner_ids" not in public_data(data) and public_data(data)["category"] == "gas"
    assert ids_only(data) == {"case_id": "c1", "unit_id": "u", "assisting_unit_ids": ["v"]}
    assert unit_named({"lead_unit_id": "lead"}) == "lead" and unit_named({}) is None


async def test_a_stream_that_read_before_the_feed_grew_is_woken() -> None:
    signal = FeedSignal()
    seen = signal.current()  # taken before reading a page
    signal.notify()  # the feed grew after the read, before the wait
    loop = asyncio.get_running_loop()
    started = loop.time()
    await signal.wait(seen, 5)
    assert loop.time() - started < 1
    started = loop.time()
    await signal.wait(signal.current(), 0.2)  # nothing new: the polling fallback's timeout
    assert loop.time() - started >= 0.19


def test_slots_cap_streams() -> None:
    slots = StreamSlots(2)
    assert slots.take() and slots.take() and not slots.take()
    slots.give_back()
    assert slots.take()
