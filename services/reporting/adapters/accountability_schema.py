"""Reporting's tables of accountability's public events: breaches with their review, and the
key-case ledger.

A breach's recording and its review's opening and conclusion may arrive in any order (and
twice): each event fills only its own columns of the breach's row, created by whichever comes
first. The same holds for a key case's entry, plans, progress notes and resolution. Nothing
here is personal data: officials' ids and the office's own words, as accountability publishes
them; a progress note's text and an entry's evidence are not kept at all.
"""

from __future__ import annotations

DDL = """
CREATE TABLE IF NOT EXISTS accountability_breaches (
    breach_id        text PRIMARY KEY,
    district         text NOT NULL,
    review_id        text NOT NULL,
    -- from petition.breach.recorded
    letter_id        text,
    unit_id          text,
    target           text,
    rate             text,
    measured         text,
    threshold        text,
    period_start     timestamptz,
    period_end       timestamptz,
    case_ids         jsonb,
    recorded_at      timestamptz,
    -- from petition.accountability-review.opened
    review_unit_id   text,
    review_opened_at timestamptz,
    opened_responsible text,
    -- from petition.accountability-review.concluded
    concluded_at     timestamptz,
    conclusion       text,
    responsibility_confirmed boolean,
    induced_by_unit_error boolean,
    concluded_responsible text
);
CREATE INDEX IF NOT EXISTS accountability_breaches_by_district
    ON accountability_breaches (district, recorded_at);

CREATE TABLE IF NOT EXISTS accountability_key_cases (
    district         text NOT NULL,
    case_id          text NOT NULL,
    reasons          text[] NOT NULL DEFAULT '{}',
    entered_at       timestamptz,
    plan             text,
    leader_in_charge text,
    plan_set_at      timestamptz,
    resolved_at      timestamptz,
    PRIMARY KEY (district, case_id)
);

-- One row per progress note (by event id: a note delivered twice counts once).
CREATE TABLE IF NOT EXISTS accountability_key_case_progress (
    event_id  text PRIMARY KEY,
    district  text NOT NULL,
    case_id   text NOT NULL,
    noted_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS accountability_key_case_progress_of_case
    ON accountability_key_case_progress (district, case_id);
"""
