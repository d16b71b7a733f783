"""The groups rates are shown for: units, communities or categories of one district.

The domain's ``Scope`` narrows by street, community and unit; a category is not a scope there,
so a category's rates are the district scope over that category's records only (the same
meaning: the records that belong to the group).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from fractions import Fraction

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.measured_rate import Rate, RateKind
from casebus.domain.rates import measure_all
from casebus.domain.reporting_period import ReportingPeriod


class GroupBy(StrEnum):
    DISTRICT = "district"
    UNIT = "unit"
    COMMUNITY = "community"
    CATEGORY = "category"


def group_key(record: CaseRecord, by: GroupBy) -> str | None:
    return {GroupBy.DISTRICT: record.district, GroupBy.UNIT: record.unit_id,
            GroupBy.COMMUNITY: record.community,
            GroupBy.CATEGORY: record.category or None}[by]


def group_keys(record: CaseRecord) -> list[tuple[GroupBy, str]]:
    """Every group the record belongs to, one per way of grouping."""
    return [(by, key) for by in GroupBy if (key := group_key(record, by)) is not None]


def group_rates(records: Iterable[CaseRecord], period: ReportingPeriod, district: str,
                by: GroupBy, basically_satisfied_weight: Fraction,
                keys: Iterable[str] = ()) -> dict[str, dict[RateKind, Rate]]:
    """Every rate of every group with any record, groups in key order. ``keys`` names groups
    whose records all lie outside the period (the caller left them out): they are shown too,
    with every rate not applicable, as if their records were there."""
    groups: dict[str, list[CaseRecord]] = {key: [] for key in keys}
    for record in records:
        key = group_key(record, by)
        if record.district == district and key is not None:
            groups.setdefault(key, []).append(record)
    return {key: measure_all(groups[key], period, _scope(district, by, key),
                             basically_satisfied_weight) for key in sorted(groups)}


def _scope(district: str, by: GroupBy, key: str) -> Scope:
    if by is GroupBy.UNIT:
        return Scope(district=district, unit_id=key)
    if by is GroupBy.COMMUNITY:
        return Scope(district=district, community=key)
    return Scope(district=district)  # category: the records are already the category's
