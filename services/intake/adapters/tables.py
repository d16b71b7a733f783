"""Intake's own tables besides the event store (created at start, idempotently).

- ``routable_districts``: districts whose routing rules routing has published (consumed from
  ``petition.routing-rules.published.v1``); intake registers petitions only there, so no case
  is registered that routing cannot assign.
- ``pending_repeat_suggestions``: repeat suggestions waiting for a clerk's verdict, kept in the
  transaction that appends the case's events (a projection, rebuilt from nothing else); the
  subject is sealed with the case's key, as in the events.
"""

from __future__ import annotations

DDL = """
CREATE TABLE IF NOT EXISTS routable_districts (
    district      text PRIMARY KEY,
    rules_version integer NOT NULL,
    published_at  timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
-- The places the district's rules route by: a location that names one is published as the
-- case's ``place``; any other location stays sealed in intake.
ALTER TABLE routable_districts ADD COLUMN IF NOT EXISTS places text[] NOT NULL DEFAULT '{}';
CREATE TABLE IF NOT EXISTS pending_repeat_suggestions (
    case_id                text PRIMARY KEY,
    seq                    bigserial,  -- order of suggesting, for equal instants
    district               text NOT NULL,
    repeat_of              text NOT NULL,
    matched_petitioner_ids text[] NOT NULL,
    category               text NOT NULL,
    subject                text NOT NULL,
    suggested_at           timestamptz NOT NULL
);
-- Clear text from before subjects were sealed: never kept again.
ALTER TABLE pending_repeat_suggestions ALTER COLUMN subject DROP NOT NULL;
ALTER TABLE pending_repeat_suggestions ADD COLUMN IF NOT EXISTS sealed_subject jsonb;
UPDATE pending_repeat_suggestions SET subject = NULL WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS pending_repeat_suggestions_by_district
    ON pending_repeat_suggestions (district, suggested_at, seq);
"""
