"""Every export's columns, in order, with their Chinese and English headers (the one place
headers are named). ``kind`` says how a cell is written: text, a whole number, a decimal rate,
or a coded value named in people's words (``exports_values``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from casebus.domain.measured_rate import RateKind

Kind = Literal["text", "int", "decimal", "coded", "instant"]


class Report(StrEnum):
    BACKLOG = "backlog"
    OVERDUE = "overdue"
    RATES = "rates"
    RANKINGS = "rankings"
    BREACHES = "breaches"
    KEY_CASES = "key-cases"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: Kind = "text"

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _c(key: str, zh: str, en: str, kind: Kind = "text") -> Column:
    return Column(key, zh, en, kind)


RATE_NAMES: dict[RateKind, tuple[str, str]] = {
    RateKind.TIMELY_ACCEPTANCE: ("及时受理率", "Timely acceptance"),
    RateKind.ON_TIME_ANSWER: ("按期办结率", "On-time answer"),
    RateKind.FIRST_VISIT_RESOLUTION: ("初信初访化解率", "First-visit resolution"),
    RateKind.REPEAT: ("重复信访率", "Repeat petitions"),
    RateKind.COLLECTIVE: ("集体访率", "Collective petitions"),
    RateKind.SKIP_LEVEL: ("越级访率", "Skip-level petitions"),
    RateKind.EVALUATION_PARTICIPATION: ("参评率", "Evaluation participation"),
    RateKind.UNIT_SATISFACTION: ("责任单位满意率", "Unit satisfaction"),
    RateKind.OFFICE_SATISFACTION: ("信访部门满意率", "Office satisfaction"),
}
RATE_COLUMNS = tuple(_c(f"rate:{k.value}", zh, en, "decimal") for k, (zh, en) in RATE_NAMES.items())

GROUP_HEADERS = {"unit": ("责任单位", "Unit"), "community": ("社区", "Community"),
                 "category": ("类别", "Category")}

CASE = _c("case_id", "案件编号", "Case")
UNIT = _c("unit_id", "责任单位", "Unit")
COMMUNITY = _c("community", "社区", "Community")
CATEGORY = _c("category", "类别", "Category")

COLUMNS: dict[Report, tuple[Column, ...]] = {
    Report.BACKLOG: (
        CASE, UNIT, COMMUNITY, CATEGORY, _c("registered_at", "登记时间", "Registered", "instant"),
        _c("urgency", "状态", "Condition", "coded"),
        _c("clock_kind", "最紧迫时限", "Most pressing clock", "coded"),
        _c("due_at", "到期时间", "Due", "instant")),
    Report.OVERDUE: (
        CASE, _c("kind", "时限", "Clock", "coded"),
        _c("responsible_unit", "责任单位", "Responsible unit"), COMMUNITY, CATEGORY,
        _c("started_at", "起算时间", "Started", "instant"),
        _c("due_at", "到期时间", "Due", "instant"),
        _c("days_overdue", "超期天数", "Days overdue", "int"),
        _c("phase", "计时状态", "Phase", "coded")),
    Report.RATES: (_c("key", "分组", "Group"), *RATE_COLUMNS),
    Report.RANKINGS: (
        _c("position", "名次", "Position", "int"), _c("key", "排名对象", "Ranked"),
        _c("score", "综合得分", "Score", "decimal"), *RATE_COLUMNS),
    Report.BREACHES: (
        _c("review_id", "问责审查编号", "Review"), _c("letter_id", "责任书编号", "Letter"),
        UNIT, _c("period", "考核期", "Period"), _c("target", "目标", "Target", "coded"),
        _c("rate", "指标", "Rate", "coded"), _c("threshold", "目标值", "Threshold"),
        _c("measured", "实际值", "Measured"), _c("case_count", "涉及案件数", "Cases", "int"),
        _c("case_ids", "涉及案件", "Case ids"),
        _c("recorded_at", "记录时间", "Recorded", "instant"),
        _c("review_status", "审查状态", "Review status", "coded")),
    Report.KEY_CASES: (
        CASE, UNIT, COMMUNITY, CATEGORY, _c("reasons", "列入原因", "Reasons", "coded"),
        _c("entered_at", "列入时间", "Entered", "instant"),
        _c("age_days", "在册天数", "Days in ledger", "int"),
        _c("leader_in_charge", "包案领导", "Leader in charge"),
        _c("plan", "化解方案", "Plan"), _c("progress_count", "进展记录数", "Progress notes", "int"),
        _c("last_progress_at", "最近进展", "Last progress", "instant"),
        _c("resolved_at", "化解时间", "Resolved", "instant")),
}

TITLES: dict[Report, tuple[str, str]] = {
    Report.BACKLOG: ("积案清单", "Backlog"), Report.OVERDUE: ("超期清单", "Overdue"),
    Report.RATES: ("指标", "Rates"), Report.RANKINGS: ("排名", "Ranking"),
    Report.BREACHES: ("责任书违约", "Breaches"), Report.KEY_CASES: ("重点案件台账", "Key cases"),
}
