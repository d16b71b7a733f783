"""The SQL twin of ``casebus.domain.clock_condition.clock_condition`` (the one definition of a
clock's condition), for filtering lists in the database. Answers still show the condition
computed by ``clock_condition``; this only selects rows. Keep the two in step:
tests/integration/reporting/test_clock_condition_sql.py checks they agree, row by row, at
several moments.
"""

from __future__ import annotations

from casebus.domain.clock_condition import ClockCondition
from casebus.domain.clocks import ClockPhase
from casebus.domain.deadlines import DEFAULT_WARN_LEAD
from services.reporting.domain.urgency import Urgency

_DEFAULT_WARN_LEAD = f"interval '{int(DEFAULT_WARN_LEAD.total_seconds())} seconds'"


def clock_condition_sql(clock: str, at: str) -> str:
    """The condition of the ``case_clocks`` row aliased ``clock`` at the instant ``at`` (an SQL
    expression, e.g. ``$2``); NULL for a clock not started (``clock_condition`` refuses it).
    Overdue: running and at or past due. Due soon: running, not due, at or past the warning
    instant (``warn_at``, else the default lead before due)."""
    k = clock
    return f"""(CASE
        WHEN {k}.phase = '{ClockPhase.STOPPED}' THEN '{ClockCondition.STOPPED}'
        WHEN {k}.phase = '{ClockPhase.PAUSED}' THEN '{ClockCondition.PAUSED}'
        WHEN {k}.phase IS DISTINCT FROM '{ClockPhase.RUNNING}' OR {k}.due_at IS NULL THEN NULL
        WHEN {at} >= {k}.due_at THEN '{ClockCondition.OVERDUE}'
        WHEN {at} >= coalesce({k}.warn_at, {k}.due_at - {_DEFAULT_WARN_LEAD})
            THEN '{ClockCondition.DUE_SOON}'
        ELSE '{ClockCondition.RUNNING}' END)"""


def attention_sql(clock: str) -> str:
    """From when the running clock ``clock`` is due soon or overdue (and stays so while it
    runs): the earlier of its warning instant (else the default lead before due) and its due
    instant. ``case_clocks.attention_at`` holds it while the clock runs (``ATTENTION_DDL``),
    so the list of clocks that need attention reads those from an index, not every running
    clock."""
    k = clock
    return f"least({k}.due_at, coalesce({k}.warn_at, {k}.due_at - {_DEFAULT_WARN_LEAD}))"


# After case_clocks. The trigger keeps the column with the clock's phase, due_at and warn_at,
# whoever writes them; NULL unless running, so the planner's statistics of the column are
# those of running clocks (with history's stopped clocks in them, it took most running
# clocks for due and planned a parallel scan: 7 ms of worker start-up for no row). The update
# fills running clocks written before the column existed (none once done).
ATTENTION_DDL = f"""
ALTER TABLE case_clocks ADD COLUMN IF NOT EXISTS attention_at timestamptz;
CREATE OR REPLACE FUNCTION case_clock_attention() RETURNS trigger AS $$
BEGIN
    NEW.attention_at := CASE WHEN NEW.phase = '{ClockPhase.RUNNING}'
                             THEN {attention_sql("NEW")} END;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER case_clock_attention
    BEFORE INSERT OR UPDATE OF phase, due_at, warn_at ON case_clocks
    FOR EACH ROW EXECUTE FUNCTION case_clock_attention();
UPDATE case_clocks k SET attention_at = {attention_sql("k")}
 WHERE phase = '{ClockPhase.RUNNING}' AND attention_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS case_clocks_attention ON case_clocks (district, attention_at)
    WHERE phase = '{ClockPhase.RUNNING}';
"""

NEEDS_ATTENTION = frozenset({ClockCondition.OVERDUE, ClockCondition.DUE_SOON})

_PHASE_OF = {ClockCondition.RUNNING: ClockPhase.RUNNING, ClockCondition.DUE_SOON:
             ClockPhase.RUNNING, ClockCondition.OVERDUE: ClockPhase.RUNNING,
             ClockCondition.PAUSED: ClockPhase.PAUSED, ClockCondition.STOPPED: ClockPhase.STOPPED}


def phase_sql(clock: str, conditions: list[ClockCondition]) -> str:
    """The phases these conditions can hold in, as a plain predicate (constants, never input):
    with it the planner reads the running clocks' index instead of every clock in history."""
    phases = ", ".join(sorted({f"'{_PHASE_OF[c]}'" for c in conditions}))
    return f"{clock}.phase IN ({phases})"


def case_urgency_sql(case: str, at: str) -> str:
    """The twin of ``services.reporting.domain.urgency.case_urgency`` over the case's clocks.
    Only running clocks can be overdue or due soon, so only those are read (their own index,
    which holds the open cases' clocks, not history's)."""
    condition = clock_condition_sql("k", at)
    pressing = [ClockCondition.OVERDUE, ClockCondition.DUE_SOON]
    return f"""(SELECT CASE
        WHEN bool_or({condition} = '{ClockCondition.OVERDUE}') THEN '{Urgency.OVERDUE}'
        WHEN bool_or({condition} = '{ClockCondition.DUE_SOON}') THEN '{Urgency.DUE_SOON}'
        ELSE '{Urgency.OPEN}' END
        FROM case_clocks k WHERE k.case_id = {case}.case_id AND {phase_sql("k", pressing)})"""
