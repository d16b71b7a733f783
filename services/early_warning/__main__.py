"""``python -m services.early_warning``: the early-warning worker (faust), configured from
``CASEBUS_*``; its web port (``/ready``, ``/health``) is ``CASEBUS_HTTP_PORT``."""

import sys

import faust

from casebus.observability import configure_logging
from casebus.settings import Settings
from services.early_warning.bootstrap import build_app

settings = Settings(service="early-warning")
configure_logging("early-warning", settings.log_level, settings.log_json)
try:
    app = build_app(settings)
except ValueError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
# Logging is ours (JSON lines like every service's): faust's worker only adjusts levels.
faust.Worker(app, loglevel=settings.log_level, quiet=True,
             logging_config={"version": 1, "incremental": True}).execute_from_commandline()
