"""What a district office's system sends to register a petition. Validated with clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from services.intake.domain.facts import Channel, Level

Short = Annotated[str, Field(min_length=1, max_length=100)]


class PetitionerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Short
    id_number: Annotated[str | None, Field(pattern=r"^[0-9]{17}[0-9Xx]$")] = None
    phone: Annotated[str | None, Field(pattern=r"^\+?[0-9\- ]{5,20}$")] = None
    address: Annotated[str | None, Field(max_length=300)] = None


class PetitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    petitioners: Annotated[list[PetitionerIn], Field(min_length=1, max_length=500)]
    category: Short
    community: Short
    location: Annotated[str | None, Field(max_length=200)] = None
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=10_000)]
    level: Level = Level.STREET
    received_at: AwareDatetime | None = None
    representatives: Annotated[int | None, Field(ge=1)] = None
    key_person: bool = False
    key_period: bool = False

    @field_validator("received_at")
    @classmethod
    def not_in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > datetime.now(UTC) + timedelta(minutes=5):
            raise ValueError("received_at is in the future")
        return value


class PetitionCreated(BaseModel):
    case_id: str
    status: str
    petitioner_ids: list[str]
    collective: bool
    skip_level: bool
