"""Thresholds per district and kind of warning, lowered in the district's key periods (pure)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from services.early_warning.domain.observations import WarningKind
from services.early_warning.domain.windowing import Thresholds

# Below two, one petition would be a "collective" one and every handover a "surge".
LOWEST_THRESHOLD = 2


@dataclass(frozen=True)
class WarningRules:
    window_days: int
    usual: dict[WarningKind, int]
    key_period_factor: float
    key_periods: dict[str, tuple[tuple[date, date], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.window_days <= 90:
            raise ValueError("the window is 1 to 90 days")
        if not 0 < self.key_period_factor <= 1:
            raise ValueError("the key-period factor lowers thresholds: more than 0, at most 1")
        if set(self.usual) != set(WarningKind) or min(self.usual.values()) < LOWEST_THRESHOLD:
            raise ValueError(f"every kind needs a threshold of at least {LOWEST_THRESHOLD}")
        for district, periods in self.key_periods.items():
            if any(end < start for start, end in periods):
                raise ValueError(f"a key period of {district} ends before it starts")

    def thresholds(self, district: str, kind: WarningKind) -> Thresholds:
        usual = self.usual[kind]
        lowered = max(LOWEST_THRESHOLD, math.ceil(usual * self.key_period_factor))
        return Thresholds(usual, min(usual, lowered), self.key_periods.get(district, ()))
