"""Settings -> the worker's rules and its faust app."""

from __future__ import annotations

from datetime import date

import faust

from casebus.settings import Settings
from services.early_warning.domain.observations import WarningKind
from services.early_warning.domain.rules import WarningRules
from services.early_warning.entrypoints.worker import build_worker


def rules_from(settings: Settings) -> WarningRules:
    """Raises ValueError for settings that make no sense (the worker refuses to start)."""
    periods = {district: tuple((date.fromisoformat(start), date.fromisoformat(end))
                               for start, end in ranges)
               for district, ranges in settings.early_warning_key_periods.items()}
    return WarningRules(
        window_days=settings.early_warning_window_days,
        usual={WarningKind.COLLECTIVE: settings.early_warning_collective_threshold,
               WarningKind.UNIT_SURGE: settings.early_warning_unit_surge_threshold},
        key_period_factor=settings.early_warning_key_period_factor, key_periods=periods)


def build_app(settings: Settings) -> faust.App:
    return build_worker(settings, rules_from(settings))
