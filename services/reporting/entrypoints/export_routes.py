"""Exports for sending upward: ``GET /api/v1/exports/{report}.{csv|xlsx}``, Chinese headers by
default. Scoped like the JSON API: the office (clerks, leaders, auditors) exports every report
of its district; a unit handler only its own unit's backlog and overdue list; operators
nothing. Reporting holds no personal data, so no export has any."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from casebus.access import Role
from casebus.http_problems import READ_RESPONSES
from services.reporting.entrypoints.accountability_routes import invalid
from services.reporting.entrypoints.dependencies import AnyCaseRole, Service
from services.reporting.service_layer.exports import MAX_ROWS, ExportQuery, ExportRefused, table
from services.reporting.service_layer.exports_columns import Report
from services.reporting.service_layer.exports_files import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from services.reporting.service_layer.exports_reads import NothingToExport

router = APIRouter(prefix="/api/v1", tags=["exports"])


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


UNIT_REPORTS = (Report.BACKLOG, Report.OVERDUE)
Filter = Annotated[str | None, Query(max_length=200)]
FILES: dict[int | str, dict[str, Any]] = {200: {
    "description": f"the file (at most {MAX_ROWS} rows: `X-Export-Truncated: true` when "
                   "there were more)",
    "content": {"text/csv": {}, XLSX_TYPE: {}}}}


@router.get("/exports/{report}.{file_format}", response_class=Response,
            responses=READ_RESPONSES | FILES)
async def export(report: Report, file_format: FileFormat, principal: AnyCaseRole,
                 service: Service,
                 period: Annotated[str | None, Query(
                     max_length=10, description="2026-03, 2026-Q1 or 2026 (rates and rankings: "
                     "the current month by default; rankings: a month)")] = None,
                 unit: Filter = None, community: Filter = None, category: Filter = None,
                 lang: Literal["zh", "en"] = "zh") -> Response:
    """The backlog (open cases now), the overdue clocks (now), rates and the published
    ranking of a period, breaches, or the key-case ledger, as CSV (UTF-8 with BOM) or XLSX.
    A filter a report does not take is refused (422 naming it), never ignored."""
    unit, community, category = (_given(v) for v in (unit, community, category))
    if principal.role is Role.UNIT_HANDLER:
        if report not in UNIT_REPORTS:
            raise HTTPException(403, "a unit handler exports only its unit's backlog and "
                                     "overdue list")
        if unit is not None and unit != principal.unit_id:
            raise HTTPException(403, "a unit handler exports only its own unit")
        unit = principal.unit_id
    query = ExportQuery(report, principal.district, _given(period), unit, community, category)
    now = service.clock.now()
    try:
        result = await table(service.pool, service.standards, service.records, query, now)
    except ExportRefused as exc:
        raise invalid(exc.field, str(exc)) from exc
    except NothingToExport as exc:
        raise HTTPException(404, str(exc)) from exc
    content, media = ((to_csv(result, lang), CSV_TYPE) if file_format is FileFormat.CSV
                      else (to_xlsx(result, lang), XLSX_TYPE))
    name = _safe(f"{report.value}-{principal.district}-{result.label}.{file_format.value}")
    return Response(content=content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Export-Rows": str(len(result.rows)),
        "X-Export-Truncated": "true" if result.truncated else "false"})


def _given(value: str | None) -> str | None:
    """An empty filter (``unit=``) is no filter."""
    return value if value is not None and value.strip() else None


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)
