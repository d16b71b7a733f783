"""What every command on a case does over HTTP: one transaction through ``run_command``
(idempotent, decided again on a race), 404 unless the caller may see the case, then the
domain decides; the answer is the new events and the assignment's state after them.

A unit handler sees only cases its unit holds, held or assists; any other case, like another
district's, answers 404 exactly as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Response

from casebus.access import OFFICE, Principal, Role, ensure_case_visible, require_roles
from casebus.commands import Idempotency, run_command
from casebus.http import app_state
from casebus.repository import Metadata
from services.routing.bootstrap import Routing
from services.routing.domain.assignment import AssignmentState
from services.routing.domain.commands import CaseCommand
from services.routing.entrypoints.assignment_view import event_view, summary
from services.routing.service_layer.case_assignments import CaseContext, FollowUp, fold_state

UnitHandler = Annotated[Principal, Depends(require_roles(Role.UNIT_HANDLER))]
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]
Office = Annotated[Principal, Depends(require_roles(*OFFICE))]


RoutingService = Annotated[Routing, Depends(app_state("routing"))]
Make = Callable[[CaseContext], CaseCommand]


def ensure_visible(principal: Principal, case_id: str, state: AssignmentState) -> None:
    ensure_case_visible(principal, case_id, state.district or None, state.units_involved)


async def act(service: RoutingService, principal: Principal, case_id: str,
              idempotency: Idempotency, response: Response, body: dict[str, Any], make: Make,
              then: Callable[[CaseContext], FollowUp | None] | None = None,
              also: Callable[[AssignmentState], dict[str, Any]] | None = None
              ) -> dict[str, Any]:
    """Run the command ``make`` builds from the case's context; ``then`` gives a follow-up
    decided in the same append, ``also`` adds to the answer."""
    async def action(conn: asyncpg.Connection) -> dict[str, Any]:
        context = await service.assignments.context(case_id, conn)
        ensure_visible(principal, case_id, context.state)
        new = await service.assignments.execute(
            conn, make(context), Metadata.fresh(principal.actor),
            then=then(context) if then is not None else None, on=context.known)
        after = fold_state(new, context.state)
        return {"case_id": case_id, "events": [event_view(e) for e in new],
                "state": summary(after), **(also(after) if also is not None else {})}

    answer = await run_command(service.pool, district=principal.district,
                               idempotency=idempotency, body=body, action=action)
    return answer.send(response)
