"""The district's routing rules: read the current document, publish a new version (leaders).

A published version is an event (stream ``routing-rules:<district>``): new cases are routed by
the newest one; cases routed earlier keep the version and explanation they were routed by.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import asyncpg
import yaml
from fastapi import APIRouter, Body, Depends, HTTPException, Response, status

from casebus.access import EVERY_CASE_ROLE, Principal, require_roles
from casebus.commands import IdempotencyKey, run_command
from casebus.http_problems import COMMAND_RESPONSES, READ_RESPONSES
from casebus.repository import Metadata
from services.routing.domain.commands import PublishRoutingRules
from services.routing.entrypoints.case_command import Leader, RoutingService

router = APIRouter(prefix="/api/v1/routing-rules", tags=["routing rules"])
Reader = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE))]
_EXAMPLE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "rules" / "chaoyang.yaml").read_text())


@router.get("", responses=READ_RESPONSES)
async def read_rules(principal: Reader, service: RoutingService) -> dict[str, Any]:
    """The district's current routing document and its version."""
    rules = await service.rules.current(principal.district)
    if rules is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            f"district {principal.district} has no routing rules")
    return {"district": principal.district, "rules_version": rules.version,
            "document": rules.model_dump(mode="json")}


@router.post("", responses=COMMAND_RESPONSES)
async def publish_rules(
        document: Annotated[dict[str, Any], Body(examples=[_EXAMPLE])], principal: Leader,
        service: RoutingService, key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Publish a new version of the district's routing document (the body). Refused with 409
    "routing-rules-valid" (every problem named), "routing-rules-version-newer" or
    "routing-rules-of-own-district"."""
    async def publish(conn: asyncpg.Connection) -> dict[str, Any]:
        event = await service.publishing.publish(
            PublishRoutingRules(district=principal.district, at=service.clock.now(),
                                document=document),
            Metadata.fresh(principal.actor), conn)
        return {"district": event.district, "rules_version": event.rules_version,
                "document": event.document}

    answer = await run_command(service.pool, district=principal.district, idempotency=key,
                               body=document, action=publish)
    return answer.send(response)
