"""Serve an ASGI app with uvicorn, its connections bounded in time; and a receiver on a real port in a thread."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import uvicorn
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from ._connection_bounds import CONNECTION_TIMEOUT, ConnectionBounds
from ._receiver import WebhookReceiver


def server(app: ASGIApp, *, connection_timeout: float = CONNECTION_TIMEOUT, **options: Any) -> uvicorn.Server:
    """A uvicorn server of `app` that closes connections idle or half-sent for `connection_timeout` seconds.

    `options` are uvicorn.Config's. X-Forwarded-For is trusted from `forwarded_allow_ips` as uvicorn does
    (its default: $FORWARDED_ALLOW_IPS, else 127.0.0.1), applied inside the bound, which needs the real peer.
    """
    bounds = ConnectionBounds(connection_timeout)
    trusted = options.pop("forwarded_allow_ips", None) or os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
    proxied: Any = ProxyHeadersMiddleware(
        cast(Any, app), trusted_hosts=trusted
    )  # uvicorn's ASGI types, not Starlette's
    app = bounds.wrap(proxied)
    config = uvicorn.Config(app, http=bounds.protocol(), proxy_headers=False, lifespan="off", **options)
    return uvicorn.Server(config)


@contextmanager
def running(
    receiver: WebhookReceiver,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    connection_timeout: float = CONNECTION_TIMEOUT,
) -> Iterator[str]:
    """Serve `receiver` with uvicorn while the block runs; yields its base URL (with a path secret, if any).

    `port=0` takes a free port. The block's exit stops the server and waits for it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        serving = server(receiver.app, connection_timeout=connection_timeout, log_level="warning", access_log=False)
        thread = threading.Thread(target=serving.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not serving.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.01)
        try:
            in_path = receiver.secret and receiver.secret_in == "path"
            yield f"http://{host}:{sock.getsockname()[1]}" + (f"/{receiver.secret}" if in_path else "")
        finally:
            serving.should_exit = True
            thread.join(10)
