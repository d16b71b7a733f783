"""District working-day calendars as data: the national schedule plus the district's corrections.

Interface every service relies on:
- ``DDL``: the tables this module needs in a service's database (add to ``extra_ddl``).
- ``CalendarBook(pool)``: ``await book.calendar(district, conn=None) -> WorkingDayCalendar``
  (the national schedule plus the district's corrections), and ``book.handlers``: the consumer
  handlers (by CloudEvent type) that apply calendar corrections published by accountability.

Every service keeps the corrections it received in ``calendar_corrections`` and folds them, in
the order applied, over the national calendar with the domain's ``evolve``: all four services
compute the same calendar from the same events. Accountability, which publishes corrections,
records its own in the transaction that appends them (``record``).

Instances of a service share one database, so a cached calendar is checked on every use (one
indexed query: the district's row count and last ``seq``) and rebuilt when another instance
applied a correction. A district's corrections are applied one at a time (one stream, one
partition; the stream's version serialises accountability's appends): ``seq`` is commit order.

Running deadlines are never rewritten: a due instant is computed when its command is decided
and stored in the event, so a correction (or a newly shipped year) affects only deadlines
computed after this service has applied it: new clocks, resumptions, extensions.

A year without a national schedule counts weekends only and is reported: a warning (once per
district and year per process) and ``casebus_calendar_unscheduled_year_total`` (every time).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import asyncpg

from casebus.consumer import Handler
from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.calendar_corrections import (
    CalendarDayCorrected,
    CorrectionKind,
    DistrictCorrections,
    effective_calendar,
    evolve,
    initial_state,
)
from casebus.domain.decider import fold
from casebus.domain.national_calendar import national_calendar
from casebus.envelope import CloudEvent
from casebus.observability import CALENDAR_UNSCHEDULED_YEAR
from casebus.transaction_memo import forget, remember, remembered

log = logging.getLogger(__name__)

DDL = """
CREATE TABLE IF NOT EXISTS calendar_corrections (
    seq          bigserial PRIMARY KEY,
    event_id     text NOT NULL UNIQUE,
    district     text NOT NULL,
    day          date NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('holiday', 'working-day', 'national')),
    reason       text NOT NULL,
    corrected_by text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS calendar_corrections_by_district
    ON calendar_corrections (district, seq);
"""

_warned: set[tuple[str, int]] = set()  # (district, year) already logged by this process


def report_unscheduled_year(district: str, year: int) -> None:
    CALENDAR_UNSCHEDULED_YEAR.labels(district, str(year)).inc()
    if (district, year) not in _warned:
        _warned.add((district, year))
        log.warning("no national holiday schedule for %d: district %s counts weekends only "
                    "until the year's schedule is shipped", year, district,
                    extra={"district": district, "year": year})


@dataclass(frozen=True)
class _Cached:
    version: tuple[int, int]  # (row count, last seq) of the district's corrections
    corrections: tuple[CalendarDayCorrected, ...]
    calendar: WorkingDayCalendar


class CalendarBook:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._cache: dict[str, _Cached] = {}

    async def calendar(self, district: str,
                       conn: asyncpg.Connection | None = None) -> WorkingDayCalendar:
        """The district's effective calendar, reporting questions about unscheduled years."""
        return (await self._current(district, conn)).calendar

    async def corrections(self, district: str, conn: asyncpg.Connection | None = None
                          ) -> tuple[CalendarDayCorrected, ...]:
        """The district's corrections, in the order they were applied."""
        return (await self._current(district, conn)).corrections

    async def record(self, conn: asyncpg.Connection, event_id: str,
                     event: CalendarDayCorrected) -> bool:
        """Keep a correction (idempotent by event id). Returns whether it was new."""
        inserted = await conn.fetchval(
            """INSERT INTO calendar_corrections
                   (event_id, district, day, kind, reason, corrected_by, occurred_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (event_id) DO NOTHING RETURNING true""",
            event_id, event.district, event.day, str(event.kind), event.reason,
            event.corrected_by, event.occurred_at)
        forget(("calendar-version", event.district))  # the next question sees it
        return bool(inserted)

    async def on_day_corrected(self, conn: asyncpg.Connection, cloud_event: CloudEvent) -> None:
        # A payload that does not fit the event raises ValidationError: dead-lettered.
        await self.record(conn, cloud_event.id,
                          CalendarDayCorrected.model_validate(cloud_event.data))

    @property
    def handlers(self) -> dict[str, Handler]:
        return {CalendarDayCorrected.wire_type(): self.on_day_corrected}

    async def _current(self, district: str, conn: asyncpg.Connection | None) -> _Cached:
        db = conn or self.pool
        version = remembered(("calendar-version", district))
        if version is None:  # asked once per consumer transaction (casebus.transaction_memo)
            row = await db.fetchrow(
                """SELECT count(*) AS n, coalesce(max(seq), 0) AS last
                   FROM calendar_corrections WHERE district = $1""", district)
            version = (int(row["n"]), int(row["last"]))
            remember(("calendar-version", district), version)
        cached = self._cache.get(district)
        if cached is not None and cached.version == version:
            return cached
        rows = await db.fetch(
            """SELECT district, day, kind, reason, corrected_by, occurred_at
               FROM calendar_corrections WHERE district = $1 AND seq <= $2 ORDER BY seq""",
            district, version[1])
        events = tuple(_event(r) for r in rows)
        fresh = _Cached(version, events, _build(district, fold(evolve, initial_state(), events)))
        self._cache[district] = fresh
        return fresh


def _build(district: str, corrections: DistrictCorrections) -> WorkingDayCalendar:
    calendar = effective_calendar(national_calendar(district), corrections)
    return replace(calendar, on_unscheduled_year=lambda year: report_unscheduled_year(
        district, year))


def _event(row: asyncpg.Record) -> CalendarDayCorrected:
    return CalendarDayCorrected(district=row["district"], occurred_at=row["occurred_at"],
                                day=row["day"], kind=CorrectionKind(row["kind"]),
                                reason=row["reason"], corrected_by=row["corrected_by"])
