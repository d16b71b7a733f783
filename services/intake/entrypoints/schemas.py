"""What a district office's system sends to register a petition. Validated with clear errors.

Whether ``received_at`` lies in the future is decided by the service's clock (simulated in
demos and tests), in the service layer, not here: a validator can only read the wall clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from casebus.domain.deadlines import CHINA_TZ
from services.intake.domain.facts import Channel, Level, MatterKind
from services.intake.entrypoints.deps import CommandAnswer

Short = Annotated[str, Field(min_length=1, max_length=100)]
EARLIEST_RECEIPT = datetime(2000, 1, 1, tzinfo=CHINA_TZ)  # older paper is not registered here


class PetitionerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Short
    id_number: Annotated[str | None, Field(pattern=r"^[0-9]{17}[0-9Xx]$")] = None
    phone: Annotated[str | None, Field(pattern=r"^\+?[0-9\- ]{5,20}$")] = None
    address: Annotated[str | None, Field(max_length=300)] = None


class PetitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={
        "examples": [{
            "channel": "visit", "matter_kind": "claim",
            "petitioners": [{"name": "Li Xiuying", "id_number": "11010519491231002X",
                             "phone": "13800138000", "address": "Dingjia 3-2-101"}],
            "category": "gas", "community": "Dingjia", "location": "Dingjia building 3",
            "subject": "Gas supply never connected since completion",
            "description": "Building 3 has had no gas since it was completed in 2015.",
            "level": "street", "responsible_level": "community", "headcount": 12,
            "received_at": "2026-03-02T09:30:00+08:00"}]})

    channel: Channel
    matter_kind: MatterKind = MatterKind.CLAIM
    petitioners: Annotated[list[PetitionerIn], Field(min_length=1, max_length=500)]
    category: Short
    community: Short
    location: Annotated[str | None, Field(max_length=200)] = None
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=10_000)]
    level: Level = Level.STREET
    responsible_level: Level | None = None  # known: decides skip-level
    headcount: Annotated[int | None, Field(ge=1, le=1_000_000)] = None  # beyond those named
    received_at: AwareDatetime | None = None
    representatives: Annotated[int | None, Field(ge=1)] = None
    key_person: bool = False
    key_period: bool = False

    @field_validator("received_at")
    @classmethod
    def not_before_2000(cls, value: datetime | None) -> datetime | None:
        if value is not None and value < EARLIEST_RECEIPT:
            raise ValueError("received_at is before 2000-01-01")
        return value


class PetitionCreated(CommandAnswer):
    status: str
    petitioner_ids: list[str]
    collective: bool
    skip_level: bool
    matter_kind: MatterKind
