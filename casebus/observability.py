"""Structured logs (one JSON object a line, with case and event ids) and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter, Gauge

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Fields passed with ``extra=`` (case_id, event_id, consumer...) become keys.
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service) if as_json else
                         logging.Formatter(f"%(asctime)s {service} %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiokafka").setLevel("WARNING")


EVENTS_APPENDED = Counter("casebus_events_appended_total", "Events appended to the store",
                          ["service", "type"])
EVENTS_PUBLISHED = Counter("casebus_events_published_total", "Outbox rows published to Kafka",
                           ["service"])
OUTBOX_OLDEST = Gauge("casebus_outbox_oldest_unpublished_seconds",
                      "Age of the oldest outbox row not yet published (0 when none)", ["service"])
OUTBOX_BACKLOG = Gauge("casebus_outbox_backlog", "Outbox rows committed but not yet published",
                       ["service"])
EVENTS_CONSUMED = Counter("casebus_events_consumed_total",
                          "Messages a consumer handled, by outcome "
                          "(applied, duplicate, ignored, deadlettered)",
                          ["consumer", "outcome"])
CONSUMER_LAG = Gauge("casebus_consumer_lag", "High watermark minus position",
                     ["consumer", "topic", "partition"])
DEADLETTERS = Gauge("casebus_deadletter_size", "Messages this consumer sent to the dead-letter "
                    "topic (from its database)", ["consumer"])
BROKER_RESTARTS = Counter("casebus_broker_restarts_detected_total",
                          "Times the broker was found restarted empty", ["component"])
CALENDAR_UNSCHEDULED_YEAR = Counter(
    "casebus_calendar_unscheduled_year_total",
    "Working-day questions about a year without a national holiday schedule, answered by "
    "weekends only (ship the year's schedule)", ["district", "year"])
TASK_RESTARTS = Counter("casebus_background_task_restarts_total",
                        "Background tasks (relay, consumers, workers) restarted after a failure",
                        ["service", "task"])
ROWS_PRUNED = Counter("casebus_rows_pruned_total", "Rows deleted after their retention",
                      ["service", "table"])
POOL_REFUSED = Counter("casebus_db_pool_refused_total",
                       "Requests for a database connection refused at once: those already "
                       "waiting would outlast the acquire timeout (HTTP answers 503)")
