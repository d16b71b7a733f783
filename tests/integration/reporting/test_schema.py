"""Reporting's tables come up on a database the walking skeleton's reporting already used."""

from __future__ import annotations

import asyncpg

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.store import migrate
from services.reporting.adapters.schema import DDL
from services.reporting.service_layer.case_reads import case_answer
from services.reporting.service_layer.event_handlers import handlers
from tests.integration.reporting.conftest import START
from tests.integration.reporting.events import CaseEvents

SKELETON_CASE_VIEW = """
CREATE TABLE case_view (
    case_id text PRIMARY KEY, district text NOT NULL, category text, community text,
    subject text, channel text, collective boolean, registered_at timestamptz, unit_id text,
    assigned_at timestamptz, acceptance_due timestamptz, closed_at timestamptz);
INSERT INTO case_view (case_id, district, category, unit_id)
    VALUES ('old-case', 'chaoyang', 'gas', 'gas-company');
"""


async def test_the_skeletons_case_view_gains_the_new_columns(pool: asyncpg.Pool) -> None:
    await pool.execute(SKELETON_CASE_VIEW)
    await migrate(pool, DDL, calendars.DDL)
    await migrate(pool, DDL, calendars.DDL)  # every start runs it again
    case = CaseEvents()
    apply = handlers(CalendarBook(pool))
    for event in (case.registered(START), case.assigned(START, "gas-company")):
        async with pool.acquire() as conn, conn.transaction():
            await apply[event.type](conn, event)
    answer = await case_answer(pool, case.case_id, START)
    assert answer is not None
    assert (answer["stage"], answer["assignment"]["status"]) == ("registered", "assigned")
    old = await case_answer(pool, "old-case", START)
    assert old is not None and (old["unit_id"], old["category"]) == ("gas-company", "gas")
