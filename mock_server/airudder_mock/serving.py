"""Serving an ASGI app with uvicorn on an already bound socket, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import uvicorn

ASGIApp = Callable[..., Awaitable[None]]
SHUTDOWN_GRACE = 5


@contextmanager
def bound_socket(host: str, port: int = 0) -> Iterator[socket.socket]:
    """A TCP socket bound to `host:port` (`port=0`: a free one), closed when the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    try:
        yield sock
    finally:
        sock.close()


@contextmanager
def serving(app: ASGIApp, sock: socket.socket) -> Iterator[None]:
    """Run uvicorn on an already bound socket in a thread; stop it when the block ends (requests still running
    then, such as one held by an injected latency, get SHUTDOWN_GRACE seconds)."""
    config = uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=SHUTDOWN_GRACE
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_GRACE + 10)
