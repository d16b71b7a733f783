"""The base of every command on a petition."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, Field

from casebus.domain.events import Command


class CaseCommand(Command):
    """Names its case, its district (a district never writes another's case) and ``at``, the
    moment it is issued: time is always passed in."""

    case_id: str = Field(min_length=1)
    district: str = Field(min_length=1)
    at: AwareDatetime

    def stamp(self) -> dict[str, Any]:  # the fields every event it causes carries
        return {"case_id": self.case_id, "district": self.district, "occurred_at": self.at}
