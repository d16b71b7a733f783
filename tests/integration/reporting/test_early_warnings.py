"""Leaders read the early-warning worker's warnings; a warning published again is one."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import httpx

from casebus.access import Role
from casebus.envelope import make_cloud_event
from casebus.settings import Settings
from services.reporting.adapters import early_warnings
from tests.integration.reporting.conftest import START
from tests.integration.service_app import auth


def warning(district: str, warning_id: str):  # type: ignore[no-untyped-def]
    data = {"warning_id": warning_id, "kind": "collective", "key": "Dingjia/gas",
            "community": "Dingjia", "category": "gas", "district": district,
            "occurred_at": START.isoformat(), "window_start": START.isoformat(),
            "window_end": (START + timedelta(days=7)).isoformat(), "first_day": "2026-03-02",
            "last_day": "2026-03-08", "count": 5, "threshold": 5, "key_period": False,
            "case_ids": ["c1", "c2", "c3", "c4", "c5"]}
    return make_cloud_event(event_id=warning_id, source="urn:petition:early-warning",
                            wire_type="petition.early-warning.raised.v1",
                            subject=f"{district}|collective|Dingjia/gas", time=START,
                            district=district, correlation_id="c", causation_id="c",
                            actor="system:early-warning", data=data)


async def test_warnings_are_listed_per_district_once_each(
        client: httpx.AsyncClient, settings: Settings, read_models: asyncpg.Pool) -> None:
    for event in (warning("chaoyang", "w-1"), warning("chaoyang", "w-1"),
                  warning("haidian", "w-2")):
        async with read_models.acquire() as conn, conn.transaction():
            await early_warnings.record(conn, event)
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    listed = (await client.get("/api/v1/early-warnings", headers=leader)).json()
    assert listed["total"] == 1
    (only,) = listed["early_warnings"]
    assert (only["warning_id"], only["count"], only["case_ids"]) == (
        "w-1", 5, ["c1", "c2", "c3", "c4", "c5"])
    assert only["window_start"] == "2026-03-02T09:00:00+08:00"
    unit = auth(settings, role=Role.UNIT_HANDLER, subject="li", unit="gas-company")
    assert (await client.get("/api/v1/early-warnings", headers=unit)).status_code == 403
