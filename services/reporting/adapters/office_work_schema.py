"""Read models of leaders' reception days and of community service work, kept from intake's
public events (which carry no personal data: no person received is ever here)."""

DDL = """
CREATE TABLE IF NOT EXISTS reception_days (
    reception_day_id text PRIMARY KEY,
    district         text NOT NULL,
    leader_id        text NOT NULL,
    day              date NOT NULL,
    held             boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS reception_days_by_district_day ON reception_days (district, day);
CREATE TABLE IF NOT EXISTS reception_persons (
    reception_id       text PRIMARY KEY,
    reception_day_id   text NOT NULL,
    district           text NOT NULL,
    leader_id          text NOT NULL,
    day                date NOT NULL,
    outcome            text,
    registered_case_id text
);
CREATE INDEX IF NOT EXISTS reception_persons_by_district_day
    ON reception_persons (district, day);
CREATE TABLE IF NOT EXISTS service_work_days (
    service_work_id  text PRIMARY KEY,
    district         text NOT NULL,
    community        text NOT NULL,
    day              date NOT NULL,
    cadres           integer NOT NULL,
    demands_resolved bigint NOT NULL,
    persons_guided   bigint NOT NULL,
    revision         integer NOT NULL  -- the latest correction kept: a replay never goes back
);
CREATE INDEX IF NOT EXISTS service_work_by_district_day ON service_work_days (district, day);
"""
