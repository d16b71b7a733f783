"""The error answers every service gives, as models, so OpenAPI documents each of them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FieldProblem(BaseModel):
    field: str
    problem: str


class Problem(BaseModel):
    """Every error answer: a sentence for a person, and the rule or fields where they apply."""

    detail: str
    rule: str | None = None  # 409: the domain rule that refused the command
    problems: list[FieldProblem] | None = None  # 422: each invalid field


_MEANING = {
    401: "no bearer token, or an invalid or expired one",
    403: "the token's role may not do this",
    404: "no such case in the caller's district (another district's case answers the same)",
    409: "a domain rule refused the command (``rule`` names it), or the case changed "
         "concurrently: reload and decide again",
    422: "invalid input: ``problems`` names each field",
    503: "the database is unavailable, or the service too busy to answer in time; nothing was "
         "recorded: retry after ``Retry-After`` seconds with the same Idempotency-Key",
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "description": _MEANING[code]} for code in codes}


READ_RESPONSES = responses(401, 403, 404, 422, 503)
COMMAND_RESPONSES = responses(401, 403, 404, 409, 422, 503)
LIST_RESPONSES = responses(401, 403, 422, 503)
