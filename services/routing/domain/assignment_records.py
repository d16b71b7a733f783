"""The small records an assignment keeps besides its units and clocks: extension requests and
grants, supervision orders, the key-case flag and progress notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PendingExtension:
    unit_id: str
    days: int
    reason: str


@dataclass(frozen=True)
class GrantedExtension:
    days: int
    approver: str
    reason: str
    answer_due: datetime


@dataclass(frozen=True)
class SupervisionOrder:
    order_id: str
    unit_id: str | None  # None: an order from before orders named their unit
    issued_by: str
    instructions: str
    due: datetime


@dataclass(frozen=True)
class KeyFlag:
    flagged_by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ProgressNote:
    unit_id: str
    note: str
    at: datetime
