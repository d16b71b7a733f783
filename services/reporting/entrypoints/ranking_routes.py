"""Monthly rankings: a leader publishes (computed and frozen), the office reads them, and
anyone of the office sees one recomputed over the same history with other weights."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from casebus.access import Principal, Role, require_roles
from casebus.commands import IdempotencyKey, run_command
from casebus.domain.measured_rate import RateKind
from casebus.domain.rankings import RankBy, RankingWeights
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES, READ_RESPONSES
from services.reporting.domain.periods import BadPeriod, parse_month
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service
from services.reporting.entrypoints.ranking_schemas import RankingIn
from services.reporting.entrypoints.rate_examples import RANKING, answer
from services.reporting.service_layer import rankings

router = APIRouter(prefix="/api/v1", tags=["rankings"])
RankingId = Annotated[str, Path(max_length=100)]
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]


@router.post("/rankings", status_code=201, responses=COMMAND_RESPONSES | answer(RANKING, 201))
async def publish(body: RankingIn, principal: Leader, service: Service, key: IdempotencyKey,
                  response: Response) -> dict[str, Any]:
    """Rank the district's units or communities for a month and freeze the result: it is
    answered the same, byte for byte, from then on (``GET /rankings/{id}``)."""
    district = principal.district
    try:
        parse_month(body.month)
    except BadPeriod as exc:
        raise HTTPException(422, str(exc)) from exc
    weights = (RankingWeights.of(body.weights) if body.weights is not None
               else service.standards.weights(district))
    basically = (Fraction(body.basically_satisfied_weight)
                 if body.basically_satisfied_weight is not None
                 else service.standards.basically_satisfied_weight(district))

    async def freeze(conn: Any) -> dict[str, Any]:
        return await rankings.publish(
            conn, district=district, month=body.month, by=RankBy(body.by.value),
            weights=weights, basically_satisfied_weight=basically, at=service.clock.now(),
            computed_by=principal.subject)

    answer = await run_command(service.pool, district=district, idempotency=key,
                               body=body.model_dump(mode="json"), action=freeze)
    return answer.send(response)


@router.get("/rankings", responses=LIST_RESPONSES)
async def listed(principal: CaseReader, service: Service, page: Page,
                 month: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}$")] = None
                 ) -> dict[str, Any]:
    """The district's published rankings, newest first."""
    return await rankings.listed(service.pool, principal.district, month, page.limit,
                                 page.offset)


@router.get("/rankings/{ranking_id}", responses=READ_RESPONSES | answer(RANKING))
async def published(ranking_id: RankingId, principal: CaseReader,
                    service: Service) -> Response:
    """The ranking exactly as published (the same bytes however many events came since)."""
    body = await rankings.published(service.pool, principal.district, ranking_id)
    if body is None:
        raise HTTPException(404, "no such ranking")
    return Response(content=body, media_type="application/json")


@router.get("/rankings/{ranking_id}/recomputed", responses=COMMAND_RESPONSES)
async def recomputed(
        ranking_id: RankingId, principal: CaseReader, service: Service,
        weights: Annotated[str | None, Query(max_length=500, description=(
            "rate=weight,... summing to 1, e.g. timely-acceptance=0.5,unit-satisfaction=0.5 "
            "(default: the published weights)"))] = None,
        basically_satisfied_weight: Annotated[str | None, Query(
            pattern=r"^(0(\.[0-9]{1,10})?|1(\.0{1,10})?)$", description=(
                "0..1 (default: the published one)"))] = None) -> dict[str, Any]:
    """The published ranking beside the same history (the events at or below its log
    positions) ranked again, with these weights; the published ranking is not touched."""
    result = await rankings.recomputed(
        service.pool, principal.district, ranking_id, _weights(weights),
        None if basically_satisfied_weight is None else Fraction(basically_satisfied_weight))
    if result is None:
        raise HTTPException(404, "no such ranking")
    return result


_WEIGHT = re.compile(r"[0-9](\.[0-9]{1,10})?")


def _weights(text: str | None) -> RankingWeights | None:
    if text is None:
        return None
    try:
        pairs = dict(part.split("=", 1) for part in text.split(","))
        if not all(_WEIGHT.fullmatch(v.strip()) for v in pairs.values()):
            raise ValueError("a weight is a decimal such as 0.35")
        parsed = {RateKind(k.strip()): Fraction(v.strip()) for k, v in pairs.items()}
    except ValueError as exc:
        raise HTTPException(422, "weights are rate=weight pairs separated by commas, "
                                 f"rates among {[k.value for k in RateKind]}") from exc
    return RankingWeights.of(parsed)
