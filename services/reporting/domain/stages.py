"""A case's stage as reporting shows it, taken from intake's events only (routing's events give
the assignment, accountability's the clocks). Within intake's stream the later event wins.

| intake event                              | stage                                     |
|-------------------------------------------|-------------------------------------------|
| registered, unmerged                      | registered (being handled)                |
| not-accepted                              | not-accepted *                            |
| transferred-to-discipline-inspection      | transferred-to-discipline-inspection *    |
| merged                                    | merged (into ``merged_into``) *           |
| answered                                  | answered                                  |
| answer-delivered                          | delivered                                 |
| evaluated, evaluation-lapsed              | evaluated (the evaluation is settled)     |
| review-requested                          | under-review                              |
| review-decided, review-decision-delivered | review-decided                            |
| reexamination-requested                   | under-reexamination                       |
| reexamination-decided                     | final                                     |
| closed                                    | closed *                                  |
| withdrawn                                 | withdrawn *                               |

Stages marked * conclude the case: it leaves the backlog and the lists (a merged case's
matter is carried by the case it joined; unmerging brings it back). Every other intake event
(received, unit-acceptance-recorded, repeat-*, reclassified, hearing-*) leaves the stage as it
is: acceptance shows in the assignment, reclassification in the matter kind, and a hearing
pauses a clock.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStage(StrEnum):
    REGISTERED = "registered"
    NOT_ACCEPTED = "not-accepted"
    TRANSFERRED_TO_DISCIPLINE_INSPECTION = "transferred-to-discipline-inspection"
    MERGED = "merged"
    ANSWERED = "answered"
    DELIVERED = "delivered"
    EVALUATED = "evaluated"
    UNDER_REVIEW = "under-review"
    REVIEW_DECIDED = "review-decided"
    UNDER_REEXAMINATION = "under-reexamination"
    FINAL = "final"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


CONCLUDED = frozenset({CaseStage.NOT_ACCEPTED, CaseStage.TRANSFERRED_TO_DISCIPLINE_INSPECTION,
                       CaseStage.MERGED, CaseStage.CLOSED, CaseStage.WITHDRAWN})

_BY_EVENT = {
    "registered": CaseStage.REGISTERED,
    "unmerged": CaseStage.REGISTERED,
    "not-accepted": CaseStage.NOT_ACCEPTED,
    "transferred-to-discipline-inspection": CaseStage.TRANSFERRED_TO_DISCIPLINE_INSPECTION,
    "merged": CaseStage.MERGED,
    "answered": CaseStage.ANSWERED,
    "answer-delivered": CaseStage.DELIVERED,
    "evaluated": CaseStage.EVALUATED,
    "evaluation-lapsed": CaseStage.EVALUATED,
    "review-requested": CaseStage.UNDER_REVIEW,
    "review-decided": CaseStage.REVIEW_DECIDED,
    "review-decision-delivered": CaseStage.REVIEW_DECIDED,
    "reexamination-requested": CaseStage.UNDER_REEXAMINATION,
    "reexamination-decided": CaseStage.FINAL,
    "closed": CaseStage.CLOSED,
    "withdrawn": CaseStage.WITHDRAWN,
}

# Wire type (``petition.case.<name>.v1``) -> the stage the case is in after that event.
STAGE_AFTER: dict[str, CaseStage] = {
    f"petition.case.{name}.v1": stage for name, stage in _BY_EVENT.items()}


def is_concluded(stage: CaseStage | str | None) -> bool:
    return stage is not None and CaseStage(stage) in CONCLUDED


# Matter kinds (Regulations 2022, classified handling). Reports against officials go to the
# discipline inspection body and are not counted like ordinary petitions.
SUGGESTION, REPORT, CLAIM = "suggestion", "report", "claim"
DEFAULT_MATTER_KIND = CLAIM  # registrations published before matter_kind existed
