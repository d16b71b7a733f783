"""Rates per unit, community or category of a district, and a unit's monthly trend."""

from __future__ import annotations

from typing import Any

import asyncpg

from casebus.domain.case_record import Scope
from casebus.domain.clock_condition import local_iso
from casebus.domain.rates import measure_all
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import cases_in_scope
from services.reporting.adapters.case_record_reads import records_settled_in
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.domain.periods import months_back, parse_month, parse_period
from services.reporting.domain.rate_groups import GroupBy, group_key, group_rates
from services.reporting.service_layer.rate_json import fraction_text, rates_json
from services.reporting.service_layer.standards import Standards

CONSUMER = "reporting"


def period_json(name: str, period: ReportingPeriod) -> dict[str, str | None]:
    return {"name": name, "start": local_iso(period.start), "end": local_iso(period.end)}


async def rates(pool: asyncpg.Pool, standards: Standards, cache: RecordCache, district: str,
                period_name: str, by: GroupBy, limit: int, offset: int) -> dict[str, Any]:
    period = parse_period(period_name)
    records, keys = await records_settled_in(pool, district, period, by, cache)
    weight = standards.basically_satisfied_weight(district)
    groups = group_rates(records, period, district, by, weight, keys)
    keys = list(groups)
    return {"district": district, "period": period_json(period_name, period), "by": by.value,
            "basically_satisfied_weight": fraction_text(weight), "total": len(keys),
            "groups": [{"key": key, "rates": rates_json(groups[key])}
                       for key in keys[offset:offset + limit]]}


async def trend(pool: asyncpg.Pool, standards: Standards, cache: RecordCache, district: str,
                last_month: str, months: int, by: GroupBy, key: str | None) -> dict[str, Any]:
    """One group's rates (the district's when ``by`` is district) month by month."""
    last = parse_month(last_month)
    names = months_back(last_month, months)
    span = ReportingPeriod(parse_month(names[0]).start, last.end)
    records, _ = await records_settled_in(pool, district, span, by, cache)
    weight = standards.basically_satisfied_weight(district)
    scope = Scope(district=district)
    chosen = cases_in_scope((r for r in records
                             if by is GroupBy.DISTRICT or group_key(r, by) == key), scope)
    out = []
    for name in names:  # each month's rates over the cases chosen once
        period = parse_month(name)
        out.append({"period": period_json(name, period),
                    "rates": rates_json(measure_all(chosen, period, scope, weight))})
    return {"district": district, "by": by.value, "key": key,
            "basically_satisfied_weight": fraction_text(weight), "months": out}
