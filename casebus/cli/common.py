"""What every command shares: exit codes, where the services are, HTTP with clear errors.

An expected failure (a service not running, a refused request) is one line on stderr and an
exit code, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:
    import httpx

OK = 0
FAILED = 1       # a check failed, or the service refused the operation (e.g. 409)
USAGE = 2        # bad arguments or input (also typer's own usage errors)
UNREACHABLE = 3  # a service, the broker or the database could not be reached
DENIED = 4       # the service rejected the request: token, role, or nothing found there

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 a check failed or the service refused (e.g. a replay whose handler "
    "still fails, a service not ready); 2 bad arguments or input; 3 cannot reach a service, "
    "the broker or the database (the message names it); 4 the service denied the request "
    "(401, 403, 404).")
# casebus.topics.SERVICES, named here so that a command starts without importing the broker
# client (a unit test keeps the two equal).
SERVICES = ("intake", "routing", "accountability", "reporting")
DEFAULT_PORTS = {"intake": 8001, "routing": 8002, "accountability": 8003, "reporting": 8004}

# Redirected to a file or a pipe, tables keep whole cells rather than squeeze into 80 columns.
out = Console(width=None if sys.stdout.isatty() else 200)
# Client libraries log their retries; the CLI says what failed once, in its own words.
logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
err = Console(stderr=True)
P = ParamSpec("P")
T = TypeVar("T")


class CliError(Exception):
    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = FAILED) -> NoReturn:
    raise CliError(message, code)


def clean_errors(command: Callable[P, T]) -> Callable[P, T]:
    """Expected failures become one line on stderr and the exit code."""
    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except CliError as exc:
            err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
    return run


def run_async(work: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(work)


def service_url(service: str, url: str | None = None) -> str:
    """``--url``, else ``CASEBUS_<SERVICE>_URL``, else the service's port on localhost."""
    chosen = url or os.environ.get(f"CASEBUS_{service.upper()}_URL") \
        or f"http://127.0.0.1:{DEFAULT_PORTS[service]}"
    return chosen.rstrip("/")


def bearer(token: str | None) -> dict[str, str]:
    chosen = token or os.environ.get("CASEBUS_TOKEN")
    if not chosen:
        fail("no token: pass --token or set CASEBUS_TOKEN (mint one with `casebus token`)",
             USAGE)
    return {"Authorization": f"Bearer {chosen.strip()}"}


def call(method: str, url: str, *, headers: dict[str, str] | None = None,
         json: Any = None, timeout: float = 10.0, accept: tuple[int, ...] = ()) -> httpx.Response:
    """One request; connection problems and refusals become ``CliError`` with their code.
    Statuses in ``accept`` are returned for the caller to judge."""
    import httpx  # here: commands that never call a service start faster

    try:
        response = httpx.request(method, url, headers=headers, json=json, timeout=timeout)
    except httpx.ConnectError:
        fail(f"cannot reach {url}: connection refused (is the service running?)", UNREACHABLE)
    except httpx.TimeoutException:
        fail(f"cannot reach {url}: no answer in {timeout:g} s", UNREACHABLE)
    except httpx.HTTPError as exc:
        fail(f"cannot reach {url}: {exc}", UNREACHABLE)
    if response.status_code < 300 or response.status_code in accept:
        return response
    detail = _detail(response)
    if response.status_code in (401, 403, 404):
        fail(f"{method} {url}: {response.status_code} {detail}", DENIED)
    if response.status_code == 422:
        fail(f"{method} {url}: invalid input: {detail}", USAGE)
    if response.status_code == 503:
        fail(f"{method} {url}: 503 service unavailable: {detail}", UNREACHABLE)
    fail(f"{method} {url}: {response.status_code} {detail}", FAILED)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)[:300]


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
