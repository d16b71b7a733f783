"""A page's writes to reporting's case tables, gathered by the projections and written together.

A projection says what an event changes (``RowBatch.upsert``, ``RowBatch.accumulate``...);
``flush`` writes it in a few statements for the whole page instead of one or two per event.
The rows' own order is kept: the k-th write of each row goes in the k-th wave, and a wave's
writes of one shape (table, columns, how each is combined) are one multi-row statement (rows
as JSON, typed by the table's own row type). Within a wave no row is written twice, so one
statement never touches a row twice, and the outcome is that of the writes one at a time.

How a column is combined with what the row holds:
- ``set``: the new value;
- ``least`` / ``greatest``: facts that only accumulate (a unit involved since, a due warned);
- with a ``guard`` (the column holding the time of the latest event of a source applied), a
  write older than the row's changes nothing, except the ``fill`` columns, which it fills where
  the row has none (a clock's start that arrived after its stop still says when it started).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
from pydantic_core import to_json

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Shape:
    """What makes two writes one statement (values aside)."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # key and district first
    combine: tuple[str, ...]  # per non-key column: set, least, greatest
    guard: str | None
    fill: frozenset[str]
    keep_existing: bool  # insert only (ON CONFLICT DO NOTHING)


@dataclass(frozen=True)
class _Write:
    shape: _Shape
    values: tuple[Any, ...]
    note: str | None  # logged if the guard refused it
    ids: dict[str, str]


@dataclass
class RowBatch:
    writes: list[_Write] = field(default_factory=list)

    def upsert(self, table: str, key: dict[str, Any], columns: dict[str, Any], *,
               district: str, guard: tuple[str, datetime] | None = None,
               fill: Iterable[str] = (), refused: str | None = None,
               ids: dict[str, str] | None = None) -> None:
        """Insert the row or set just ``columns``; with ``guard``, only if the row's guard
        column is not later (else ``refused`` is logged and only ``fill`` columns are filled).
        """
        values = {**key, "district": district, **columns}
        if guard is not None:
            values[guard[0]] = guard[1]
        self._add(table, key, values, {}, guard[0] if guard else None, frozenset(fill),
                  False, refused, ids or {})

    def accumulate(self, table: str, key: dict[str, Any], columns: dict[str, Any], *,
                   district: str, combine: dict[str, str]) -> None:
        """Insert the row, or combine ``columns`` with it (``combine``: column -> least or
        greatest; unnamed columns are set)."""
        self._add(table, key, {**key, "district": district, **columns}, combine, None,
                  frozenset(), False, None, {})

    def insert_new(self, table: str, key: dict[str, Any], columns: dict[str, Any], *,
                   district: str) -> None:
        """Insert the row unless it exists (a fact recorded once)."""
        self._add(table, key, {**key, "district": district, **columns}, {}, None, frozenset(),
                  True, None, {})

    def add_units(self, case_id: str, district: str, units: Iterable[str | None],
                  since: datetime) -> None:
        """Every unit that held, holds or assists the case (for unit handlers' access), since
        the earliest event naming it, whichever topic brought that event first."""
        for unit_id in sorted({u for u in units if u}):
            self.accumulate("case_units", {"case_id": case_id, "unit_id": unit_id},
                            {"since": since}, district=district, combine={"since": "least"})

    def _add(self, table: str, key: dict[str, Any], values: dict[str, Any],
             combine: dict[str, str], guard: str | None, fill: frozenset[str],
             keep_existing: bool, note: str | None, ids: dict[str, str]) -> None:
        names = tuple(values)
        how = tuple(combine.get(n, "set") for n in names[len(key) + 1:]) if combine else None
        shape = _shape(table, tuple(key), names, how, guard, fill, keep_existing)
        self.writes.append(_Write(shape, tuple(values.values()), note, ids))

    async def flush(self, conn: asyncpg.Connection) -> None:
        """Write everything gathered, in waves (see the module docstring), and forget it."""
        waves: dict[int, dict[_Shape, list[_Write]]] = defaultdict(lambda: defaultdict(list))
        seen = Counter[tuple[str, tuple[Any, ...]]]()
        for w in self.writes:
            row = (w.shape.table, w.values[:len(w.shape.key)])
            waves[seen[row]][w.shape].append(w)
            seen[row] += 1
        self.writes = []
        for wave in sorted(waves):
            for shape, writes in waves[wave].items():
                await _write(conn, shape, writes)


@functools.cache  # a handful of shapes, written thousands of times in a rebuild
def _shape(table: str, key: tuple[str, ...], columns: tuple[str, ...],
           combine: tuple[str, ...] | None, guard: str | None, fill: frozenset[str],
           keep_existing: bool) -> _Shape:
    how = combine or ("set",) * (len(columns) - len(key) - 1)
    return _Shape(table, key, columns, how, guard, fill, keep_existing)


async def _write(conn: asyncpg.Connection, shape: _Shape, writes: list[_Write]) -> None:
    # Datetimes as ISO 8601, which the row type's timestamptz columns read back exactly.
    rows = to_json([dict(zip(shape.columns, w.values, strict=True)) for w in writes]).decode()
    returned = await conn.fetch(_sql(shape), rows)
    if shape.guard is None:
        return
    # Applied: the row holds this write's guard time now (no row has two writes here).
    key, at = len(shape.key), shape.columns.index(shape.guard)
    holds = {tuple(r[:key]): r[key] for r in returned}
    for w in writes:
        if holds.get(w.values[:key]) != w.values[at] and w.note:
            log.info(w.note, extra=w.ids)


@functools.cache
def _sql(shape: _Shape) -> str:
    """Table and column names come from this package's code, never from input."""
    t, cols, g = shape.table, shape.columns, shape.guard
    sql = (f"INSERT INTO {t} ({', '.join(cols)}) SELECT {', '.join(cols)} "
           f"FROM jsonb_populate_recordset(NULL::{t}, $1::text::jsonb) "
           f"ON CONFLICT ({', '.join(shape.key)}) ")
    if shape.keep_existing:
        return sql + "DO NOTHING"
    fresh = f"({t}.{g} IS NULL OR {t}.{g} <= excluded.{g})"
    updates = []
    for name, how in zip(cols[len(shape.key) + 1:], shape.combine, strict=True):
        new = {"set": f"excluded.{name}", "least": f"least({t}.{name}, excluded.{name})",
               "greatest": f"greatest({t}.{name}, excluded.{name})"}[how]
        if g is not None and shape.fill:  # a stale write still fills what the row lacks
            stale = (f"coalesce({t}.{name}, excluded.{name})" if name in shape.fill
                     else f"{t}.{name}")
            new = f"CASE WHEN {fresh} THEN {new} ELSE {stale} END"
        updates.append(f"{name} = {new}")
    sql += "DO UPDATE SET " + ", ".join(updates)
    if g is not None and not shape.fill:
        sql += f" WHERE {fresh}"
    return sql + (f" RETURNING {', '.join(shape.key)}, {g}" if g is not None else "")
