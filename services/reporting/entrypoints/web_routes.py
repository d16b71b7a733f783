"""The dashboard: static pages and small JavaScript modules (``services/reporting/web``) that
read the district's own API with the session cookie. Sign-in turns a token into that cookie;
the API accepts the cookie for reads only (``casebus.access``), so commands stay CSRF-safe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

import jwt
from fastapi import APIRouter, Depends, FastAPI, Request, status
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.routing import Match

from casebus.access import SESSION_COOKIE, Principal, current_principal, verify_token
from casebus.domain.clock_condition import local_iso
from casebus.settings import Settings

WEB = Path(__file__).resolve().parent.parent / "web"
OPTIONAL_READS = ("/api/v1/breaches", "/api/v1/accountability-reviews", "/api/v1/key-cases",
                  "/api/v1/stream", "/api/v1/exports/backlog.csv")
MAX_TOKEN = 4096  # a signed token is a few hundred characters; refuse anything absurd

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def mount_dashboard(app: FastAPI) -> None:
    """The pages and their assets (ECharts vendored under ``web/vendor``: no internet)."""
    app.include_router(router)
    app.mount("/dashboard/assets", StaticFiles(directory=WEB), name="dashboard-assets")


def _principal_or_none(request: Request, token: str | None) -> Principal | None:
    if not token or len(token) > MAX_TOKEN:
        return None
    settings: Settings = request.app.state.settings
    try:
        return verify_token(settings.token_secret, token, settings.token_issuer,
                            settings.token_audience)
    except (jwt.PyJWTError, KeyError, ValidationError):
        return None


@router.get("")
async def dashboard_root() -> RedirectResponse:
    return RedirectResponse("/dashboard/", status.HTTP_308_PERMANENT_REDIRECT)


@router.get("/", response_model=None)
async def dashboard(request: Request) -> Response:
    """The pages' shell; without a valid session, the sign-in page."""
    if _principal_or_none(request, request.cookies.get(SESSION_COOKIE)) is None:
        return RedirectResponse("/dashboard/sign-in", status.HTTP_303_SEE_OTHER)
    return FileResponse(WEB / "index.html", headers={"Cache-Control": "no-store"})


@router.get("/sign-in")
async def sign_in_page() -> FileResponse:
    return FileResponse(WEB / "sign-in.html")


def _offered(app: FastAPI) -> list[str]:
    """Which of the reads that other parts of reporting add exist in this app: their pages
    show themselves once they do (and never probe into a 404)."""
    def exists(path: str) -> bool:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
        return any(route.matches(scope)[0] is Match.FULL for route in app.routes)
    return [path for path in OPTIONAL_READS if exists(path)]


@router.get("/me")
async def me(request: Request,
             principal: Annotated[Principal, Depends(current_principal)]) -> dict[str, Any]:
    """Who is signed in, the district's now (the pages never use the browser's clock or time
    zone: periods and as-of days are the district's), and what the API offers."""
    now = local_iso(request.app.state.reporting.clock.now()) or ""
    return {**principal.model_dump(mode="json"), "now": now, "today": now[:10],
            "api": _offered(request.app)}


async def _submitted_token(request: Request) -> tuple[str | None, bool]:
    """The token from a form or a JSON body, and whether it came as JSON."""
    body = await request.body()
    if len(body) > 2 * MAX_TOKEN:
        return None, False
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            value = json.loads(body).get("token")
        except (ValueError, AttributeError):
            return None, True
        return (value.strip() if isinstance(value, str) else None), True
    values = parse_qs(body.decode("utf-8", "replace")).get("token", [])
    return (values[0].strip() if values else None), False


@router.post("/session", response_model=None)
async def open_session(request: Request) -> Response:
    """Verify the token and keep it in an HttpOnly, SameSite=Strict cookie (scripts cannot
    read it; other sites' pages cannot send it)."""
    token, as_json = await _submitted_token(request)
    if _principal_or_none(request, token) is None:
        if as_json:
            return JSONResponse({"detail": "invalid token"}, status.HTTP_401_UNAUTHORIZED)
        return RedirectResponse("/dashboard/sign-in?failed=1", status.HTTP_303_SEE_OTHER)
    answer = RedirectResponse("/dashboard/", status.HTTP_303_SEE_OTHER)
    answer.set_cookie(SESSION_COOKIE, token or "", httponly=True, samesite="strict", path="/",
                      secure=request.url.scheme == "https")
    return answer


@router.post("/sign-out")
async def close_session() -> RedirectResponse:
    answer = RedirectResponse("/dashboard/sign-in", status.HTTP_303_SEE_OTHER)
    answer.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return answer
