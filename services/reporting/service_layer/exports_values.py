"""Cells as people read them: coded values in Chinese (English keeps the code, which is
already English words), instants as local ISO text, lists joined; in CSV, text that a
spreadsheet would run as a formula made inert (XLSX types such cells as text instead)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from services.reporting.service_layer.exports_columns import RATE_NAMES, Column

ZH_NAMES: dict[str, str] = {
    # a case's or a clock's condition, a clock's phase
    "open": "在办", "running": "正常", "due-soon": "临期", "overdue": "超期",
    "paused": "暂停", "stopped": "停止",
    # clocks
    "register-and-forward": "登记转送", "notify-acceptance": "告知受理",
    "return-outside-remit": "退回非本单位事项", "handle-and-answer": "办理答复",
    "request-review": "申请复查", "review-decision": "复查决定",
    "request-reexamination": "申请复核", "reexamination-decision": "复核决定",
    "supervision": "督办",
    # responsibility-letter targets and review statuses
    "minimum-rate": "比率不低于", "maximum-count": "数量不超过",
    "no-case-overdue": "无超期案件", "no-three-visits-by-unit-error": "无因单位过错三次信访",
    "concluded": "已结论",
    # why a case is in the key-case ledger
    "open-long": "长期未结", "petitioned-many-times": "多次信访",
    "flagged-by-leader": "领导交办",
    **{kind.value: zh for kind, (zh, _) in RATE_NAMES.items()},
}
ZH_REVIEW_OPEN = "审查中"  # "open" of a review reads differently from an open case

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet would take for a formula gets a leading apostrophe (the usual
    defence against formula injection through exported data)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _named(value: str, lang: str, column: Column) -> str:
    if lang != "zh":
        return value
    if column.key == "review_status" and value == "open":
        return ZH_REVIEW_OPEN
    return ZH_NAMES.get(value, value)


def cell(value: Any, column: Column, lang: str) -> str | int | Decimal | None:
    """A typed cell (XLSX): numbers stay numbers, everything else is text."""
    if value is None:
        return None
    if column.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if column.kind == "decimal":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if isinstance(value, list | tuple):
        parts = [_named(str(v), lang, column) if column.kind == "coded" else str(v)
                 for v in value]
        return "; ".join(parts)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    text = str(value)
    return _named(text, lang, column) if column.kind == "coded" else text


def text(value: Any, column: Column, lang: str) -> str:
    """The same cell as CSV text."""
    typed = cell(value, column, lang)
    return "" if typed is None else inert(str(typed)) if isinstance(typed, str) else str(typed)
