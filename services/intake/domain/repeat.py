"""Repeat petitions: the same petitioner (or one of a group) on the same matter, while a case on
it is open or after it was answered.

Matched on identity and on the structured matter (category, place, subject), never on the
free-text description: two strangers describing the same pothole are not a repeat. A match is
only a suggestion; a clerk confirms or rejects it (see ``RepeatSuggestionConfirmed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.intake.domain.facts import Level


@dataclass(frozen=True)
class CaseFacts:
    """What repeat and skip-level detection need to know about one case."""

    case_id: str
    district: str
    petitioner_ids: frozenset[str]
    category: str
    community: str
    location: str | None
    subject: str
    level: Level
    registered_at: datetime
    open: bool  # registered and still being handled
    answered: bool  # an answer was given, whether or not the case is closed since


@dataclass(frozen=True)
class RepeatSuggestion:
    repeat_of: str
    matched_petitioner_ids: tuple[str, ...]


def _norm(text: str) -> str:
    """Clerks type these fields: ignore case and spacing, nothing more."""
    return " ".join(text.split()).casefold()


def _same_place(a: CaseFacts, b: CaseFacts) -> bool:
    # A precise location beats the community; without one on both sides, the community decides.
    if a.location and b.location:
        return _norm(a.location) == _norm(b.location)
    return _norm(a.community) == _norm(b.community)


def same_matter(a: CaseFacts, b: CaseFacts) -> bool:
    """Same petitioner (any shared one) and same matter (category, place, subject)."""
    return (
        a.district == b.district
        and bool(a.petitioner_ids & b.petitioner_ids)
        and _norm(a.category) == _norm(b.category)
        and _norm(a.subject) == _norm(b.subject)
        and _same_place(a, b)
    )


def suggest_repeat(new: CaseFacts, existing: Iterable[CaseFacts]) -> RepeatSuggestion | None:
    """The case ``new`` most likely repeats: an open one first (it can be merged into), else the
    most recently registered answered one; None when no open or answered case matches."""
    candidates = [
        case
        for case in existing
        if case.case_id != new.case_id and (case.open or case.answered) and same_matter(new, case)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda case: (case.open, case.registered_at, case.case_id))
    return RepeatSuggestion(
        repeat_of=best.case_id,
        matched_petitioner_ids=tuple(sorted(new.petitioner_ids & best.petitioner_ids)),
    )
