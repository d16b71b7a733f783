"""Bearer tokens scoped to one district and one role (and, for unit handlers, one unit).

Every HTTP request carries ``Authorization: Bearer <jwt>`` (HS256). The token names the
district and the role; a unit handler's token also names the unit. A case of another district
is answered exactly like a case that does not exist (404), so a stranger learns nothing.
Mint one with ``./dev token --district D --role clerk --subject NAME``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError, model_validator

from casebus.settings import Settings

ISSUER = Settings.model_fields["token_issuer"].default
AUDIENCE = Settings.model_fields["token_audience"].default


class Role(StrEnum):
    CLERK = "clerk"              # registers petitions, records decisions at a petition office
    UNIT_HANDLER = "unit-handler"  # accepts, returns and answers for one unit
    LEADER = "leader"            # supervises, approves extensions, reads everything
    AUDITOR = "auditor"          # reads, draws spot checks
    OPERATOR = "operator"        # watches streams and health; no case content


# The role sets the services use, named once.
OFFICE = (Role.CLERK, Role.LEADER)                      # acts for the petition office
CASE_READERS = (Role.CLERK, Role.LEADER, Role.AUDITOR)  # may read whole cases (not units)
EVERY_CASE_ROLE = (*CASE_READERS, Role.UNIT_HANDLER)    # units read only their own cases


class Principal(BaseModel):
    subject: str
    district: str
    role: Role
    unit_id: str | None = None

    @model_validator(mode="after")
    def _unit_handlers_name_their_unit(self) -> Principal:
        if not self.subject.strip() or not self.district.strip():
            raise ValueError("a token names a subject and a district")
        if self.role is Role.UNIT_HANDLER and not self.unit_id:
            raise ValueError("a unit handler's token must name the unit")
        return self

    @property
    def actor(self) -> str:
        """How events record who acted: ``role:subject``."""
        return f"{self.role}:{self.subject}"


def mint_token(secret: str, *, subject: str, district: str, role: Role,
               unit_id: str | None = None, ttl_seconds: int = 30 * 24 * 3600,
               issuer: str = ISSUER, audience: str = AUDIENCE) -> str:
    if ttl_seconds <= 0:
        raise ValueError("a token's lifetime must be positive")
    Principal(subject=subject, district=district, role=role, unit_id=unit_id)  # validates
    now = int(time.time())
    claims: dict[str, object] = {"sub": subject, "district": district, "role": str(role),
                                 "iat": now, "exp": now + ttl_seconds, "iss": issuer,
                                 "aud": audience}
    if unit_id:
        claims["unit"] = unit_id
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str, issuer: str = ISSUER,
                 audience: str = AUDIENCE) -> Principal:
    """The token's principal. A client sends the same token with every request: a token
    verified before is taken from a small cache (keyed by everything checked) until it
    expires, sparing the signature check and the claims' validation each time."""
    key = (secret, token, issuer, audience)
    known = _verified.get(key)
    if known is not None and time.time() < known[1]:
        return known[0]
    claims = jwt.decode(token, secret, algorithms=["HS256"], issuer=issuer, audience=audience,
                        options={"require": ["exp", "sub", "iss", "aud"]})
    principal = Principal(subject=claims["sub"], district=claims["district"],
                          role=claims["role"], unit_id=claims.get("unit"))
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()  # simple bound: a burst of new tokens only costs re-verifying
    _verified[key] = (principal, float(claims["exp"]))
    return principal


_VERIFIED_MAX = 4096
_verified: dict[tuple[str, str, str, str], tuple[Principal, float]] = {}


_bearer = HTTPBearer(auto_error=False)
# The dashboard's session: an HttpOnly, SameSite=Strict cookie holding a token (set by
# reporting's ``POST /dashboard/session``). Accepted for reads only: a command never trusts a
# cookie, so a forged cross-site form cannot act with a signed-in user's rights (CSRF).
SESSION_COOKIE = "casebus_session"
_COOKIE_METHODS = frozenset({"GET", "HEAD"})


def _presented_token(request: Request,
                     credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    if request.method in _COOKIE_METHODS:
        return request.cookies.get(SESSION_COOKIE) or None
    return None


# ``async`` so FastAPI runs it on the event loop, not in its thread pool.
async def current_principal(request: Request,
                            credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                   Depends(_bearer)]) -> Principal:
    token = _presented_token(request, credentials)
    if token is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    settings: Settings = request.app.state.settings
    try:
        return verify_token(settings.token_secret, token,
                            settings.token_issuer, settings.token_audience)
    except (jwt.PyJWTError, KeyError, ValidationError) as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"invalid token: {exc}",
                            headers={"WWW-Authenticate": "Bearer"}) from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {principal.role} may not do this; needs one of "
                                f"{', '.join(roles)}")
        return principal
    return check


def not_found(case_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")


def ensure_case_visible(principal: Principal, case_id: str, district: str | None,
                        units: tuple[str, ...] | list[str] | None = None) -> None:
    """404 unless the case exists (``district`` known), is in the caller's district and, for a
    unit handler, involves the caller's unit (``units``: every unit that holds or held it).
    Another district's case answers exactly like a missing one."""
    if district is None or district != principal.district:
        raise not_found(case_id)
    if principal.role is Role.UNIT_HANDLER and principal.unit_id not in (units or ()):
        raise not_found(case_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev token",
                                     description="Mint a bearer token for the petition APIs")
    parser.add_argument("--district", required=True)
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--subject", required=True, help="who the token is for")
    parser.add_argument("--unit", help="unit id (required for unit-handler)")
    parser.add_argument("--ttl-days", type=int, default=30)
    args = parser.parse_args(argv)
    try:
        settings = Settings()
        print(mint_token(settings.token_secret, subject=args.subject, district=args.district,
                         role=Role(args.role), unit_id=args.unit,
                         ttl_seconds=args.ttl_days * 86400, issuer=settings.token_issuer,
                         audience=settings.token_audience))
    except (ValueError, ValidationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
