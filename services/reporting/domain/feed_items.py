"""What the live event view shows of an event, by who watches.

Public events carry no personal data (intake drops it before publishing), but a registration
still names its petitioners by pseudonym, and a repeat suggestion the pseudonyms it matched:
a pseudonym links one person's petitions, which a live view of the district has no need for,
so the feed never keeps them. Operators watch streams, not cases: they see ids only.
"""

from __future__ import annotations

from typing import Any

PSEUDONYMOUS_FIELDS = frozenset({"petitioner_ids", "matched_petitioner_ids"})


def public_data(data: dict[str, Any]) -> dict[str, Any]:
    """The event's data as the feed keeps it: without petitioners' pseudonyms."""
    return {k: v for k, v in data.items() if k not in PSEUDONYMOUS_FIELDS}


def unit_named(data: dict[str, Any]) -> str | None:
    """The unit the event is about, if it names one (a co-handling arrangement: the lead)."""
    unit = data.get("unit_id") or data.get("lead_unit_id")
    return unit if isinstance(unit, str) else None


def ids_only(data: dict[str, Any]) -> dict[str, Any]:
    """An operator's view of the data: which case, unit, clock or order, nothing of substance."""
    return {k: v for k, v in public_data(data).items() if k.endswith(("_id", "_ids"))}
