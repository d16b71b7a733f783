"""Reporting's tables: read models only, rebuilt from the three public topics.

Each service's topic is read on its own, so one case's facts arrive in any relative order
across topics: each source fills only its own columns (intake: registration and stage, guarded
by ``stage_at``; routing: the assignment, guarded by ``routing_at``), and a row is created by
whichever event comes first. ``case_view`` existed before these columns: they are added to an
older table too.
"""

from __future__ import annotations

from services.reporting.adapters import case_record_schema, event_feed
from services.reporting.adapters.clock_sql import ATTENTION_DDL

_CASE_VIEW_COLUMNS = (
    # from intake
    "matter_kind text", "category text", "community text", "location text", "subject text",
    "channel text", "collective boolean", "skip_level boolean", "registered_at timestamptz",
    "stage text", "stage_at timestamptz", "merged_into text", "concluded_at timestamptz",
    # from routing
    "assignment_status text", "unit_id text", "assisting_unit_ids text[]",
    "rules_version integer", "level text", "assigned_at timestamptz",
    "acceptance_due timestamptz", "accepted_at timestamptz", "answer_due timestamptz",
    "extension_days integer", "extension_approved_by text", "routing_at timestamptz",
    "key_case boolean NOT NULL DEFAULT false", "key_case_flagged_by text",
    "key_case_reason text",
)

DDL = f"""
CREATE TABLE IF NOT EXISTS case_view (
    case_id  text PRIMARY KEY,
    district text NOT NULL
);
ALTER TABLE case_view {", ".join(f"ADD COLUMN IF NOT EXISTS {c}" for c in _CASE_VIEW_COLUMNS)};
CREATE INDEX IF NOT EXISTS case_view_open ON case_view (district, unit_id)
    WHERE concluded_at IS NULL;
-- The backlog's counts read every open case: from this index (open cases only, with what the
-- counts group by), not from a table that holds the whole history.
CREATE INDEX IF NOT EXISTS case_view_open_cases ON case_view (district)
    INCLUDE (case_id, unit_id, community, category, registered_at, matter_kind)
    WHERE concluded_at IS NULL;

-- Every unit that held, holds or assists a case: unit handlers see those cases.
CREATE TABLE IF NOT EXISTS case_units (
    case_id  text NOT NULL,
    unit_id  text NOT NULL,
    district text NOT NULL,
    since    timestamptz NOT NULL,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX IF NOT EXISTS case_units_by_unit ON case_units (district, unit_id);

CREATE TABLE IF NOT EXISTS case_supervision_orders (
    case_id    text NOT NULL,
    order_id   text NOT NULL,
    district   text NOT NULL,
    issued_by  text NOT NULL,
    unit_id    text,
    due        timestamptz NOT NULL,
    limit_days integer,
    issued_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, order_id)
);

-- One row per deadline clock, from accountability's clock events (``last_at`` guards order).
CREATE TABLE IF NOT EXISTS case_clocks (
    clock_id    text PRIMARY KEY,
    case_id     text NOT NULL,
    district    text NOT NULL,
    kind        text,
    unit_id     text,
    category    text,
    phase       text,
    started_at  timestamptz,
    due_at      timestamptz,
    warn_at     timestamptz,
    warned_due  timestamptz,
    breached    boolean NOT NULL DEFAULT false,
    on_time     boolean,
    outcome     text,
    stopped_at  timestamptz,
    last_at     timestamptz
);
CREATE INDEX IF NOT EXISTS case_clocks_by_case ON case_clocks (case_id);
CREATE INDEX IF NOT EXISTS case_clocks_running ON case_clocks (district, due_at)
    WHERE phase = 'running';
-- A case's running clocks: its urgency in the backlog, never history's stopped clocks.
CREATE INDEX IF NOT EXISTS case_clocks_running_of_case ON case_clocks (case_id)
    WHERE phase = 'running';

CREATE TABLE IF NOT EXISTS case_timeline (
    seq         bigserial,
    case_id     text NOT NULL,
    event_id    text NOT NULL,
    type        text NOT NULL,
    source      text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data        jsonb NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
"""
DDL += ATTENTION_DDL  # when each running clock needs attention: the overdue and due-soon list
# Rates' and rankings' tables come up with the read models (every start runs the whole DDL).
DDL += case_record_schema.DDL
DDL += event_feed.DDL  # the live view's feed: after the timeline it starts from
