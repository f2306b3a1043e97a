"""Waiting, with a deadline, until a server a test started accepts connections: never a fixed sleep."""

from __future__ import annotations

import socket
import subprocess
import time
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
