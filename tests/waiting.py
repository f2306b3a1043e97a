"""Waiting with a deadline, never a fixed sleep: until a server a test started accepts connections, or until a
condition holds."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from typing import Any

POLL = 0.05


def wait_listening(port: int, process: subprocess.Popen[Any] | None = None, timeout: float = 60.0) -> None:
    """Return once 127.0.0.1:`port` accepts a TCP connection; fail at the deadline, or as soon as `process` (the
    server's, when given) has exited, saying which."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise AssertionError(f"{process.args!r} exited ({process.returncode}) before listening") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout:g} s") from None
            time.sleep(POLL)  # polling a condition, bounded by the deadline above


def wait_until(condition: Callable[[], object], seconds: float = 30.0, what: str = "the condition") -> None:
    """Return once `condition()` is true; fail at the deadline, naming `what` did not come about."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not come about in {seconds:g} s"
        time.sleep(POLL / 5)  # polling a condition, bounded by the deadline above
