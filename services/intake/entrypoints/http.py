"""Intake's HTTP API, one router per group of actors' steps (see each module)."""

from __future__ import annotations

from fastapi import APIRouter

from services.intake.entrypoints import (
    classification_routes,
    erasure_routes,
    outcome_routes,
    petition_routes,
    remedy_routes,
    repeat_routes,
    unit_routes,
)

router = APIRouter()
for module in (petition_routes, classification_routes, repeat_routes, unit_routes,
               outcome_routes, remedy_routes, erasure_routes):
    router.include_router(module.router)
