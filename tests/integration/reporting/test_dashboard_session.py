"""The dashboard's session: a token becomes an HttpOnly, SameSite=Strict cookie that the API
accepts for reads only; a command with nothing but the cookie is refused (CSRF). And the
assets every page needs (ECharts, Swagger UI) come from the service itself."""

from __future__ import annotations

import httpx

from casebus.access import SESSION_COOKIE, Role, mint_token
from casebus.settings import Settings
from services.reporting.entrypoints.web_routes import OPTIONAL_READS


def token(settings: Settings, role: Role = Role.LEADER, unit: str | None = None) -> str:
    return mint_token(settings.token_secret, subject="zhao", district="chaoyang", role=role,
                      unit_id=unit)


async def sign_in(client: httpx.AsyncClient, value: str) -> httpx.Response:
    return await client.post("/dashboard/session", data={"token": value})


async def test_signing_in_sets_an_http_only_strict_cookie(client: httpx.AsyncClient,
                                                          settings: Settings) -> None:
    answer = await sign_in(client, token(settings))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    page = await client.get("/dashboard/")
    assert page.status_code == 200 and 'id="view"' in page.text


async def test_a_bad_token_signs_nobody_in(client: httpx.AsyncClient,
                                           settings: Settings) -> None:
    forged = mint_token("another-secret-of-at-least-32-characters!", subject="x",
                        district="chaoyang", role=Role.LEADER)
    answer = await sign_in(client, forged)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard/sign-in?failed=1"
    assert "set-cookie" not in answer.headers
    as_json = await client.post("/dashboard/session", json={"token": "not a token"})
    assert as_json.status_code == 401
    assert (await client.get("/dashboard/")).headers["location"] == "/dashboard/sign-in"


async def test_the_cookie_reads_but_never_commands(client: httpx.AsyncClient,
                                                   settings: Settings) -> None:
    assert (await client.get("/api/v1/backlog")).status_code == 401
    await sign_in(client, token(settings))
    read = await client.get("/api/v1/backlog")
    assert read.status_code == 200, read.text
    assert read.json()["district"] == "chaoyang"
    me = (await client.get("/dashboard/me")).json()
    assert (me["role"], me["district"], me["today"]) == ("leader", "chaoyang", "2026-03-02")
    assert set(me["api"]) <= set(OPTIONAL_READS)  # the reads other parts add, once there
    # A leader's command with only the cookie: refused as unauthenticated, nothing recorded.
    command = await client.post("/api/v1/rankings", json={"month": "2026-03", "by": "unit"},
                                headers={"Idempotency-Key": "cookie-only-1"})
    assert command.status_code == 401, command.text
    assert (await client.get("/api/v1/rankings")).json()["total"] == 0
    # The same command with the bearer header is a command like any other.
    bearer = {"Authorization": f"Bearer {token(settings)}", "Idempotency-Key": "bearer-1"}
    made = await client.post("/api/v1/rankings", json={"month": "2026-03", "by": "unit"},
                             headers=bearer)
    assert made.status_code == 201, made.text


async def test_the_cookie_carries_the_role_and_unit(client: httpx.AsyncClient,
                                                    settings: Settings) -> None:
    await sign_in(client, token(settings, Role.UNIT_HANDLER, "gas-company"))
    assert (await client.get("/api/v1/backlog")).status_code == 403  # office's view
    mine = await client.get("/api/v1/my-cases")
    assert mine.status_code == 200 and mine.json()["unit_id"] == "gas-company"


async def test_signing_out_drops_the_cookie(client: httpx.AsyncClient,
                                            settings: Settings) -> None:
    await sign_in(client, token(settings))
    answer = await client.post("/dashboard/sign-out")
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/sign-in"
    assert (await client.get("/api/v1/backlog")).status_code == 401


async def test_every_asset_is_served_by_the_service(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text
    for asset in ("/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css",
                  "/dashboard/assets/vendor/echarts/echarts.min.js",
                  "/dashboard/assets/js/app.js", "/dashboard/sign-in"):
        assert (await client.get(asset)).status_code == 200, asset
    shell = (await client.get("/dashboard/sign-in")).text
    assert "http://" not in shell and "https://" not in shell
