"""Run a receiver on a real port in a background thread: for tests and scripts that post to it over HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from ._receiver import WebhookReceiver


@contextmanager
def running(receiver: WebhookReceiver, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `receiver` with uvicorn while the block runs; yields its base URL (with a path secret, if any).

    `port=0` takes a free port. The block's exit stops the server and waits for it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        config = uvicorn.Config(receiver.app, log_level="warning", lifespan="off", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.01)
        try:
            in_path = receiver.secret and receiver.secret_in == "path"
            yield f"http://{host}:{sock.getsockname()[1]}" + (f"/{receiver.secret}" if in_path else "")
        finally:
            server.should_exit = True
            thread.join(10)
