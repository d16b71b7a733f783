"""``casebus dead-letters list | show ID | replay ID | replay --all``: over each service's
``/api/v1/dead-letters`` (district scoped by the token; content only for auditors)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from casebus.cli.common import (
    FAILED,
    SERVICES,
    USAGE,
    bearer,
    call,
    clean_errors,
    err,
    fail,
    out,
    service_url,
)

app = typer.Typer(help="What consumers could not apply; re-drive it.", no_args_is_help=True)
Url = Annotated[str | None, typer.Option(help="the service's URL (CASEBUS_<SERVICE>_URL)")]
Token = Annotated[str | None, typer.Option(help="bearer token (CASEBUS_TOKEN)")]
Json = Annotated[bool, typer.Option("--json", help="print JSON")]


def _service(name: str) -> str:
    if name not in SERVICES:
        raise typer.BadParameter(f"one of {', '.join(SERVICES)}", param_hint="--service")
    return name


Service = Annotated[str, typer.Option(help=f"one of {', '.join(SERVICES)}", callback=_service)]


@app.command("list")
@clean_errors
def list_(service: Annotated[str | None, typer.Option(
              help="one service (default: every service)")] = None,
          state: Annotated[str, typer.Option(help="all | pending | replayed")] = "all",
          limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
          url: Url = None, token: Token = None, as_json: Json = False) -> None:
    """Newest first, with why and whether a replay settled it."""
    services = [_service(service)] if service else list(SERVICES)
    if url and len(services) > 1:
        fail("--url needs --service", USAGE)
    table = Table("service", "id", "consumer", "event type", "reason", "at", "replayed")
    for name in services:
        base = service_url(name, url)
        body = call("GET", f"{base}/api/v1/dead-letters?state={state}&limit={limit}",
                    headers=bearer(token)).json()
        for row in body["dead_letters"]:
            if as_json:
                print(json.dumps(row | {"service": name}, ensure_ascii=False, default=str))
                continue
            replayed = f"{row['replay_outcome']} by {row['replayed_by']}" \
                if row.get("replayed_at") else "pending"
            table.add_row(name, str(row["id"]), row["consumer"], str(row["event_type"]),
                          str(row["reason"])[:80], str(row["at"])[:19], replayed)
    if not as_json:
        out.print(table)


@app.command()
@clean_errors
def show(dead_letter_id: Annotated[int, typer.Argument(min=1)], service: Service,
         url: Url = None, token: Token = None) -> None:
    """One dead letter with its replay attempts (the message only for auditors)."""
    base = service_url(service, url)
    body = call("GET", f"{base}/api/v1/dead-letters/{dead_letter_id}",
                headers=bearer(token)).json()
    print(json.dumps(body, ensure_ascii=False, indent=2, default=str))


@app.command()
@clean_errors
def replay(dead_letter_id: Annotated[int | None, typer.Argument(min=1)] = None,
           every: Annotated[bool, typer.Option("--all", help="every pending one")] = False,
           service: Service = "reporting", url: Url = None, token: Token = None,
           as_json: Json = False) -> None:
    """Re-drive through the consumer's handler (an operator's token); recorded, applied once."""
    if (dead_letter_id is None) == (not every):
        fail("give one dead letter ID or --all", USAGE)
    base, headers = service_url(service, url), bearer(token)
    if dead_letter_id is not None:
        if not _replay_one(base, headers, dead_letter_id, as_json):
            raise typer.Exit(FAILED)
        return
    tried: set[int] = set()
    while True:  # pages of pending ones, until only those that failed here remain
        body = call("GET", f"{base}/api/v1/dead-letters?state=pending&limit=500",
                    headers=headers).json()
        todo = [row["id"] for row in body["dead_letters"] if row["id"] not in tried]
        if not todo:
            break
        for ident in todo:
            tried.add(ident)
            _replay_one(base, headers, ident, as_json)
    failed = call("GET", f"{base}/api/v1/dead-letters?state=pending&limit=1",
                  headers=headers).json()["total"]
    err.print(f"replayed {len(tried)} dead letter(s); {failed} still pending", highlight=False)
    if failed:
        raise typer.Exit(FAILED)


def _replay_one(base: str, headers: dict[str, str], ident: int, as_json: bool) -> bool:
    answer = call("POST", f"{base}/api/v1/dead-letters/{ident}/replay", headers=headers,
                  accept=(409,))
    body: dict[str, Any] = answer.json()
    if as_json:
        print(json.dumps(body | {"status": answer.status_code}, ensure_ascii=False))
    elif answer.status_code == 409:
        err.print(f"dead letter {ident}: not replayed: {body.get('detail')}", markup=False)
    else:
        again = " (already replayed; nothing applied now)" if body["already_replayed"] else ""
        out.print(f"dead letter {ident}: {body['outcome']} by {body['replayed_by']} at "
                  f"{body['replayed_at']}{again}", highlight=False)
    return answer.status_code == 200
