"""Every event type published on a public topic, with the service and topic that publish it.

This module imports the services' domain modules on purpose: it is a build tool for the
contracts. Platform modules of ``casebus`` must not import it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from casebus.domain.calendar_corrections import CalendarDayCorrected
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.events import DomainEvent
from casebus.topics import events_topic


@dataclass(frozen=True)
class PublishedEvent:
    """One event type as a subscriber sees it: its wire type, publisher and topic."""

    event: type[DomainEvent]
    service: str
    topic: str

    @property
    def wire_type(self) -> str:
        return self.event.wire_type()

    @property
    def personal_fields(self) -> frozenset[str]:
        return self.event.personal_fields


def domain_events_of(module: ModuleType) -> list[type[DomainEvent]]:
    """The concrete event classes (those with a ``type_name``) defined in ``module``."""
    return [cls for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, DomainEvent) and cls.__module__ == module.__name__
            and cls.type_name]


def _published_by(service: str, events: Iterable[type[DomainEvent]]) -> list[PublishedEvent]:
    return [PublishedEvent(cls, service, events_topic(service)) for cls in events]


def catalogue() -> tuple[PublishedEvent, ...]:
    """Every published event type, ordered by topic then wire type.

    Raises ``ValueError`` if two classes claim the same wire type.
    """
    from services.accountability.domain import (
        breach,
        key_case_ledger,
        responsibility_letter,
        spot_check,
    )
    from services.early_warning.domain.events import EarlyWarningRaised
    from services.intake.domain.registry import PETITION_EVENTS
    from services.routing.domain.events import ROUTING_EVENTS

    accountability: list[type[DomainEvent]] = [*CLOCK_EVENTS, CalendarDayCorrected]
    for module in (responsibility_letter, breach, spot_check, key_case_ledger):
        accountability.extend(domain_events_of(module))
    entries = [
        *_published_by("intake", PETITION_EVENTS),
        *_published_by("routing", ROUTING_EVENTS),
        *_published_by("accountability", accountability),
        *_published_by("early-warning", [EarlyWarningRaised]),
    ]
    seen: dict[str, PublishedEvent] = {}
    for entry in entries:
        other = seen.get(entry.wire_type)
        if other is not None and other.event is not entry.event:
            raise ValueError(f"{entry.wire_type} is claimed by {other.event.__qualname__} "
                             f"({other.service}) and {entry.event.__qualname__} ({entry.service})")
        seen[entry.wire_type] = entry
    return tuple(sorted(seen.values(), key=lambda e: (e.topic, e.wire_type)))


def topics() -> list[str]:
    """The public topics that carry at least one event type, sorted."""
    return sorted({entry.topic for entry in catalogue()})
