"""Run a service's app with uvicorn (uvloop + httptools), configured from the environment."""

from __future__ import annotations

import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from casebus.observability import configure_logging
from casebus.settings import Settings, UnsafeSettings


def serve(service: str, build_app: Callable[[Settings], FastAPI]) -> None:
    settings = Settings(service=service)
    configure_logging(service, settings.log_level, settings.log_json)
    try:
        app = build_app(settings)
    except UnsafeSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port,
                loop="uvloop", http="httptools", log_config=None, access_log=False)
