"""A district's clocks as the planner sees them after years: many concluded cases with stopped
clocks, an open workload whose running clocks are mostly far from due, and a few that need
attention; analysed, so a plan shows what the real tables would get."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg


async def seed_clock_history(conn: asyncpg.Connection, now: datetime, *, concluded: int = 3000,
                             open_cases: int = 1500, needing_attention: int = 10) -> None:
    await conn.executemany(
        "INSERT INTO case_view (case_id, district, concluded_at) VALUES ($1, 'chaoyang', $2)",
        [(f"h-{n}", now - timedelta(days=400)) for n in range(concluded)]
        + [(f"o-{n}", None) for n in range(open_cases)])
    await conn.executemany(
        """INSERT INTO case_clocks (clock_id, case_id, district, phase, due_at)
           VALUES ($1, $2, 'chaoyang', $3, $4)""",
        [(f"k-h-{n}", f"h-{n}", "stopped", now - timedelta(days=380)) for n in range(concluded)]
        + [(f"k-o-{n}", f"o-{n}", "running",
            now + (timedelta(days=-1) if n < needing_attention else timedelta(days=30)))
           for n in range(open_cases)])
    await conn.execute("ANALYZE case_view")
    await conn.execute("ANALYZE case_clocks")
