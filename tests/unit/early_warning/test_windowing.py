"""Sliding windows over one key's sightings: when a warning is due, and for which window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from casebus.domain.deadlines import CHINA_TZ
from services.early_warning.domain.windowing import (
    Crossing,
    Sighting,
    Thresholds,
    Watch,
    Window,
    observe,
    window_from,
)

DAY1 = datetime(2026, 3, 2, tzinfo=CHINA_TZ)
USUAL = Thresholds(usual=3, key_period=2)


def at(day: int, hour: int = 10) -> datetime:
    return DAY1 + timedelta(days=day - 1, hours=hour)


def seen(case_id: str, day: int, *petitioners: str, hour: int = 10) -> Sighting:
    return Sighting(case_id, at(day, hour), petitioners or (case_id,))


def run(*sightings: Sighting, thresholds: Thresholds = USUAL, days: int = 7,
        watch: Watch | None = None) -> tuple[Watch, list[Crossing]]:
    raised: list[Crossing] = []
    watch = watch or Watch()
    for sighting in sightings:
        watch, crossings = observe(watch, sighting, thresholds, days)
        raised.extend(crossings)
    return watch, raised


def test_a_window_is_seven_local_days_from_the_first_sightings_midnight() -> None:
    late_evening_utc = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    window = window_from(late_evening_utc, 7)  # 01:30 on 2 March in Beijing
    assert window == Window(datetime(2026, 3, 2, tzinfo=CHINA_TZ),
                            datetime(2026, 3, 9, tzinfo=CHINA_TZ))
    assert window.days() == (date(2026, 3, 2), date(2026, 3, 8))


def test_the_third_distinct_petitioner_raises_once_with_the_cases_so_far() -> None:
    _, raised = run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), seen("c3", 3, "p2"))
    assert raised == []  # p2 twice is still two petitioners
    _, raised = run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), seen("c3", 3, "p2"),
                    seen("c4", 4, "p3"), seen("c5", 5, "p4"))
    (crossing,) = raised
    assert crossing.window == window_from(at(1), 7)
    assert (crossing.count, crossing.threshold, crossing.key_period) == (3, 3, False)
    assert crossing.case_ids == ("c1", "c2", "c3", "c4")
    assert crossing.last_seen == at(4)


def test_one_petition_of_several_petitioners_is_enough() -> None:
    (crossing,) = run(seen("c1", 1, "p1", "p2", "p3"))[1]
    assert (crossing.count, crossing.case_ids) == (3, ("c1",))


def test_the_window_slides_past_old_sightings() -> None:
    # Day 1 is alone; days 7-9 make three within the window starting on day 7.
    _, raised = run(seen("c1", 1, "p1"), seen("c7", 7, "p2"), seen("c8", 8, "p3"),
                    seen("c9", 9, "p4"))
    (crossing,) = raised
    assert crossing.window == window_from(at(7), 7)
    assert crossing.case_ids == ("c7", "c8", "c9")


def test_windows_of_one_key_never_overlap_and_a_fresh_one_raises_again() -> None:
    _, raised = run(*(seen(f"c{d}", d, f"p{d}") for d in (1, 2, 3, 4, 5, 6, 8, 9, 10)))
    assert [c.window for c in raised] == [window_from(at(1), 7), window_from(at(8), 7)]


def test_a_redelivered_case_changes_nothing() -> None:
    watch, raised = run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), seen("c3", 3, "p3"))
    again, repeated = observe(watch, seen("c3", 3, "p3"), USUAL, 7)
    assert (again, repeated, len(raised)) == (watch, [], 1)


def test_a_lost_record_of_raising_raises_the_same_window_again() -> None:
    """The table kept the sightings but not what was raised: the same window, so the same id."""
    watch, first = run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), seen("c3", 3, "p3"))
    forgetful = Watch(sightings=watch.sightings[:2])
    _, again = observe(forgetful, seen("c3", 3, "p3"), USUAL, 7)
    assert [c.window for c in again] == [c.window for c in first]


def test_key_periods_lower_the_threshold_for_windows_that_touch_them() -> None:
    festival = Thresholds(usual=3, key_period=2, key_periods=((date(2026, 3, 8),
                                                               date(2026, 3, 10)),))
    (crossing,) = run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), thresholds=festival)[1]
    assert (crossing.count, crossing.threshold, crossing.key_period) == (2, 2, True)
    before = Thresholds(usual=3, key_period=2, key_periods=((date(2026, 2, 20),
                                                             date(2026, 3, 1)),))
    assert run(seen("c1", 1, "p1"), seen("c2", 2, "p2"), thresholds=before)[1] == []


def test_old_sightings_are_forgotten_and_too_late_ones_ignored() -> None:
    watch, _ = run(seen("c1", 1, "p1"), seen("c30", 30, "p2"))
    assert [s.case_id for s in watch.sightings] == ["c30"]
    late, raised = observe(watch, seen("c2", 2, "p3"), USUAL, 7)
    assert (late, raised) == (watch, [])


def test_late_sightings_within_reach_still_count() -> None:
    _, raised = run(seen("c3", 3, "p3"), seen("c1", 1, "p1"), seen("c2", 2, "p2"))
    (crossing,) = raised
    assert crossing.window == window_from(at(1), 7)
    assert crossing.last_seen == at(3)
