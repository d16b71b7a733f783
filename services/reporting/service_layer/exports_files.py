"""An export's table as a file: CSV in UTF-8 with a byte-order mark (so Excel in a Chinese
office opens it as UTF-8), or XLSX (openpyxl, write-only) with a bold, frozen header row and
columns as wide as their content."""

from __future__ import annotations

import csv
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.reporting.service_layer.exports import Table
from services.reporting.service_layer.exports_values import cell, text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 200  # rows looked at to size a column


def to_csv(table: Table, lang: str) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)  # RFC 4180: quoted as needed, CRLF line ends
    writer.writerow([c.header(lang) for c in table.columns])
    for row in table.rows:
        writer.writerow([text(row.get(c.key), c, lang) for c in table.columns])
    return out.getvalue().encode("utf-8")


def display_width(value: str) -> int:
    """Columns a text takes on screen: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def to_xlsx(table: Table, lang: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title(lang)[:31])  # Excel's limit on sheet names
    sample = table.rows[:WIDTH_SAMPLE]
    for i, column in enumerate(table.columns, start=1):
        widest = max([display_width(column.header(lang)),
                      *(display_width(text(r.get(column.key), column, lang)) for r in sample)])
        sheet.column_dimensions[get_column_letter(i)].width = \
            min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        c = WriteOnlyCell(sheet, value=column.header(lang))
        c.font = bold
        header.append(c)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = cell(row.get(column.key), column, lang)
            if isinstance(value, str):  # control characters XML cannot hold: dropped
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            c = WriteOnlyCell(sheet, value=value)
            if column.kind == "decimal":
                c.number_format = "0.0000"
            elif isinstance(c.value, str):
                c.data_type = "s"  # text stays text, even when it looks like a formula
            cells.append(c)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
