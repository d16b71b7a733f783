"""``GET /api/v1/stream``: the district's case events as server-sent events, for the
dashboard's live feed and for operators. Resumes after ``Last-Event-ID`` (EventSource sends it
on every reconnect) or ``?last_event_id=``; follows live when the client asks for an event
stream (``Accept: text/event-stream``, as EventSource always does), else sends what is there
and ends, so a script or a crawler (the OpenAPI fuzzer among them) never hangs on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status

from casebus.access import EVERY_CASE_ROLE, Principal, Role, require_roles
from casebus.http_problems import LIST_RESPONSES
from services.reporting.entrypoints.dependencies import Service
from services.reporting.entrypoints.stream_docs import STREAM_RESPONSES, EventStreamResponse
from services.reporting.service_layer.stream import Pace, Watch, event_stream

router = APIRouter(prefix="/api/v1", tags=["reporting"])
Watcher = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE, Role.OPERATOR))]
POSITION = r"^[0-9]{1,18}$"
WIRE_TYPES = r"^[a-z0-9.-]{1,100}(,[a-z0-9.-]{1,100}){0,49}$"


@router.get("/stream", response_class=EventStreamResponse, status_code=200,
            responses={**LIST_RESPONSES, **STREAM_RESPONSES})
async def stream(request: Request, principal: Watcher, service: Service,
                 types: Annotated[str | None, Query(
                     max_length=2000, pattern=WIRE_TYPES, description="wire types, comma "
                     "separated, e.g. petition.case.assigned.v1,petition.clock.breached.v1")
                 ] = None,
                 unit: Annotated[str | None, Query(
                     max_length=200, description="events of the cases this unit held, holds "
                     "or assists")] = None,
                 case_id: Annotated[str | None, Query(max_length=200)] = None,
                 last_event_id: Annotated[str | None, Query(
                     pattern=POSITION, description="resume after this position (for clients "
                     "that cannot send the Last-Event-ID header, which wins when both come)")
                 ] = None,
                 last_event_id_header: Annotated[str | None, Header(
                     alias="Last-Event-ID", pattern=POSITION)] = None,
                 max_seconds: Annotated[int, Query(
                     ge=1, le=86_400, description="end the stream after this long (EventSource "
                     "then reconnects and resumes)")] = 3600,
                 ) -> EventStreamResponse:
    """The district's case events from a position on, then live: ``id`` is the event's
    position in the feed, ``event`` its wire type, ``data`` JSON with position, type, case_id,
    unit_id, time (local) and the event's public data (operators: ids only). Unit handlers get
    only the cases their unit held, holds or assists. A comment line every 15 s keeps proxies
    from closing a quiet stream."""
    if principal.role is Role.UNIT_HANDLER:
        if unit is not None and unit != principal.unit_id:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                "a unit handler follows only their own unit's cases")
        unit = principal.unit_id
    s, state = request.app.state.settings, request.app.state.reporting_stream
    if not state.slots.take():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            "too many live streams open; retry", headers={"Retry-After": "5"})
    watch = Watch(
        district=principal.district, after=int(last_event_id_header or last_event_id or 0),
        types=types.split(",") if types else None, case_id=case_id, unit=unit,
        ids_only=principal.role is Role.OPERATOR,
        follow="text/event-stream" in request.headers.get("accept", ""),
        max_seconds=max_seconds)
    pace = Pace(page_size=s.stream_page_size, scan=s.stream_page_size * 100,
                heartbeat_seconds=s.stream_heartbeat_seconds, poll_seconds=s.stream_poll_seconds)
    return EventStreamResponse(
        event_stream(service.pool, state.signal, state.slots, watch, pace,
                     request.is_disconnected), on_close=state.slots.give_back)
