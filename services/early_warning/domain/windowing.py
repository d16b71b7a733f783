"""Sliding windows over sightings of one watched key, and when they cross a threshold (pure).

A *sighting* is one case seen for a key (a matter in a community, or a unit); what is counted
is the distinct *marks* in a window: petitioners' pseudonyms for a brewing collective petition,
the cases themselves for a surge at a unit. Candidate windows start at the local day (+08:00)
of each sighting and last ``size`` days, so a window is a function of the sightings, not of the
order in which a worker happened to process them: a worker that lost its record of what it
raised recomputes the same window, and the same window has the same event id downstream.

Windows of one key never overlap: once one is raised, later sightings inside it add nothing,
and the next warning needs a fresh window that starts after it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from casebus.domain.deadlines import CHINA_TZ


@dataclass(frozen=True)
class Sighting:
    case_id: str
    at: datetime
    marks: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Window:
    start: datetime
    end: datetime

    def holds(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def overlaps(self, other: Window) -> bool:
        return self.start < other.end and other.start < self.end

    def days(self) -> tuple[date, date]:
        """First and last local day inside the window."""
        return (self.start.astimezone(CHINA_TZ).date(),
                (self.end - timedelta(microseconds=1)).astimezone(CHINA_TZ).date())


@dataclass(frozen=True)
class Watch:
    """What the worker remembers for one key: recent sightings and the windows it raised."""

    sightings: tuple[Sighting, ...] = ()
    raised: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    """Distinct marks that make a warning; lower when the window touches a key period."""

    usual: int
    key_period: int
    key_periods: tuple[tuple[date, date], ...] = ()  # inclusive local days, this district's

    def for_window(self, window: Window) -> tuple[int, bool]:
        first, last = window.days()
        in_key_period = any(start <= last and first <= end for start, end in self.key_periods)
        return (self.key_period if in_key_period else self.usual), in_key_period


@dataclass(frozen=True)
class Crossing:
    window: Window
    count: int
    threshold: int
    key_period: bool
    case_ids: tuple[str, ...]
    last_seen: datetime  # the latest sighting counted: the warning's time


def window_from(at: datetime, days: int) -> Window:
    start = datetime.combine(at.astimezone(CHINA_TZ).date(), datetime.min.time(), CHINA_TZ)
    return Window(start, start + timedelta(days=days))


def observe(watch: Watch, sighting: Sighting, thresholds: Thresholds,
            days: int) -> tuple[Watch, list[Crossing]]:
    """Add a sighting; return the new watch and the windows it made cross (usually none).

    A case seen again (a redelivery, or a second assignment to the same unit) changes nothing.
    Sightings and raised windows older than two windows before the newest sighting are
    forgotten; a sighting that old arrives too late to be counted.
    """
    newest = max([sighting.at, *(s.at for s in watch.sightings)])
    horizon = newest - timedelta(days=2 * days)
    if sighting.at < horizon or any(s.case_id == sighting.case_id for s in watch.sightings):
        return watch, []
    sightings = tuple(sorted((*(s for s in watch.sightings if s.at >= horizon), sighting),
                             key=lambda s: (s.at, s.case_id)))
    raised = [w for w in watch.raised if w.end >= horizon]
    crossings = []
    for start in sorted({window_from(s.at, days) for s in sightings}):
        if any(start.overlaps(w) for w in raised):
            continue
        inside = [s for s in sightings if start.holds(s.at)]
        count = len({mark for s in inside for mark in s.marks})
        threshold, key_period = thresholds.for_window(start)
        if inside and count >= threshold:
            raised.append(start)
            crossings.append(Crossing(start, count, threshold, key_period,
                                      tuple(sorted(s.case_id for s in inside)),
                                      max(s.at for s in inside)))
    return replace(watch, sightings=sightings, raised=tuple(sorted(raised))), crossings
