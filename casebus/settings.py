"""Configuration from environment variables (``CASEBUS_*``), with defaults that run embedded."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_TOKEN_SECRET = "embedded-demo-secret-change-me-in-production"
EMBEDDED_PSEUDONYM_SECRET = "embedded-demo-pseudonyms-change-me-in-production"
MIN_SECRET_LENGTH = 32


class UnsafeSettings(ValueError):
    """The service would run with settings anyone could exploit; it refuses to start."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBUS_", extra="ignore")

    service: str = "intake"
    # Each service owns its database; unset, it is the service's own database on localhost.
    database_url: str = ""
    kafka_bootstrap: str = "127.0.0.1:9092"
    http_host: str = "127.0.0.1"
    http_port: int = 8001

    # "embedded": the one-machine demo and tests (./dev up sets it): public demo secrets are
    # allowed, but only while the service listens on loopback. Anything else is production.
    profile: Literal["embedded", "production"] = "production"
    # HS256 secret for bearer tokens. The default is for the embedded profile only.
    token_secret: str = EMBEDDED_TOKEN_SECRET
    token_issuer: str = "urn:petition:casework"
    token_audience: str = "urn:petition:api"
    # Keys the pseudonymous petitioner ids (HMAC of an ID number). Separate from the token
    # secret: rotating that must not change who is who. Never rotate this one casually.
    pseudonym_secret: str = EMBEDDED_PSEUDONYM_SECRET

    # Consumer group timing: short in the embedded profile, where a rejoin otherwise takes ~110 s.
    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 500
    # How long a fetch may wait for records. Kafka answers as soon as one arrives; the
    # embedded broker looks a few times during the wait (a record produced mid-wait arrives
    # after about a fifth of it on average, at most half), so this bounds each hop's latency.
    # Each idle consumer asks once per wait: at 50 ms the quiet embedded system spends about
    # a fifth of a core on fetches (the broker 11 %, each service 2 %), half that at 200 ms.
    fetch_max_wait_ms: int = 50
    topic_partitions: int = 4
    topic_replication: int = 1

    relay_batch_size: int = 500
    # Relays wake when their own process appends; for other instances' events they look
    # this often.
    relay_idle_seconds: float = 0.2
    # How often relays and consumers look for an embedded broker that restarted empty.
    broker_epoch_check_seconds: float = 2.0
    consumer_max_attempts: int = 5
    # A fetch's events (of any partitions) are applied in pages of up to this many, one
    # transaction each.
    consumer_page_size: int = 100
    # How often consumers commit their broker offsets (a hint: the inbox decides).
    consumer_commit_seconds: float = 1.0
    # First wait before a failed background task (relay, consumer, worker) is restarted.
    task_restart_backoff_seconds: float = 1.0
    db_pool_max: int = 10
    # A statement or an idle transaction longer than these is ended by the server.
    db_statement_timeout_ms: int = 30_000
    db_idle_in_transaction_timeout_ms: int = 60_000
    # Waiting longer than this for a pooled connection answers 503 (never waits forever).
    db_acquire_timeout_seconds: float = 10.0
    # How long a command's first answer is kept for retries with its Idempotency-Key.
    idempotency_retention_hours: float = 72.0
    # How long a consumed event's id is kept in the inbox; older ones are covered by the
    # per-partition horizon (casebus.pruning). Far longer than any redelivery takes.
    inbox_retention_hours: float = 7 * 24.0
    prune_every_seconds: float = 300.0
    # Embedded profile and tests only: a file holding the simulated clock's offset, shared by
    # every service process (casebus.clock.SharedSimulatedClock). Empty: the system clock.
    simulated_clock_file: str = ""
    # How often accountability's deadline watcher looks for clocks to warn or breach.
    scheduler_interval_seconds: float = 1.0
    # Working days before due that a clock warns, per district (JSON in the environment, e.g.
    # CASEBUS_WARN_WORKING_DAYS='{"chaoyang": 5}'); 3 where a district is not named.
    warn_working_days: dict[str, int] = {}
    log_level: str = "INFO"
    log_json: bool = True
    # Reporting: the weight of "basically satisfied" in satisfaction rates, per district (JSON,
    # e.g. CASEBUS_BASICALLY_SATISFIED_WEIGHT='{"chaoyang": "0.8"}'); 0.9 where not named.
    basically_satisfied_weight: dict[str, str] = {}
    # Reporting: default ranking weights per district, rate -> weight summing to 1 (JSON, e.g.
    # '{"chaoyang": {"timely-acceptance": "0.3", ...}}'); 30/35/35 response/resolution/
    # satisfaction where not named.
    ranking_weights: dict[str, dict[str, str]] = {}
    # Early-warning worker (services/early_warning): a warning when, within a window of this
    # many local days, this many distinct petitioners petition one matter in one community, or
    # this many cases are handed to one unit. In a district's key periods (JSON of inclusive
    # local days, e.g. '{"chaoyang": [["2026-09-28", "2026-10-08"]]}') each threshold is
    # multiplied by the factor (rounded up, never below 2).
    early_warning_window_days: int = 7
    early_warning_collective_threshold: int = 5
    early_warning_unit_surge_threshold: int = 10
    early_warning_key_period_factor: float = 0.6
    early_warning_key_periods: dict[str, list[tuple[str, str]]] = {}
    # The key-case ledger, per district (JSON, e.g. '{"chaoyang": 60}'): a case open more than
    # this many days enters (default 90), and a matter petitioned this many times (the first
    # case plus its confirmed repeats and merges) enters (default 3). The age sweep runs every
    # ``key_case_sweep_seconds`` on the service's clock.
    key_case_open_days: dict[str, int] = {}
    key_case_petitions: dict[str, int] = {}
    key_case_sweep_seconds: float = 60.0
    # Reporting's live event view (GET /api/v1/stream): streams open at once per process
    # (beyond: 503 with Retry-After), events one page reads (all a stream ever holds in memory),
    # seconds between heartbeat comments, and the polling fallback when no notification comes.
    stream_max_clients: int = 100
    stream_page_size: int = 100
    stream_heartbeat_seconds: float = 15.0
    stream_poll_seconds: float = 1.0

    @property
    def dsn(self) -> str:
        """The database to use: ``database_url``, or else the service's own on localhost.
        Resolved when read, so a copy made for another service gets that service's database."""
        return self.database_url or f"postgresql://postgres@127.0.0.1:5432/{self.service}"

    def check_safe_to_serve(self) -> None:
        """Refuse demo or short secrets outside the embedded profile on loopback: with the
        public default anyone could mint a leader's token for any district."""
        problems = []
        if self.profile == "embedded":
            if not _loopback(self.http_host):
                problems.append(f"the embedded profile listens on loopback only, not "
                                f"{self.http_host!r}")
        else:
            for name, value, demo in (("TOKEN_SECRET", self.token_secret, EMBEDDED_TOKEN_SECRET),
                                      ("PSEUDONYM_SECRET", self.pseudonym_secret,
                                       EMBEDDED_PSEUDONYM_SECRET)):
                if value == demo or len(value) < MIN_SECRET_LENGTH:
                    problems.append(f"CASEBUS_{name} must be a secret of at least "
                                    f"{MIN_SECRET_LENGTH} characters, not the demo default")
        if problems:
            raise UnsafeSettings("refusing to start: " + "; ".join(problems) +
                                 " (CASEBUS_PROFILE=embedded is for one machine on loopback)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
