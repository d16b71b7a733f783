"""Tables for rates and rankings: case records, the case events they were folded from (with
their log positions), and frozen rankings.

Every folded event keeps where reporting's consumer read it (topic, partition, offset), and
the consumer saves its positions in the same transaction, so a ranking can be recomputed from
the events "at or below" the positions a rate was read with. An event fed without a consumer
(a dead letter's replay) has no place and is never at any positions.
"""

from __future__ import annotations

DDL = """
CREATE TABLE IF NOT EXISTS case_records (
    case_id  text PRIMARY KEY,
    district text NOT NULL,
    counted  boolean NOT NULL DEFAULT true,
    applied  integer NOT NULL DEFAULT 0,
    record   jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS case_records_by_district ON case_records (district);
-- When any rate can settle the case (``settled_cases.settled_window``): a period's rates read
-- only the records whose window overlaps it, however long the history. NULL (a record folded
-- before these columns existed) overlaps every period.
ALTER TABLE case_records ADD COLUMN IF NOT EXISTS settled_from timestamptz,
                         ADD COLUMN IF NOT EXISTS settled_until timestamptz;
CREATE INDEX IF NOT EXISTS case_records_settled ON case_records (district, settled_until)
    WHERE counted;

-- How many counted records each group (``rate_groups.group_keys``) holds: the groups a rate
-- table lists, without reading the history. Kept by the fold, in the same statement.
DO $$ BEGIN
IF to_regclass('rate_groups') IS NULL THEN
    CREATE TABLE rate_groups (
        district text NOT NULL,
        by_key   text NOT NULL,
        key      text NOT NULL,
        records  integer NOT NULL,
        PRIMARY KEY (district, by_key, key)
    );
    -- Records folded before the table existed: the keys as group_keys gives them.
    INSERT INTO rate_groups
    SELECT district, by_key, key, count(*) FROM case_records,
           LATERAL (VALUES ('district', district), ('unit', record->>'unit_id'),
                           ('community', record->>'community'),
                           ('category', nullif(record->>'category', ''))) AS g (by_key, key)
     WHERE counted AND key IS NOT NULL GROUP BY 1, 2, 3;
END IF;
END $$;

CREATE TABLE IF NOT EXISTS case_record_events (
    case_id      text NOT NULL,
    ordinal      integer NOT NULL,
    district     text NOT NULL,
    wire_type    text NOT NULL,
    at           timestamptz NOT NULL,
    data         jsonb NOT NULL,
    topic        text,
    partition    integer,
    kafka_offset bigint,
    PRIMARY KEY (case_id, ordinal)
);
CREATE INDEX IF NOT EXISTS case_record_events_by_district ON case_record_events (district);
-- Until 2026-12: a trigger on consumer_position placed the events its transaction folded at
-- the position it saved; the fold places each event itself now (a page may span partitions).
DROP TRIGGER IF EXISTS place_case_record_events ON consumer_position;
DROP FUNCTION IF EXISTS place_case_record_events();
DROP INDEX IF EXISTS case_record_events_unplaced;
ALTER TABLE case_record_events DROP COLUMN IF EXISTS tx_id;

CREATE TABLE IF NOT EXISTS rankings (
    ranking_id  text PRIMARY KEY,
    district    text NOT NULL,
    month       text NOT NULL,
    by_key      text NOT NULL,
    computed_at timestamptz NOT NULL,
    positions   jsonb NOT NULL,
    body        bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS rankings_by_month ON rankings (district, month, computed_at);
"""
