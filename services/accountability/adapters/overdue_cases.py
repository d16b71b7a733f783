"""Which of a unit's cases were overdue in a period, from the ``clocks`` table: a clock of that
unit and district that fell due in the period and stopped late, or is still open past due.
Exactly this unit's cases: ``assess_letter`` counts whatever it is handed.

A stopped clock is judged by ``on_time`` (the fact's own time), not by ``breached``: a stop read
late (the topics are read independently) may come after the watcher breached the clock."""

from __future__ import annotations

from datetime import datetime

import asyncpg


async def overdue_case_ids(conn: asyncpg.Connection, district: str, unit_id: str,
                           start: datetime, now: datetime) -> list[str]:
    rows = await conn.fetch(
        """SELECT DISTINCT c.case_id FROM clocks c
           WHERE c.district = $1 AND c.unit_id = $2 AND c.due_at >= $3 AND c.due_at < $4
             AND (c.phase <> 'stopped' OR c.on_time IS false)
             AND NOT EXISTS (SELECT 1 FROM case_records r
                             WHERE r.case_id = c.case_id AND NOT r.counted)
           ORDER BY c.case_id""", district, unit_id, start, now)
    return [r["case_id"] for r in rows]
