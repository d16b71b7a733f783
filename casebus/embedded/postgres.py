"""PostgreSQL 16 from the pgserver wheel, listening on TCP like a production server.

pgserver's own launcher listens on a Unix socket only; we reuse its binaries and its handling of
running as root (postgres refuses root, so it runs as a ``pgserver`` system user).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pgserver._commands import POSTGRES_BIN_PATH

# Autovacuum looks at each database every 5 s (not every minute). Its ANALYZE is what makes a
# service's cached statement plans be planned again: a plan made while a new database's tables
# were nearly empty (a hash join over a scan of the table) otherwise stays while the table grows
# for a minute or more, and every statement reads the whole table. docker-compose.yml says the
# same to its PostgreSQL.
AUTOVACUUM_NAPTIME = "5s"


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    from pgserver.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists("pgserver")
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o755)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o755)
    return "pgserver"


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    port: int
    durable: bool = True  # tests turn fsync off: faster, and a crash there loses nothing of value

    @property
    def dsn_base(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def dsn(self, database: str) -> str:
        return f"{self.dsn_base}/{database}"

    def _run(self, *args: str, user: str | None) -> None:
        subprocess.run([str(POSTGRES_BIN_PATH / args[0]), *args[1:]], check=True, user=user,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        user = _system_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if user:
            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.data_dir)
            import shutil

            shutil.chown(self.data_dir, user, user)
        pgdata = self.data_dir / "pgdata"
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(exist_ok=True)
            if user:
                import shutil

                shutil.chown(pgdata, user, user)
            self._run("initdb", "-D", str(pgdata), "--auth=trust", "-U", "postgres",
                      "--encoding=utf8", user=user)
        self.stop()  # a server left over from a killed run would hold the port
        options = (f"-h 127.0.0.1 -p {self.port} -k {pgdata} -c max_connections=300 "
                   f"-c shared_buffers=256MB -c autovacuum_naptime={AUTOVACUUM_NAPTIME}")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(pgdata), "-w", "-t", "60", "-l", str(pgdata / "server.log"),
                  "-o", options, "start", user=user)

    def stop(self) -> None:
        pgdata = self.data_dir / "pgdata"
        if (pgdata / "postmaster.pid").exists():
            user = "pgserver" if os.geteuid() == 0 else None
            subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w",
                            "-m", "fast", "stop"], user=user, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60, check=False)
