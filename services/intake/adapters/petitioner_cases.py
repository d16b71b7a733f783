"""Which cases a petitioner appears in: ``case_petitioners`` of ``casebus.personal_data``
(written when a registration's personal data is sealed; read here, never written)."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg


async def cases_sharing_petitioners(conn: asyncpg.Connection, petitioner_ids: Iterable[str],
                                    excluding: str) -> list[str]:
    rows = await conn.fetch(
        """SELECT DISTINCT case_id FROM case_petitioners
           WHERE petitioner_id = ANY($1::text[]) AND case_id <> $2 ORDER BY case_id""",
        list(petitioner_ids), excluding)
    return [r["case_id"] for r in rows]
