"""Breaches, reviews and key cases as the API answers them (and the exports write them):
instants in the district's local time; a key case's age in days from the service's clock."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_condition import local_iso
from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.domain.aging import age_in_days
from services.reporting.domain.periods import DISTRICT_TIME


def period_label(start: datetime, end: datetime) -> str:
    """``2026-03``, ``2026-Q1`` or ``2026`` as leaders name periods; other spans as their
    first and last local days."""
    s = start.astimezone(DISTRICT_TIME)
    named = [(f"{s.year:04d}-{s.month:02d}", ReportingPeriod.month(s.year, s.month, DISTRICT_TIME)),
             (f"{s.year:04d}-Q{(s.month + 2) // 3}",
              ReportingPeriod.quarter(s.year, (s.month + 2) // 3, DISTRICT_TIME)),
             (f"{s.year:04d}", ReportingPeriod.year(s.year, DISTRICT_TIME))]
    for name, period in named:
        if period.start == start and period.end == end:
            return name
    last = end.astimezone(DISTRICT_TIME)
    return f"{s.date().isoformat()}/{last.date().isoformat()}"


def review_status(row: asyncpg.Record) -> str | None:
    if row["concluded_at"] is not None:
        return "concluded"
    return "open" if row["review_opened_at"] is not None else None


def _ids(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else json.loads(value or "[]")


def breach_item(row: asyncpg.Record) -> dict[str, Any]:
    return {"breach_id": row["breach_id"], "letter_id": row["letter_id"],
            "unit_id": row["unit_id"], "target": row["target"], "rate": row["rate"],
            "measured": row["measured"], "threshold": row["threshold"],
            "period": period_label(row["period_start"], row["period_end"]),
            "case_ids": _ids(row["case_ids"]), "recorded_at": local_iso(row["recorded_at"]),
            "review_id": row["review_id"], "review_status": review_status(row)}


def review_item(row: asyncpg.Record) -> dict[str, Any]:
    return {"review_id": row["review_id"], "breach_id": row["breach_id"],
            "unit_id": row["review_unit_id"] or row["unit_id"],
            "opened_at": local_iso(row["review_opened_at"]), "status": review_status(row),
            "concluded_at": local_iso(row["concluded_at"]),
            # the person the conclusion names, else the one the letter made responsible
            "responsible_person": row["concluded_responsible"] or row["opened_responsible"],
            "conclusion": row["conclusion"]}


def key_case_age(row: asyncpg.Record, now: datetime) -> int:
    """Days in the ledger, counted in local calendar days until resolution or now."""
    return max(age_in_days(row["entered_at"], row["resolved_at"] or now), 0)


def key_case_item(row: asyncpg.Record, now: datetime) -> dict[str, Any]:
    return {"case_id": row["case_id"], "reasons": list(row["reasons"]),
            "entered_at": local_iso(row["entered_at"]), "age_days": key_case_age(row, now),
            "plan": row["plan"], "leader_in_charge": row["leader_in_charge"],
            "progress_count": row["progress_count"] or 0,
            "last_progress_at": local_iso(row["last_progress_at"]),
            "resolved_at": local_iso(row["resolved_at"])}
