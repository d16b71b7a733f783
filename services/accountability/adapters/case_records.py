"""The ``case_records`` table: one ``CaseRecord`` per case, folded from intake's and routing's
public events with ``casebus.domain.case_record_fold`` (the one fold), written in the
transaction of the inbox row. It is what letters are assessed and spot checks drawn on.

``kind_events`` keeps the registration's and reclassifications' matter kinds, so ``counts``
decides on the case's whole history whether it counts (a report never does).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.case_record import CaseRecord, record_from_json, record_to_json
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.domain.registered import REGISTERED
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import settled_window
from casebus.envelope import CloudEvent
from casebus.transaction_memo import remember, remembered

DDL = """
CREATE TABLE IF NOT EXISTS case_records (
    case_id     text PRIMARY KEY,
    district    text NOT NULL,
    unit_id     text,
    counted     boolean NOT NULL,
    kind_events jsonb NOT NULL,
    record      jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS case_records_of_unit ON case_records (district, unit_id);
-- When any rate can settle the case (``settled_cases.settled_window``): a letter's year reads
-- only the records whose window overlaps it, however long the unit's history. NULL (folded
-- before these columns existed) overlaps every period.
ALTER TABLE case_records ADD COLUMN IF NOT EXISTS settled_from timestamptz,
                         ADD COLUMN IF NOT EXISTS settled_until timestamptz;
CREATE INDEX IF NOT EXISTS case_records_of_unit_settled
    ON case_records (district, unit_id, settled_until) WHERE counted;
"""

_KIND_EVENTS = (*REGISTERED, "petition.case.reclassified.v1")
# In the memo: a case's record and its kinds' events, or (None, []) while it has no record.
_Known = tuple[CaseRecord | None, list[Any]]


_WRITE = """INSERT INTO case_records (case_id, district, unit_id, counted, kind_events, record,
                                      settled_from, settled_until)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id) """


async def prepare(conn: asyncpg.Connection, case_ids: Iterable[str]) -> None:
    """Lock and read the records of a consumer page's cases at once (under the cases' locks,
    taken by the caller), so each event's fold reads its record from the transaction's memo."""
    wanted = sorted({c for c in case_ids if remembered(("case-record", c)) is None})
    if not wanted:
        return
    rows = await conn.fetch(
        """SELECT case_id, record, kind_events FROM case_records
           WHERE case_id = ANY($1::text[]) ORDER BY case_id FOR UPDATE""", wanted)
    found: dict[str, _Known] = {r["case_id"]: (record_from_json(r["record"]), r["kind_events"])
                                for r in rows}
    for case_id in wanted:
        remember(("case-record", case_id), found.get(case_id, (None, [])))


async def fold(conn: asyncpg.Connection, event: CloudEvent) -> tuple[str, set[str]]:
    """Fold one public event into its case's record (under the case's lock, taken by the
    caller); the district and the units whose records it changed (before and after a
    handover). In a consumer's transaction the record stays in its memo between events."""
    data: dict[str, Any] = event.data or {}
    case_id, district = str(data["case_id"]), str(data["district"])
    stated = data.get("occurred_at")
    at = datetime.fromisoformat(stated) if isinstance(stated, str) else event.time
    known: _Known | None = remembered(("case-record", case_id))
    if known is None and event.type in REGISTERED:  # most often the case's first event here
        kinds: list[Any] = []
        args, units = _folded(event, data, district, at, empty_record(case_id, district, at),
                              kinds, new=True)
        if await conn.fetchval(_WRITE + "DO NOTHING RETURNING true", *args):
            _remember(case_id, args)
            return district, units
    if known is None:
        row = await conn.fetchrow(
            "SELECT record, kind_events FROM case_records WHERE case_id = $1 FOR UPDATE",
            case_id)
        known = (None, []) if row is None else (record_from_json(row["record"]),
                                                 row["kind_events"])
    record, kinds = known
    before = empty_record(case_id, district, at) if record is None else record
    args, units = _folded(event, data, district, at, before, list(kinds), new=record is None)
    await conn.execute(
        _WRITE + """DO UPDATE SET unit_id = excluded.unit_id,
               counted = excluded.counted, kind_events = excluded.kind_events,
               record = excluded.record, settled_from = excluded.settled_from,
               settled_until = excluded.settled_until, updated_at = now()""", *args)
    _remember(case_id, args)
    return district, units


def _remember(case_id: str, written: tuple[Any, ...]) -> None:
    # The record as a read of the row would give it (its JSON read back), not the fold's
    # object: the next fold then starts from exactly what it would read.
    remember(("case-record", case_id), (record_from_json(written[5]), written[4]))


def _folded(event: CloudEvent, data: dict[str, Any], district: str, at: datetime,
            before: CaseRecord, kinds: list[Any], new: bool
            ) -> tuple[tuple[Any, ...], set[str]]:
    """The record's row after ``event`` (the statement's arguments; ``kinds`` is extended),
    and the units whose records it changed."""
    if event.type in _KIND_EVENTS:
        kinds.append([event.type, {k: data[k] for k in ("matter_kind", "to_kind") if k in data}])
    after = fold_event(before, event.type, at, data)
    changed = after != before or new
    args = (after.case_id, district, after.unit_id, counts([(t, d) for t, d in kinds]), kinds,
            record_to_json(after), *settled_window(after))
    return args, {u for u in (before.unit_id, after.unit_id) if u and changed}


async def unit_records(db: asyncpg.Connection | asyncpg.Pool, district: str,
                       unit_id: str, period: ReportingPeriod | None = None
                       ) -> list[CaseRecord]:
    """The unit's counted cases (reports left out), in case id order; with a period, only
    those any rate of the period may count (the others change no rate of it)."""
    start, end = (period.start, period.end) if period else (None, None)
    rows = await db.fetch(
        """SELECT record FROM case_records WHERE district = $1 AND unit_id = $2 AND counted
             AND ($3::timestamptz IS NULL OR settled_until >= $3 OR settled_until IS NULL)
             AND ($4::timestamptz IS NULL OR settled_from < $4 OR settled_from IS NULL)
           ORDER BY case_id""", district, unit_id, start, end)
    return [record_from_json(r["record"]) for r in rows]


async def uncounted(conn: asyncpg.Connection, case_ids: list[str]) -> set[str]:
    rows = await conn.fetch(
        "SELECT case_id FROM case_records WHERE case_id = ANY($1::text[]) AND NOT counted",
        case_ids)
    return {r["case_id"] for r in rows}
