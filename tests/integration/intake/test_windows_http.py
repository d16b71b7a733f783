"""Every window is counted on the district's calendar, as corrected by the district (the
correction reaches intake through its consumer handler for accountability's event)."""

from __future__ import annotations

from datetime import datetime

from tests.integration.intake.helpers import (
    CST,
    accepted_case,
    apply,
    clerk,
    day_corrected,
    refused,
    rules_published,
    step,
    unit_handler,
)


async def test_a_district_holiday_extends_the_evaluation_window(app, client, settings,
                                                                clock) -> None:
    await apply(app, rules_published("haidian"))
    districts = ("chaoyang", "haidian")
    cases = {d: await accepted_case(app, client, settings, clock, district=d) for d in districts}
    clock.advance(datetime(2026, 3, 3, 10, tzinfo=CST) - clock.now())
    for district, case_id in cases.items():
        await step(client, f"/api/v1/petitions/{case_id}/answer",
                   unit_handler(settings, district=district),
                   {"outcome": "explain", "summary": "The pipes are on order."})
        await step(client, f"/api/v1/petitions/{case_id}/delivery", clerk(settings, district))
    # Delivered 3 March: 30 days end with 2 April. Chaoyang declares 2 April a holiday, so its
    # window runs to the end of 3 April (the next working day); Haidian's does not.
    await apply(app, day_corrected("chaoyang", "2026-04-02", clock.now()))

    clock.advance(datetime(2026, 4, 3, 10, tzinfo=CST) - clock.now())
    lapsed = await step(client, f"/api/v1/petitions/{cases['haidian']}/evaluation-lapse",
                        clerk(settings, "haidian"))
    assert lapsed["state"]["evaluation_lapsed"] is True
    chaoyang = f"/api/v1/petitions/{cases['chaoyang']}"
    await refused(client, f"{chaoyang}/evaluation-lapse", clerk(settings),
                  "evaluation-window-still-open")
    await step(client, f"{chaoyang}/evaluations", clerk(settings),
               {"evaluator": "petition-office", "satisfaction": "satisfied"})

    clock.advance(datetime(2026, 4, 4, 0, 1, tzinfo=CST) - clock.now())
    await refused(client, f"{chaoyang}/evaluations", clerk(settings), "evaluate-within-window",
                  {"evaluator": "responsible-unit", "satisfaction": "satisfied"})
    lapsed = await step(client, f"{chaoyang}/evaluation-lapse", clerk(settings))
    assert lapsed["state"]["evaluations"] == {"petition-office": "satisfied"}
