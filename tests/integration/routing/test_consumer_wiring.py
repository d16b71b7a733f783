"""The consumer as deployed: intake's events and accountability's calendar corrections arrive
over the broker, and routing assigns, closes and reopens with the district's calendar."""

from __future__ import annotations

from typing import Any

import asyncpg

from casebus.envelope import CloudEvent, make_cloud_event
from casebus.topics import events_topic
from tests.conftest import eventually
from tests.integration.platform.kafka_tools import produce

from .conftest import T0, clerk, intake_event, registered


async def publish(bootstrap: str, service: str, *events: CloudEvent) -> None:
    await produce(bootstrap, events_topic(service), [(e.subject, e.to_bytes()) for e in events])


def day_corrected(district: str, day: str) -> CloudEvent:
    return make_cloud_event(
        event_id=f"correction-{district}-{day}", source="urn:petition:accountability",
        wire_type="petition.calendar.day-corrected.v1", subject=f"calendar:{district}",
        time=T0, district=district, correlation_id="c", causation_id="c",
        actor="leader:zhao", data={"district": district, "occurred_at": T0.isoformat(),
                                   "day": day, "kind": "holiday",
                                   "reason": "district flood day", "corrected_by": "zhao"})


async def test_intake_and_calendar_events_over_the_broker(client, settings) -> None:
    # Haidian, so that this correction (re-read by later tests' consumers) moves only this test.
    await publish(settings.kafka_bootstrap, "accountability",
                  day_corrected("haidian", "2026-03-05"))

    async def corrected() -> bool:
        conn = await asyncpg.connect(settings.database_url)
        try:
            return bool(await conn.fetchval("SELECT count(*) FROM calendar_corrections"))
        finally:
            await conn.close()

    await eventually(corrected)
    await publish(settings.kafka_bootstrap, "intake", registered("case-wired", district="haidian"))
    headers = clerk(settings, district="haidian")

    async def assignment() -> dict[str, Any] | None:
        answer = await client.get("/api/v1/assignments/case-wired", headers=headers)
        return answer.json() if answer.status_code == 200 else None

    state = (await eventually(assignment))["state"]
    # 5 working days from Mon 2 Mar without Thu 5 Mar: 3, 4, 6, 9, 10.
    assert state["return_deadline"] == "2026-03-11T00:00:00+08:00"
    await publish(settings.kafka_bootstrap, "intake",
                  intake_event("petition.case.merged.v1", "case-wired", "haidian", at=T0,
                               into_case_id="case-0", clerk_id="wang"),
                  intake_event("petition.case.unmerged.v1", "case-wired", "haidian", at=T0,
                               from_case_id="case-0", clerk_id="wang"))

    async def reopened() -> list[str] | None:
        body = await assignment()
        types = [e["type"] for e in body["events"]] if body else []
        return types if "petition.case.reopened.v1" in types else None

    assert await eventually(reopened) == [
        "petition.case.assigned.v1", "petition.case.assignment-closed.v1",
        "petition.case.reopened.v1"]
