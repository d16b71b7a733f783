"""The base of every domain event and command.

Events are facts in the past tense (``PetitionRegistered``); commands are requests in the
imperative (``RegisterPetition``). Both are immutable pydantic models so that they validate
themselves and have a JSON Schema, which is what the public contracts are generated from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict


class Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Command(Message):
    """A request to change something; a decider may refuse it with a DomainRuleViolation."""


class DomainEvent(Message):
    """A fact. ``type_name`` plus ``version`` names it on the wire: ``<type_name>.v<version>``.

    ``personal_fields`` name fields holding petitioners' personal data: they are stored
    encrypted and are never published on public topics.
    """

    type_name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    personal_fields: ClassVar[frozenset[str]] = frozenset()

    district: str
    occurred_at: AwareDatetime

    @classmethod
    def wire_type(cls) -> str:
        return f"{cls.type_name}.v{cls.version}"

    def public_data(self) -> dict[str, Any]:
        """The event as a downstream subscriber may see it: without personal data."""
        return self.model_dump(mode="json", exclude=set(self.personal_fields))


class EventRegistry:
    """Maps wire type names to event classes, so stored and received events can be parsed."""

    def __init__(self, *classes: type[DomainEvent]) -> None:
        self._by_type: dict[str, type[DomainEvent]] = {}
        for cls in classes:
            self.register(cls)

    def register(self, cls: type[DomainEvent]) -> None:
        if not cls.type_name:
            raise ValueError(f"{cls.__name__} has no type_name")
        self._by_type[cls.wire_type()] = cls

    def __contains__(self, wire_type: str) -> bool:
        return wire_type in self._by_type

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_type.values())

    def parse(self, wire_type: str, data: dict[str, Any]) -> DomainEvent:
        try:
            cls = self._by_type[wire_type]
        except KeyError:
            raise UnknownEventType(wire_type) from None
        return cls.model_validate(data)


class UnknownEventType(LookupError):
    pass


def utc(dt: datetime) -> datetime:
    """Reject naive datetimes early: every time in this system is timezone-aware."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime")
    return dt
