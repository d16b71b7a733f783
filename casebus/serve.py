"""Run a service's app with uvicorn (uvloop + httptools), configured from the environment."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from casebus.observability import configure_logging
from casebus.settings import Settings


def serve(service: str, build_app: Callable[[Settings], FastAPI]) -> None:
    settings = Settings(service=service)
    configure_logging(service, settings.log_level, settings.log_json)
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port,
                loop="uvloop", http="httptools", log_config=None, access_log=False)
