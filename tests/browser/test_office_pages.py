"""The office's pages render the seeded district's real data in headless chromium and their
charts hold their series (every session also fails on a console error, an uncaught exception
or a request that leaves the machine: see conftest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from tests.browser.session import Demo, Session

SignIn = Callable[[str], Session]


def test_overview_shows_the_districts_backlog(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    s.open("overview", "overview")
    units = {row[0]: row for row in s.rows("backlog-units")}
    assert units["燃气公司"][1] == "6"  # the gas case and the five neighbours
    assert units["湖畔花园物业公司"][1] == "1"
    assert {row[0] for row in s.rows("backlog-communities")} >= {"Dingjia", "Lakeside Garden"}
    card = s.page.locator('.card[data-key="total_open"] .value').inner_text()
    unassigned = s.page.locator('.card[data-key="unassigned"] .value').inner_text()
    assert int(card) >= 13  # the demo's 8 petitions and 5 neighbours (the live feed adds one)
    held = sum(int(row[1]) for row in units.values())
    assert held + int(unassigned) == int(card)
    open_cases = {row[0] for row in s.rows("open-cases")}
    assert set(demo.cases) <= open_cases
    series = s.chart_series("chart-units")
    assert [x["name"] for x in series] == ["正常办理", "即将到期", "已超期"]
    assert sum(sum(x["data"]) for x in series) == held
    aging = s.chart_series("chart-aging")
    assert aging[0]["name"] == "0-7天" and sum(aging[0]["data"]) == held
    s.screenshot("overview")
    if demo.offers("/api/v1/exports/backlog.csv"):
        link = s.page.get_attribute("a.export[href*='backlog.csv']", "href")
        exported = s.page.request.get(f"{demo.reporting}{link}")  # with the session cookie
        assert exported.status == 200 and demo.cases[0] in exported.text()


def test_rates_trend_and_ranking(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    month = demo.registered_on[:7]
    s.open(f"rates?period={month}&by=unit", "rates")
    rates = {row[0]: row for row in s.rows("rates")}
    header = s.page.locator("#rates thead th").all_inner_texts()
    collective = header.index("集体访率")
    assert rates["湖畔花园物业公司"][collective] == "100.0%"  # the owners came as six
    assert rates["燃气公司"][collective] == "0.0%"
    trend = s.chart_series("chart-trend")
    assert len(trend) == 9 and all(len(x["data"]) == 12 for x in trend)
    timely = next(x for x in trend if x["name"] == "及时受理率")
    months = s.chart_axis("chart-trend")
    assert len(months) == 12 and month in months
    # 0 of the month's cases accepted in time yet; "not applicable" before there were any
    assert timely["data"][months.index(month)] == 0 and timely["data"][0] is None
    assert {row[1] for row in s.rows("ranking")} >= {"燃气公司", "湖畔花园物业公司"}
    s.screenshot("rates")
    s.page.select_option("select[name=by]", "community")
    s.page.click(".controls button[type=submit]")
    s.page.wait_for_selector("#rates tbody tr >> text=Dingjia")
    assert "Lakeside Garden" in {row[0] for row in s.rows("rates")}


def test_breaches_and_reviews(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    s.open("accountability", "accountability")
    assert demo.offers("/api/v1/breaches")
    s.page.wait_for_selector("#breaches tbody tr")
    breach = s.rows("breaches")[0]
    assert breach[0] == "湖畔花园物业公司" and demo.cases[1] in breach[5]
    review = s.rows("reviews")[0]
    assert review[0] == "湖畔花园物业公司" and review[1] == "审查中"
    s.screenshot("accountability")


def test_key_case_ledger(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("leader")
    assert demo.offers("/api/v1/key-cases")
    for _ in range(20):  # the flag travels routing -> accountability -> reporting
        s.open("key-cases", "key-cases")
        if s.page.locator("#key-cases-open tbody tr").count():
            break
        s.page.wait_for_timeout(500)
    ledger = {row[0]: row for row in s.rows("key-cases-open")}
    assert demo.cases[4] in ledger
    assert s.chart_series("chart-key-cases")[0]["data"]
    s.screenshot("key-cases")


def test_case_page_with_timeline_clocks_and_as_of(sign_in: SignIn, demo: Demo) -> None:
    s = sign_in("clerk")
    s.open(f"case/{demo.cases[0]}", "case")
    summary = s.page.inner_text("#case-summary")
    assert "燃气公司" in summary and "燃气" in summary and "丁家社区居委会" in summary
    timeline = s.rows("timeline")
    events = [row[1] for row in timeline]
    assert "登记" in events and "交办" in events and "时限开始" in events
    assert all(row[0].endswith("+08:00") for row in timeline)  # the district's time
    assert any(row[0] == "登记转送" and row[2] == "已停止" for row in s.rows("case-clocks"))
    s.screenshot("case")
    # The case at the end of its registration day (two days ago): the page asks the API
    # (?as_of=) and shows the instant the answer is for.
    day = demo.registered_on
    s.page.fill("#as-of input[name=as_of]", day)
    s.page.click("#as-of button[type=submit]")
    s.page.wait_for_function("d => location.hash.endsWith('as_of=' + d)", arg=day)
    s.page.wait_for_selector(f'#view[data-ready="true"] #as-of input[value="{day}"]')
    assert not s.page.locator("#as-of span.error").count()  # the API honoured the day
    end_of_day = (day, (date.fromisoformat(day) + timedelta(days=1)).isoformat())
    assert s.page.inner_text("#case-as-of").split()[1] in end_of_day
    assert "登记" in [row[1] for row in s.rows("timeline")]
    s.screenshot("case-as-of")
