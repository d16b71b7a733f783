"""The CloudEvents 1.0 envelope every published event travels in (structured JSON mode).

Extension attributes carry the district (tenancy), correlation and causation ids, and the actor.
``dataschema`` points at the checked-in JSON Schema of the event type (contracts/schemas/).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"


def schema_uri(wire_type: str) -> str:
    return f"urn:petition:schema:{wire_type}"


class CloudEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(pattern=r"^[a-z0-9.-]+\.v[0-9]+$")
    subject: str = Field(min_length=1)
    time: AwareDatetime
    specversion: str = Field(default="1.0", pattern=r"^1\.0$")
    datacontenttype: str = "application/json"
    dataschema: str
    district: str = Field(min_length=1)
    correlationid: str
    causationid: str
    actor: str
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> CloudEvent:
        return cls.model_validate_json(raw)  # parsed and checked in one pass (Rust)


def new_event_id() -> str:
    return str(uuid4())


def make_cloud_event(*, event_id: str, source: str, wire_type: str, subject: str, time: datetime,
                     district: str, correlation_id: str, causation_id: str, actor: str,
                     data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(id=event_id, source=source, type=wire_type, subject=subject, time=time,
                      dataschema=schema_uri(wire_type), district=district,
                      correlationid=correlation_id, causationid=causation_id, actor=actor,
                      data=data)
