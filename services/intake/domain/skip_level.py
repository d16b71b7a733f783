"""Skip-level petitions (越级访): brought above the level responsible for the matter while that
level has not answered. "Small things do not leave the community, big things do not leave the
street." Going up after an answer is a review request, not a skip.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.intake.domain.facts import Level
from services.intake.domain.repeat import CaseFacts, same_matter


def is_skip_level(brought_to: Level, responsible: Level, answered_by_responsible: bool) -> bool:
    return brought_to.rank > responsible.rank and not answered_by_responsible


def answered_at_level(new: CaseFacts, level: Level, history: Iterable[CaseFacts]) -> bool:
    """Whether the same petitioner's same matter was already answered at ``level``."""
    return any(
        case.level is level and case.answered and same_matter(new, case) for case in history
    )


def skip_level_from_history(
    new: CaseFacts, responsible: Level, history: Iterable[CaseFacts]
) -> bool:
    """The skip-level flag for a new petition, derived from the cases before it."""
    return is_skip_level(new.level, responsible, answered_at_level(new, responsible, history))
