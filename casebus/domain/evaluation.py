"""How petitioners evaluate the handling of their case: the office's and the unit's, each once."""

from __future__ import annotations

from enum import StrEnum


class Evaluator(StrEnum):
    """Whose work is evaluated."""

    PETITION_OFFICE = "petition-office"
    RESPONSIBLE_UNIT = "responsible-unit"


class Satisfaction(StrEnum):
    """The petitioner's verdict ("satisfied / basically satisfied / not satisfied")."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically-satisfied"
    NOT_SATISFIED = "not-satisfied"
