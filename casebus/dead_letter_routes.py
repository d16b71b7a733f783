"""Every service's dead letters over HTTP: list, show, and replay (``casebus dead-letters``).

District scoped: a caller sees their district's dead letters and those no district can be told
for (bytes that are not an event). Only an auditor sees a message's content, and only of their
own district (it is case content); operators see it redacted. Operators re-drive.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, status
from fastapi.responses import JSONResponse

from casebus import dead_letters
from casebus.access import Principal, Role, require_roles
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES, READ_RESPONSES
from casebus.runtime import ServiceRuntime

Reader = Annotated[Principal, Depends(require_roles(Role.OPERATOR, Role.AUDITOR))]
Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
DeadLetterId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def include_dead_letter_routes(app: FastAPI, runtime: ServiceRuntime) -> None:
    """Adds the routes, and the table of replays to the service's schema."""
    runtime.extra_ddl = (*runtime.extra_ddl, dead_letters.DDL)
    app.include_router(_router(runtime))


def _router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(prefix="/api/v1/dead-letters", tags=["operations"])

    @router.get("", responses=LIST_RESPONSES)
    async def list_dead_letters(
            principal: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 50,
            state: Literal["all", "pending", "replayed"] = "all") -> dict[str, object]:
        """What this service's consumers could not apply, newest first, with why, and whether
        a replay settled it (``state=pending``: not yet)."""
        pool, _ = runtime.database
        total, rows = await dead_letters.listed(pool, principal.district,
                                                principal.role is Role.AUDITOR, state, limit)
        return {"service": runtime.settings.service, "total": total, "dead_letters": rows}

    @router.get("/{dead_letter_id}", responses=READ_RESPONSES)
    async def show_dead_letter(principal: Reader,
                               dead_letter_id: DeadLetterId) -> dict[str, Any]:
        """One dead letter with every replay attempt (who, when, outcome, error)."""
        pool, _ = runtime.database
        row = await dead_letters.one(pool, principal.district, principal.role is Role.AUDITOR,
                                     dead_letter_id)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no dead letter {dead_letter_id}")
        return row | {"service": runtime.settings.service}

    @router.post("/{dead_letter_id}/replay", responses=COMMAND_RESPONSES)
    async def replay_dead_letter(principal: Operator,
                                 dead_letter_id: DeadLetterId) -> JSONResponse:
        """Re-drive the stored message through the consumer's handler and record the replay.
        Idempotent: once applied, a replay answers the recorded outcome with
        ``already_replayed: true`` and applies nothing. 409 with the error if the handler
        still fails (the dead letter stays pending) or the message is not an event."""
        pool, _ = runtime.database
        try:
            done = await dead_letters.replay(pool, runtime.consumers, principal.district,
                                             dead_letter_id, principal.actor)
        except dead_letters.ReplayRefused as exc:
            return JSONResponse(status_code=409, content={"detail": str(exc),
                                                          "rule": "not-replayable"})
        except dead_letters.ReplayFailed as exc:
            return JSONResponse(status_code=409, content={
                "detail": f"the handler failed again; the dead letter stays: {exc}",
                "rule": "handler-failed", "error": str(exc)})
        if done is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no dead letter {dead_letter_id}")
        return JSONResponse(content=done.as_json())

    return router
