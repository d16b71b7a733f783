"""Ports for processes started one after another: a port handed out is not handed out again,
even before its process has bound it (several services once got the same fallback port)."""

from __future__ import annotations

import socket

from casebus.embedded.broker import free_port


def test_a_busy_port_gives_the_next_free_one_not_yet_handed_out() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        first = free_port(port)
        second = free_port(port, taken={first})
        assert port < first < second
        assert free_port(port, taken={first, second}) not in (port, first, second)
