"""Reporting keeps no free text a clerk typed, also from registrations published before v2
(which carried the subject and location in clear): nothing of them in any table."""

from __future__ import annotations

import asyncpg

from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents


async def test_a_v1_registrations_subject_and_location_are_not_kept(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    old = CaseEvents()
    await feed(old.registered(START, version=1))
    assert old.registered(START, version=1).data["subject"] == "gas in Dingjia"
    row = await read_models.fetchrow(
        "SELECT stage, category, subject, location FROM case_view WHERE case_id = $1",
        old.case_id)
    assert dict(row) == {"stage": "registered", "category": "gas", "subject": None,
                         "location": None}
    # Every table of reporting's database, every text and JSON column: the text is nowhere.
    columns = await read_models.fetch(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json')""")
    for c in columns:
        found = await read_models.fetchval(
            f'SELECT count(*) FROM "{c["table_name"]}" '
            f'WHERE "{c["column_name"]}"::text LIKE ANY($1)',
            ["%gas in Dingjia%", "%Building 3%"])
        assert found == 0, f"{c['table_name']}.{c['column_name']} keeps free text"
