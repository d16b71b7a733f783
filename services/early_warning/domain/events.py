"""The warning the worker publishes, and its deterministic identity (pure)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID, uuid5

from pydantic import AwareDatetime, Field

from casebus.domain.events import DomainEvent
from services.early_warning.domain.observations import WarningKind, WatchKey
from services.early_warning.domain.windowing import Crossing

# Fixed forever: changing it would give every past warning a new id downstream.
WARNING_NAMESPACE = UUID("5b0c7f0e-3f6a-4c57-9d59-6f1f3c3e2a41")


class EarlyWarningRaised(DomainEvent):
    """Enough petitions on one matter, or handed to one unit, inside one window to act early.

    ``count`` is distinct petitioners (collective) or distinct cases (unit-surge); no
    petitioner ids: only the count leaves the worker. ``occurred_at`` is the latest sighting.
    """

    type_name: ClassVar[str] = "petition.early-warning.raised"
    warning_id: str
    kind: WarningKind
    key: str = Field(description="'<community>/<category>' (collective) or the unit id")
    community: str | None = None
    category: str | None = None
    unit_id: str | None = None
    window_start: AwareDatetime
    window_end: AwareDatetime
    first_day: date
    last_day: date
    count: int
    threshold: int
    key_period: bool
    case_ids: list[str]


def warning_id(key: WatchKey, crossing: Crossing) -> str:
    """The same (district, kind, key, window) always has the same id."""
    name = f"{key.encode()}|{crossing.window.start.isoformat()}|{crossing.window.end.isoformat()}"
    return str(uuid5(WARNING_NAMESPACE, name))


def raise_warning(key: WatchKey, crossing: Crossing) -> EarlyWarningRaised:
    community, _, category = key.key.partition("/")
    collective = key.kind is WarningKind.COLLECTIVE
    first_day, last_day = crossing.window.days()
    return EarlyWarningRaised(
        district=key.district, occurred_at=crossing.last_seen,
        warning_id=warning_id(key, crossing), kind=key.kind, key=key.key,
        community=community if collective else None, category=category if collective else None,
        unit_id=None if collective else key.key,
        window_start=crossing.window.start, window_end=crossing.window.end,
        first_day=first_day, last_day=last_day, count=crossing.count,
        threshold=crossing.threshold, key_period=crossing.key_period,
        case_ids=list(crossing.case_ids))
