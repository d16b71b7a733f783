"""``casebus calendar show | correct``: the district's working-day calendar, over
accountability's HTTP API (reading needs any token of the district; correcting, a leader's)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from uuid import uuid4

import typer
from rich.table import Table

from casebus.cli.common import USAGE, bearer, call, clean_errors, fail, out, service_url

app = typer.Typer(help="The district's working-day calendar (accountability).",
                  no_args_is_help=True)
Url = Annotated[str | None, typer.Option(help="accountability's URL (CASEBUS_ACCOUNTABILITY_URL)")]
Token = Annotated[str | None, typer.Option(help="bearer token (CASEBUS_TOKEN)")]


@app.command()
@clean_errors
def show(year: Annotated[int, typer.Option(min=1949, max=2200)], url: Url = None,
         token: Token = None,
         as_json: Annotated[bool, typer.Option("--json", help="print the JSON answer")] = False,
         ) -> None:
    """Holidays, make-up working days and the district's corrections of a year."""
    base = service_url("accountability", url)
    body: dict[str, Any] = call("GET", f"{base}/api/v1/calendar?year={year}",
                                headers=bearer(token)).json()
    if as_json:
        print(json.dumps(body, ensure_ascii=False))
        return
    out.print(f"{body['district']} {year}: "
              f"{'national schedule' if body['nationally_scheduled'] else 'weekends only'}"
              f" ({len(body['holidays'])} holidays, {len(body['makeup_workdays'])} make-up days)")
    table = Table("day", "kind", title="holidays and make-up working days")
    days = [(d, "holiday") for d in body["holidays"]] + \
           [(d, "make-up working day") for d in body["makeup_workdays"]]
    for day, kind in sorted(days):
        table.add_row(day, kind)
    out.print(table)
    if body["corrections"]:
        fixes = Table("day", "kind", "reason", "by", title="the district's corrections")
        for c in body["corrections"]:
            fixes.add_row(str(c.get("day")), str(c.get("kind")), str(c.get("reason")),
                          str(c.get("corrected_by")))
        out.print(fixes)


@app.command()
@clean_errors
def correct(day: Annotated[str, typer.Argument(help="the day, e.g. 2026-05-06")],
            reason: Annotated[str, typer.Option(help="why (recorded with the correction)")],
            working: Annotated[bool, typer.Option("--working", help="make it a working day")] =
            False,
            holiday: Annotated[bool, typer.Option("--holiday", help="make it a holiday")] = False,
            national: Annotated[bool, typer.Option(
                "--national", help="give it back to the national schedule")] = False,
            url: Url = None, token: Token = None,
            idempotency_key: Annotated[str | None, typer.Option(
                help="retry safely with the same key (default: a new one)")] = None) -> None:
    """Correct one day of the district's calendar (a leader's token)."""
    chosen = [k for k, on in (("working-day", working), ("holiday", holiday),
                              ("national", national)) if on]
    if len(chosen) != 1:
        fail("choose exactly one of --working, --holiday, --national", USAGE)
    try:
        date.fromisoformat(day)
    except ValueError:
        fail(f"not a day: {day!r} (expected YYYY-MM-DD)", USAGE)
    base = service_url("accountability", url)
    headers = bearer(token) | {"Idempotency-Key": idempotency_key or str(uuid4())}
    answer = call("PUT", f"{base}/api/v1/calendar/days/{day}", headers=headers,
                  json={"kind": chosen[0], "reason": reason}, accept=(409,))
    body = answer.json()
    if answer.status_code == 409:
        fail(f"refused: {body.get('detail')}")
    state = "a working day" if body["working_day"] else "not a working day"
    out.print(f"{body['day']} is now {state} in {body['district']} ({body['kind']}: "
              f"{body['reason']})", highlight=False)
