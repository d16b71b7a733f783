"""``casebus token``: mint a bearer token, with the same refusals as ``./dev token``."""

from __future__ import annotations

from typing import Annotated

import typer

from casebus.cli.common import USAGE, clean_errors, fail


@clean_errors
def token(district: Annotated[str, typer.Option(help="the district the token is scoped to")],
          role: Annotated[str, typer.Option(
              help="clerk, unit-handler, leader, auditor or operator")],
          subject: Annotated[str, typer.Option(help="who the token is for")],
          unit: Annotated[str | None, typer.Option(
              help="unit id (required for unit-handler)")] = None,
          ttl_days: Annotated[int, typer.Option(help="lifetime in days")] = 30) -> None:
    """Mint a bearer token for the petition APIs (signed with CASEBUS_TOKEN_SECRET)."""
    # Imported here: the web framework behind casebus.access is slow to import.
    from pydantic import ValidationError

    from casebus.access import Role, mint_token
    from casebus.settings import Settings

    if role not in set(Role):
        fail(f"no role {role!r}; one of {', '.join(Role)}", USAGE)
    settings = Settings()
    try:
        minted = mint_token(settings.token_secret, subject=subject, district=district,
                            role=Role(role), unit_id=unit, ttl_seconds=ttl_days * 86400,
                            issuer=settings.token_issuer, audience=settings.token_audience)
    except (ValueError, ValidationError) as exc:
        fail(_reason(exc), USAGE)
    print(minted)


def _reason(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)
