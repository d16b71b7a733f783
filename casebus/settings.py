"""Configuration from environment variables (``CASEBUS_*``), with defaults that run embedded."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBUS_", extra="ignore")

    service: str = "intake"
    # Each service owns its database; unset, it is the service's own database on localhost.
    database_url: str = ""
    kafka_bootstrap: str = "127.0.0.1:9092"
    http_host: str = "127.0.0.1"
    http_port: int = 8001

    # HS256 secret for bearer tokens. The default is for the embedded demo only.
    token_secret: str = "embedded-demo-secret-change-me-in-production"
    # Keys the pseudonymous petitioner ids (HMAC of an ID number). Separate from the token
    # secret: rotating that must not change who is who. Never rotate this one casually.
    pseudonym_secret: str = "embedded-demo-pseudonyms-change-me-in-production"

    # Consumer group timing: short in the embedded profile, where a rejoin otherwise takes ~110 s.
    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 500
    # How long a fetch may wait for records. The embedded broker holds a fetch for the full
    # wait even when records arrive, so this bounds each hop's latency; Kafka answers early.
    fetch_max_wait_ms: int = 50
    topic_partitions: int = 4
    topic_replication: int = 1

    relay_batch_size: int = 500
    relay_idle_seconds: float = 0.05
    # How often relays and consumers look for an embedded broker that restarted empty.
    broker_epoch_check_seconds: float = 2.0
    consumer_max_attempts: int = 5
    # First wait before a failed background task (relay, consumer, worker) is restarted.
    task_restart_backoff_seconds: float = 1.0
    db_pool_max: int = 10
    # A statement or an idle transaction longer than these is ended by the server.
    db_statement_timeout_ms: int = 30_000
    db_idle_in_transaction_timeout_ms: int = 60_000
    # Embedded profile and tests only: a file holding the simulated clock's offset, shared by
    # every service process (casebus.clock.SharedSimulatedClock). Empty: the system clock.
    simulated_clock_file: str = ""
    # How often accountability's deadline watcher looks for clocks to warn or breach.
    scheduler_interval_seconds: float = 1.0
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def dsn(self) -> str:
        """The database to use: ``database_url``, or else the service's own on localhost.
        Resolved when read, so a copy made for another service gets that service's database."""
        return self.database_url or f"postgresql://postgres@127.0.0.1:5432/{self.service}"
