"""Which public case events are sightings, and of what (pure).

- ``collective``: a registered petition on one matter (category) in one community; counted by
  distinct petitioners (the pseudonyms in the public event; they are never published again).
  A report (an accusation) is not a shared matter and carries no petitioner ids: not counted.
- ``unit-surge``: a case handed to a unit (assigned, rerouted, transferred, escalated,
  reopened); counted by distinct cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from casebus.domain import registered
from services.early_warning.domain.windowing import Sighting

REGISTERED = frozenset(registered.REGISTERED)
HANDOVERS = frozenset({"petition.case.assigned.v1", "petition.case.rerouted.v1",
                       "petition.case.transferred.v1", "petition.case.escalated.v1",
                       "petition.case.reopened.v1"})


class WarningKind(StrEnum):
    COLLECTIVE = "collective"
    UNIT_SURGE = "unit-surge"


@dataclass(frozen=True)
class WatchKey:
    district: str
    kind: WarningKind
    key: str  # "<community>/<category>" or "<unit id>"

    def encode(self) -> str:
        return f"{self.district}|{self.kind.value}|{self.key}"

    @classmethod
    def decode(cls, text: str) -> WatchKey:
        district, kind, key = text.split("|", 2)
        return cls(district, WarningKind(kind), key)


def sighting_of(wire_type: str, district: str, at: datetime, case_id: str,
                data: dict[str, Any]) -> tuple[WatchKey, Sighting] | None:
    """The sighting a public event is, or None for every other event."""
    if wire_type in REGISTERED:
        petitioners = data.get("petitioner_ids") or []
        community, category = data.get("community"), data.get("category")
        if data.get("matter_kind") == "report" or not petitioners \
                or not isinstance(community, str) or not isinstance(category, str):
            return None
        key = WatchKey(district, WarningKind.COLLECTIVE, f"{community}/{category}")
        return key, Sighting(case_id, at, tuple(sorted({str(p) for p in petitioners})))
    if wire_type in HANDOVERS and isinstance(data.get("unit_id"), str):
        key = WatchKey(district, WarningKind.UNIT_SURGE, data["unit_id"])
        return key, Sighting(case_id, at, (case_id,))
    return None
