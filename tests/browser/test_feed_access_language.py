"""The live feed, a unit handler's own view, the English switch, sign-in refusals and Swagger
UI with no internet, in headless chromium."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.browser.session import Demo, Session

SignIn = Callable[[str], Session]


def test_live_feed_shows_a_new_petition(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    s.open("live", "live")
    assert demo.offers("/api/v1/stream")
    s.page.wait_for_selector("#live-rows tr", timeout=15_000)  # the history replays first
    answer = httpx.post(f"{demo.url('intake')}/api/v1/petitions", timeout=30, json={
        "channel": "visit", "category": "parking", "community": "Zhilizhuang",
        "subject": "Charging piles", "description": "Charging piles for building 2.",
        "petitioners": [{"name": "Live Feed"}]},
        headers={"Authorization": f"Bearer {demo.tokens['clerk']}",
                 "Idempotency-Key": "browser-live-feed"})
    assert answer.status_code == 201, answer.text
    s.page.wait_for_selector(f"#live-rows >> text={answer.json()['case_id']}", timeout=20_000)
    s.screenshot("live")


def test_a_unit_handler_sees_only_its_unit(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("gas")
    assert s.page.locator("#nav a").all_inner_texts() == ["本单位案件", "实时动态"]
    s.open("overview", "my-cases")  # not theirs: the dashboard shows their own list
    gas_cases = {demo.cases[0], *demo.cases[8:]}
    assert {row[0] for row in s.rows("my-cases")} == gas_cases
    assert "燃气公司" in s.page.inner_text("#unit-only")
    s.screenshot("my-cases")


def test_english_at_one_click(sign_in: SignIn) -> None:
    s = sign_in("leader")
    s.open("overview", "overview")
    s.page.click("#lang")
    s.page.wait_for_selector('#nav a[data-page="overview"] >> text=District overview')
    s.page.wait_for_selector('#view[data-ready="true"] #backlog-units')
    assert s.page.locator("#backlog-units thead th").first.inner_text() == "Unit"
    assert "Gas company" in {row[0] for row in s.rows("backlog-units")}
    assert s.chart_series("chart-units")[2]["name"] == "Overdue"
    assert s.page.evaluate("document.documentElement.lang") == "en"
    s.screenshot("overview-en")
    s.page.reload()  # the choice is kept
    s.page.wait_for_selector('#view[data-ready="true"] #backlog-units')
    assert s.page.locator("#nav a").first.inner_text() == "District overview"


def test_swagger_ui_works_offline(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    for service in ("reporting", "intake"):
        s.page.goto(f"{demo.url(service)}/docs")
        s.page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        assert "Petition" in s.page.inner_text(".swagger-ui .info .title")
        assert s.page.locator(".opblock").count() > 5
    s.screenshot("docs")


def test_a_bad_token_is_refused(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{demo.reporting}/dashboard/sign-in")
    page.fill("#token", "not-a-token")
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/sign-in?failed=1")
    assert page.is_visible("#failed")
    assert page.context.cookies() == []
    page.close()
