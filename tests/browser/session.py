"""The seeded system and a signed-in browser tab, and how the tests read what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from casebus.access import SESSION_COOKIE
from infra.system import EmbeddedSystem

# Screenshots of every page, for people to look at (ignored by git).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"


@dataclass
class Session:
    """A signed-in browser tab, with what went wrong in it."""
    page: Any
    base: str
    problems: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # requests that left the machine

    def open(self, route: str, page_name: str) -> Any:
        self.page.goto(f"{self.base}/dashboard/#/{route}")
        self.page.wait_for_selector(f'#view[data-ready="true"][data-page="{page_name}"]',
                                    timeout=15_000)
        return self.page

    def chart_series(self, chart_id: str) -> list[dict[str, Any]]:
        """The series an ECharts instance holds (name and data), read from the live chart."""
        series: list[dict[str, Any]] = self.page.evaluate(
            """id => echarts.getInstanceByDom(document.getElementById(id)).getOption()
                      .series.map(s => ({name: s.name, data: s.data}))""", chart_id)
        return series

    def chart_axis(self, chart_id: str) -> list[str]:
        """The categories along a chart's x axis."""
        axis: list[str] = self.page.evaluate(
            "id => echarts.getInstanceByDom(document.getElementById(id)).getOption()"
            ".xAxis[0].data", chart_id)
        return axis

    def rows(self, table_id: str) -> list[list[str]]:
        rows: list[list[str]] = self.page.eval_on_selector_all(
            f"#{table_id} tbody tr",
            "trs => trs.map(tr => [...tr.cells].map(td => td.innerText.trim()))")
        return rows

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@dataclass
class Demo:
    """The running system and what the demo seeding made."""
    system: EmbeddedSystem
    cases: list[str]
    tokens: dict[str, str]
    registered_on: str  # the district's day the demo petitions came in (now is 2 days on)

    @property
    def reporting(self) -> str:
        return self.system.services["reporting"].url

    def url(self, service: str) -> str:
        return self.system.services[service].url

    def offers(self, path: str) -> bool:
        """Whether reporting says it has this read (the pages show a view only for reads
        the signed-in role has)."""
        me = httpx.get(f"{self.reporting}/dashboard/me", timeout=10,
                       cookies={SESSION_COOKIE: self.tokens["leader"]}).json()
        return path in me["api"]
