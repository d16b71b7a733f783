"""The versions of ``petition.case.registered`` a subscriber may receive, and the one rule for
the place a case is routed by.

Version 1 published the subject and the location a clerk typed, in clear, on a topic kept
forever. Version 2 (December 2026) publishes neither: they are sealed in intake with the case's
key, and erasing the case's last petitioner erases them. It names the location as ``place``
only when the district's routing rules name that place (a road, an estate), which is all a
subscriber can use it for. Old registrations stay version 1 on the topics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REGISTERED_V1 = "petition.case.registered.v1"
REGISTERED_V2 = "petition.case.registered.v2"
REGISTERED = (REGISTERED_V1, REGISTERED_V2)


def routing_place(data: Mapping[str, Any]) -> str | None:
    """The place routing rules may match: v2's ``place``, or v1's published location."""
    value = data["place"] if "place" in data else data.get("location")
    return value if isinstance(value, str) and value else None


def without_free_text(wire_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event as a read model may keep it: a v1 registration's subject and location (clear
    text from before v2) are dropped; every other event is unchanged."""
    if wire_type != REGISTERED_V1:
        return data
    return {k: v for k, v in data.items() if k not in ("subject", "location")}
