"""Test data: Beiyuan street's March 2024, twelve cases in four communities, by hand.

Times are local (UTC+8), 10:00 unless a minute matters. Deadlines are given as facts of the case,
as a service would fold them from its clock events.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.evaluation import Satisfaction
from casebus.domain.reporting_period import ReportingPeriod

LOCAL = timezone(timedelta(hours=8))
DISTRICT = "chaoyang"
STREET = "beiyuan"
MARCH = ReportingPeriod.month(2024, 3, LOCAL)
BEIYUAN = Scope(district=DISTRICT, street=STREET)
S, BS, NS = Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.NOT_SATISFIED


def local(m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(2024, m, d, h, mi, tzinfo=LOCAL)


def case(case_id: str, registered: datetime, **facts: Any) -> CaseRecord:
    defaults: dict[str, Any] = {"district": DISTRICT, "street": STREET, "category": "gas",
                                "unit_id": "gas-company", "community": "Dingjia"}
    return CaseRecord(case_id=case_id, registered_at=registered, **{**defaults, **facts})


D, Z, L, Y = "Dingjia", "Zhilizhuang", "Lakeside Garden", "Yashiyuan"

STREET_MONTH = [
    case("C01", local(3, 1), community=D, acceptance_due=local(3, 16, 17), accepted_at=local(3, 4),
         answer_due=local(5, 3), answered_at=local(3, 20), closed_at=local(3, 28),
         office_evaluation=S, unit_evaluation=S),
    # accepted one minute after its deadline; answered, then a review was requested
    case("C02", local(3, 2), community=D, acceptance_due=local(3, 17, 17),
         accepted_at=local(3, 17, 17, 1), answer_due=local(5, 16), answered_at=local(3, 25),
         review_requested=True),
    case("C03", local(3, 5), community=D, is_repeat=True, acceptance_due=local(3, 20),
         accepted_at=local(3, 6), answer_due=local(5, 5), answered_at=local(3, 15),
         closed_at=local(3, 22), office_evaluation=NS, unit_evaluation=BS),
    case("C04", local(3, 6), community=Z, is_collective=True, acceptance_due=local(3, 21),
         accepted_at=local(3, 7), answer_due=local(5, 6)),
    # never accepted; its acceptance deadline passed in March
    case("C05", local(3, 8), community=Z, acceptance_due=local(3, 23)),
    case("C06", local(3, 10), community=Z, is_skip_level=True, escalated=True,
         acceptance_due=local(3, 25), accepted_at=local(3, 11), answer_due=local(5, 10),
         answered_at=local(3, 29), closed_at=local(3, 31), office_evaluation=NS,
         unit_evaluation=NS),
    # closed without the petitioner evaluating
    case("C07", local(3, 12), community=L, acceptance_due=local(3, 27), accepted_at=local(3, 13),
         answer_due=local(5, 12), answered_at=local(3, 26), closed_at=local(3, 30)),
    # not accepted yet, but its acceptance deadline is in April: not settled in March
    case("C08", local(3, 20), community=L, acceptance_due=local(4, 4)),
    case("C09", local(3, 25), community=L, acceptance_due=local(4, 9), accepted_at=local(3, 26),
         answer_due=local(5, 25)),
    # registered in February; answer due 12 March, answered only on 2 April
    case("C10", datetime(2024, 2, 10, 10, tzinfo=LOCAL), community=Y,
         acceptance_due=datetime(2024, 2, 25, 10, tzinfo=LOCAL),
         accepted_at=datetime(2024, 2, 12, 10, tzinfo=LOCAL), answer_due=local(3, 12),
         answered_at=local(4, 2)),
    # a repeat the unit caused; answered a minute before its (internal, tighter) deadline
    case("C11", local(3, 14), community=Y, is_repeat=True, attributed_to_unit_error=True,
         acceptance_due=local(3, 29), accepted_at=local(3, 15), answer_due=local(3, 30),
         answered_at=local(3, 30) - timedelta(minutes=1), closed_at=local(3, 31, 12),
         office_evaluation=BS,
         unit_evaluation=S),
    # closed in April: its evaluation belongs to April
    case("C12", local(3, 18), community=Y, acceptance_due=local(4, 2), accepted_at=local(3, 19),
         answer_due=local(4, 30), answered_at=local(3, 28), closed_at=local(4, 3),
         unit_evaluation=S),
]

# Decoys: another street of the district, and another district; they must never be counted.
DECOYS = [
    case("X01", local(3, 5), street="jiaomen", acceptance_due=local(3, 20), accepted_at=local(3, 6),
         answered_at=local(3, 7), answer_due=local(5, 5), closed_at=local(3, 8), is_repeat=True,
         unit_evaluation=NS, office_evaluation=NS),
    case("X02", local(3, 5), district="haidian", acceptance_due=local(3, 6),
         answered_at=local(3, 7), answer_due=local(3, 6), closed_at=local(3, 8), is_repeat=True,
         unit_evaluation=NS, office_evaluation=NS),
]
