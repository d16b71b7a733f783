"""Bearer tokens scoped to one district and one role.

Every HTTP request carries ``Authorization: Bearer <jwt>`` (HS256). The token names the
district and the role; a request for another district's data is refused with 403.
Mint one with ``python -m casebus.access --district D --role clerk --subject NAME``.
"""

from __future__ import annotations

import argparse
import time
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from casebus.settings import Settings


class Role(StrEnum):
    CLERK = "clerk"              # registers petitions at a petition office
    UNIT_HANDLER = "unit-handler"  # accepts, returns and answers for one unit
    LEADER = "leader"            # supervises, signs responsibility letters, reads everything
    AUDITOR = "auditor"          # reads, draws spot checks
    OPERATOR = "operator"        # watches streams and health; no case content


class Principal(BaseModel):
    subject: str
    district: str
    role: Role
    unit_id: str | None = None


def mint_token(secret: str, *, subject: str, district: str, role: Role,
               unit_id: str | None = None, ttl_seconds: int = 30 * 24 * 3600) -> str:
    now = int(time.time())
    claims = {"sub": subject, "district": district, "role": str(role), "iat": now,
              "exp": now + ttl_seconds}
    if unit_id:
        claims["unit"] = unit_id
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str) -> Principal:
    claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    return Principal(subject=claims["sub"], district=claims["district"], role=claims["role"],
                     unit_id=claims.get("unit"))


_bearer = HTTPBearer(auto_error=False)


def current_principal(request: Request,
                      credentials: Annotated[HTTPAuthorizationCredentials | None,
                                             Depends(_bearer)]) -> Principal:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    settings: Settings = request.app.state.settings
    try:
        return verify_token(settings.token_secret, credentials.credentials)
    except (jwt.PyJWTError, KeyError, ValidationError) as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"invalid token: {exc}",
                            headers={"WWW-Authenticate": "Bearer"}) from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role):  # type: ignore[no-untyped-def]
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {principal.role} may not do this; needs one of "
                                f"{', '.join(roles)}")
        return principal
    return check


def ensure_same_district(principal: Principal, district: str) -> None:
    if principal.district != district:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"token is for district {principal.district!r}, not {district!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Mint a bearer token for the petition APIs")
    parser.add_argument("--district", required=True)
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--subject", required=True, help="who the token is for")
    parser.add_argument("--unit", help="unit id, for unit handlers")
    parser.add_argument("--ttl-days", type=int, default=30)
    args = parser.parse_args()
    print(mint_token(Settings().token_secret, subject=args.subject, district=args.district,
                     role=Role(args.role), unit_id=args.unit, ttl_seconds=args.ttl_days * 86400))


if __name__ == "__main__":
    main()
