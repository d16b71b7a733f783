"""Reporting's HTTP API: every route module, by who asks."""

from __future__ import annotations

from fastapi import APIRouter

from services.reporting.entrypoints import (
    accountability_routes,
    case_routes,
    export_routes,
    leader_routes,
    ranking_routes,
    rate_routes,
    stream_routes,
    unit_routes,
)

router = APIRouter()
for routes in (case_routes, unit_routes, leader_routes, rate_routes, ranking_routes,
               accountability_routes, export_routes, stream_routes):
    router.include_router(routes.router)
