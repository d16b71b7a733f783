"""Collective petitions: 5 or more people on one matter (a "three visits" kind).

Regulations 2022, Art. 18: several people visiting on a common matter choose representatives,
no more than 5. Whoever is not named still counts: ``headcount`` covers people a joint petition
speaks for without naming them all.
"""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.facts import Channel

COLLECTIVE_MIN_PEOPLE = 5
MAX_REPRESENTATIVES = 5


def people_count(named: int, headcount: int | None) -> int:
    """How many people the petition is brought by: the named petitioners, or more if stated."""
    if headcount is not None and headcount < named:
        raise DomainRuleViolation(
            "headcount-below-named-petitioners",
            f"headcount {headcount} is less than the {named} petitioners named",
        )
    return max(named, headcount or 0)


def is_collective(people: int) -> bool:
    return people >= COLLECTIVE_MIN_PEOPLE


def check_representatives(channel: Channel, people: int, representatives: int | None) -> None:
    """A joint visit sends at most 5 representatives; a group larger than that must send them."""
    if representatives is None:
        if channel.in_person and people > MAX_REPRESENTATIVES:
            raise DomainRuleViolation(
                "collective-visit-needs-representatives",
                f"{people} people visiting together must choose at most "
                f"{MAX_REPRESENTATIVES} representatives",
            )
        return
    if representatives < 1:
        raise DomainRuleViolation("representatives-at-least-1", "representatives must be >= 1")
    if representatives > MAX_REPRESENTATIVES:
        raise DomainRuleViolation(
            "at-most-5-representatives",
            f"{representatives} representatives; a joint visit may send at most "
            f"{MAX_REPRESENTATIVES}",
        )
    if representatives > people:
        raise DomainRuleViolation(
            "representatives-exceed-petitioners",
            f"{representatives} representatives for {people} people",
        )
