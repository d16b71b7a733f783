"""What the reception-day and service-work routes share: the wired records and one command run
idempotently in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Response
from pydantic import BaseModel

from casebus.access import Principal
from casebus.commands import Idempotency, run_command
from casebus.http import app_state
from casebus.repository import Metadata
from services.intake.service_layer.office_records import OfficeRecords

Records = Annotated[OfficeRecords, Depends(app_state("office_records"))]
Action = Callable[[asyncpg.Connection, Metadata], Awaitable[dict[str, Any]]]


async def office_command(records: OfficeRecords, principal: Principal, key: Idempotency,
                         response: Response, body: BaseModel | None,
                         action: Action) -> dict[str, Any]:
    async def run(conn: asyncpg.Connection) -> dict[str, Any]:
        return await action(conn, Metadata.fresh(principal.actor))

    answer = await run_command(records.repository.store.pool, district=principal.district,
                               idempotency=key,
                               body=body.model_dump(mode="json") if body else {}, action=run)
    return answer.send(response)
