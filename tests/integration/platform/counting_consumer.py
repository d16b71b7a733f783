"""A consumer process for the kill test: counts every event it applies into ``applied``.

    python -m tests.integration.platform.counting_consumer DATABASE_URL BOOTSTRAP TOPIC
"""

from __future__ import annotations

import asyncio
import sys

from casebus.consumer import InboxConsumer
from casebus.settings import Settings
from casebus.store import connect_pool, migrate
from tests.integration.platform.kafka_tools import APPLIED_DDL, count_applied


async def main(database_url: str, bootstrap: str, topic: str) -> None:
    pool = await connect_pool(database_url)
    await migrate(pool, APPLIED_DDL)
    settings = Settings(database_url=database_url, kafka_bootstrap=bootstrap,
                        session_timeout_ms=6000, heartbeat_interval_ms=300,
                        broker_epoch_check_seconds=1.0)
    await InboxConsumer("kill-test", [topic], {"test.counted.v1": count_applied}, pool,
                        settings).run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
