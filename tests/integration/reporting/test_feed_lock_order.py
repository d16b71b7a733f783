"""Two of reporting's transactions (two topics' pages) touching one case never deadlock: each
takes the feed's head before any row of the case, so the second waits for the first whole."""

from __future__ import annotations

import asyncio

import asyncpg

from casebus.calendars import CalendarBook
from casebus.envelope import CloudEvent
from services.reporting.service_layer.event_handlers import every_other_event, handlers
from tests.integration.reporting.events import CaseEvents, local


async def test_two_pages_on_one_case_wait_for_each_other_and_both_commit(
        read_models: asyncpg.Pool) -> None:
    applying = handlers(CalendarBook(read_models))

    async def apply(conn: asyncpg.Connection, event: CloudEvent) -> None:
        await applying.get(event.type, every_other_event)(conn, event)

    shared, other = CaseEvents(), CaseEvents()
    routing_page = await read_models.acquire()
    intake_page = await read_models.acquire()
    try:
        await routing_page.execute("BEGIN")
        await apply(routing_page, other.assigned(local(2026, 3, 2, 11), "gas-company"))
        # The routing page holds the feed's head now; the intake page asks for it.
        await intake_page.execute("BEGIN")
        registering = asyncio.create_task(
            apply(intake_page, shared.registered(local(2026, 3, 2, 10))))
        await asyncio.sleep(0.3)
        assert not registering.done()  # waiting for the head, holding no row of the case
        # The routing page's next event is of the case the intake page is on.
        await asyncio.wait_for(
            apply(routing_page, shared.assigned(local(2026, 3, 2, 11), "gas-company")), 5)
        await routing_page.execute("COMMIT")
        await asyncio.wait_for(registering, 5)  # no deadlock detected in either
        await intake_page.execute("COMMIT")
    finally:
        await read_models.release(routing_page)
        await read_models.release(intake_page)
    view = await read_models.fetchrow("SELECT unit_id, category FROM case_view "
                                      "WHERE case_id = $1", shared.case_id)
    assert (view["unit_id"], view["category"]) == ("gas-company", "gas")
