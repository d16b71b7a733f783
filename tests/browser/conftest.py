"""The dashboard in a real browser: Debian's headless chromium driven by Playwright (never a
downloaded browser) against the whole system as processes, seeded with the demo district."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from uuid import uuid4

import httpx
import pytest

from casebus.access import Role, mint_token
from casebus.clock import SharedSimulatedClock
from casebus.domain.deadlines import CHINA_TZ
from casebus.embedded.postgres import EmbeddedPostgres
from casebus.settings import Settings
from infra.demo import seed, seed_leaders_view
from infra.system import EmbeddedSystem
from tests.browser.session import Demo, Session

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="package")
def demo(embedded_postgres: EmbeddedPostgres,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The system as ``./dev up`` starts it (early-warning worker included), seeded the same
    way, and one case flagged as key by a leader so the ledger has a row."""
    data_dir = Path(tmp_path_factory.mktemp("browser-system"))
    system = EmbeddedSystem(data_dir=data_dir, database_prefix=f"browser_{uuid4().hex[:6]}_",
                            extra_env={"CASEBUS_LOG_LEVEL": "INFO"})
    # On a simulated clock: the petitions come in at 10:00 of a day, and then two days pass,
    # so "as of the registration day" differs from now.
    registration = datetime.now(CHINA_TZ).replace(hour=10, minute=0, second=0, microsecond=0)
    system.simulated_clock = SharedSimulatedClock.starting_at(data_dir / "clock.json",
                                                              registration)
    try:
        system.start_infrastructure(broker_port=0, postgres=embedded_postgres)
        system.start_services({"intake": 0, "routing": 0, "accountability": 0,
                               "reporting": 0, "early_warning": 0})
        system.wait_until_registering()
        secret = Settings().token_secret
        tokens = {role: mint_token(secret, subject=f"demo-{role}", district="chaoyang",
                                   role=Role(role)) for role in ("clerk", "leader")}
        tokens["gas"] = mint_token(secret, subject="li", district="chaoyang",
                                   role=Role.UNIT_HANDLER, unit_id="gas-company")
        cases = seed(system.services["intake"].url, tokens["clerk"])
        urls = {name: proc.url for name, proc in system.services.items()}
        seed_leaders_view(urls, tokens["leader"], cases[1])
        flag_as_key(urls["routing"], tokens["leader"], cases[4])
        system.simulated_clock.advance(timedelta(days=2))
        yield Demo(system, cases, tokens, registration.date().isoformat())
    finally:
        system.stop(stop_postgres=False)


def flag_as_key(routing: str, leader: str, case_id: str, timeout: float = 30.0) -> None:
    """A leader flags the case as key, once routing holds its assignment."""
    deadline = time.monotonic() + timeout
    while True:
        flagged = httpx.post(f"{routing}/api/v1/assignments/{case_id}/key-case-flag",
                             json={"reason": "Resettlement promised twice, never delivered"},
                             headers={"Authorization": f"Bearer {leader}",
                                      "Idempotency-Key": "browser-key-flag"}, timeout=30)
        if flagged.status_code in (200, 201):
            return
        assert flagged.status_code == 404 and time.monotonic() < deadline, flagged.text
        time.sleep(0.3)


@pytest.fixture(scope="package")
def browser(demo: Demo) -> Iterator[Any]:
    # After the system: Playwright's sync API keeps an event loop running in this thread
    # while it is open, and the system's start needs asyncio.run.
    if not CHROMIUM.exists():
        pytest.fail(os.environ.get("CASEBUS_BROWSER_MISSING") or
                    f"{CHROMIUM} is missing: install Debian's chromium package (as root: "
                    "apt-get update && apt-get install -y chromium fonts-wqy-microhei); "
                    "./dev test does this itself when run as root")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def sign_in(browser: Any, demo: Demo) -> Iterator[Callable[[str], Session]]:
    """Sign in with a demo token through the sign-in form; after the test, no console error,
    no uncaught exception and no request off this machine may have happened."""
    sessions: list[Session] = []

    def open_session(who: str) -> Session:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        session = Session(context.new_page(), demo.reporting)

        def local_only(route: Any) -> None:
            if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                session.outside.append(route.request.url)
                route.abort()
        context.route("**/*", local_only)
        session.page.on("console", lambda m: session.problems.append(f"console: {m.text}")
                        if m.type == "error" else None)
        session.page.on("pageerror", lambda e: session.problems.append(f"pageerror: {e}"))
        session.page.goto(f"{demo.reporting}/dashboard/")
        session.page.wait_for_url("**/dashboard/sign-in")
        session.page.fill("#token", demo.tokens[who])
        session.page.click("form[action='/dashboard/session'] button[type=submit]")
        session.page.wait_for_selector('#view[data-ready="true"]', timeout=15_000)
        sessions.append(session)
        return session

    yield open_session
    for session in sessions:
        assert session.problems == [], session.problems
        assert session.outside == [], session.outside
        session.page.context.close()
