"""The two steps the worker's agents take, without faust: easy to test, one place to read.

1. ``sighting_from``: a public CloudEvent (bytes) -> the watch key and sighting it is, if any.
2. ``advance``: a watch (as stored) + a sighting -> the new watch and the warnings to publish,
   as CloudEvents whose id is the warning's deterministic id (a repeat is a duplicate
   downstream, and every consumer here deduplicates by event id).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from casebus.envelope import CloudEvent, make_cloud_event
from services.early_warning.adapters.watch_codec import (
    decode_sighting,
    decode_watch,
    encode_sighting,
    encode_watch,
)
from services.early_warning.domain.events import raise_warning
from services.early_warning.domain.observations import WatchKey, sighting_of
from services.early_warning.domain.rules import WarningRules
from services.early_warning.domain.windowing import observe

log = logging.getLogger(__name__)
SOURCE = "early-warning"
ACTOR = "system:early-warning"


def sighting_from(raw: bytes) -> tuple[str, dict[str, Any]] | None:
    """The encoded watch key and sighting of a public event; None for anything else (logged
    when it is not a CloudEvent at all: the publishers' schemas are checked at their end)."""
    try:
        event = CloudEvent.from_bytes(raw)
    except (ValueError, ValidationError) as exc:
        log.warning("skipped a message that is not a CloudEvent: %s", str(exc)[:200])
        return None
    try:
        found = sighting_of(event.type, event.district, event.time, event.subject, event.data)
    except (TypeError, ValueError) as exc:
        log.warning("skipped %s: %s", event.type, exc, extra={"event_id": event.id})
        return None
    if found is None:
        return None
    key, sighting = found
    return key.encode(), encode_sighting(sighting)


def advance(rules: WarningRules, key_text: str, stored: dict[str, Any] | None,
            sighting_data: dict[str, Any]) -> tuple[dict[str, Any], list[CloudEvent]]:
    key = WatchKey.decode(key_text)
    watch, crossings = observe(decode_watch(stored), decode_sighting(sighting_data),
                               rules.thresholds(key.district, key.kind), rules.window_days)
    warnings = []
    for crossing in crossings:
        raised = raise_warning(key, crossing)
        warnings.append(make_cloud_event(
            event_id=raised.warning_id, source=SOURCE, wire_type=raised.wire_type(),
            subject=key_text, time=raised.occurred_at, district=key.district,
            correlation_id=raised.warning_id, causation_id=raised.warning_id, actor=ACTOR,
            data=raised.public_data()))
        log.info("early warning raised", extra={"event_id": raised.warning_id,
                                                "kind": key.kind.value, "count": crossing.count})
    return encode_watch(watch), warnings
