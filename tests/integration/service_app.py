"""Run a service's FastAPI app in-process (lifespan included) against the real stack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from casebus.access import Role, mint_token
from casebus.settings import Settings


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def auth(settings: Settings, district: str = "chaoyang", role: Role = Role.CLERK,
         subject: str = "clerk-wang", unit: str | None = None) -> dict[str, str]:
    token = mint_token(settings.token_secret, subject=subject, district=district, role=role,
                       unit_id=unit)
    return {"Authorization": f"Bearer {token}"}


AppBuilder = Callable[[Settings], FastAPI]
