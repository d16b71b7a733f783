"""Intake's own tables besides the event store (created at start, idempotently).

- ``routable_districts``: districts whose routing rules routing has published (consumed from
  ``petition.routing-rules.published.v1``); intake registers petitions only there, so no case
  is registered that routing cannot assign.
- ``pending_repeat_suggestions``: repeat suggestions waiting for a clerk's verdict, kept in the
  transaction that appends the case's events (a projection, rebuilt from nothing else).
"""

from __future__ import annotations

DDL = """
CREATE TABLE IF NOT EXISTS routable_districts (
    district      text PRIMARY KEY,
    rules_version integer NOT NULL,
    published_at  timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
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
CREATE INDEX IF NOT EXISTS pending_repeat_suggestions_by_district
    ON pending_repeat_suggestions (district, suggested_at, seq);
"""
