"""Run an ASGI app for an HTTP client: on a free loopback port in a thread (`serve`), or in-process (`ASGIApp
Transport`, a sync httpx transport; httpx's own `ASGITransport` is async-only).

The mock server and the webhook receiver are both served by `server`/`serve`, so they share one set of limits:
a connection that sits idle, or takes longer than `connection_timeout` seconds to send one whole request (a
slowloris), is closed (`ConnectionBounds`: uvicorn bounds neither a new silent connection nor a half-sent
request); requests still running at shutdown get `shutdown_grace` seconds. The app sees its connection as
`scope["extensions"][CONNECTION]` (close it to drop the connection without answering: ASGI has no message for
that).

    with serve(app) as base_url:
        httpx.get(base_url + "/health")

    client = airudder.Client(base_url="http://mock.test", ..., transport=ASGIAppTransport(app))
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from typing import Any
from urllib.parse import unquote

from .extras import require

require("webhooks", "airudder.serving")  # before uvicorn: a core install gets the pip command, not a bare error

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware  # noqa: E402

from ._connection_bounds import CONNECTION, CONNECTION_TIMEOUT, ConnectionBounds  # noqa: E402

__all__ = [
    "CONNECTION",
    "CONNECTION_TIMEOUT",
    "FORWARDED_VARIABLE",
    "SHUTDOWN_GRACE",
    "ASGIAppTransport",
    "EncodedSlashes",
    "bound_socket",
    "serve",
    "server",
    "server_config",
]

SHUTDOWN_GRACE = 5
"""Seconds requests still running at the end of `serve` get to finish (a fault's injected latency, say)."""

START_TIMEOUT = 10

FORWARDED_VARIABLE = "FORWARDED_ALLOW_IPS"
"""The proxies whose X-Forwarded-* headers are trusted, when `forwarded_allow_ips` is not given (uvicorn's name)."""


@contextmanager
def bound_socket(host: str = "127.0.0.1", port: int = 0) -> Iterator[socket.socket]:
    """A TCP socket bound to `host:port` (`port=0`: a free one), not yet listening; closed on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        yield sock
    finally:
        sock.close()


def server_config(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    connection_timeout: float = CONNECTION_TIMEOUT,
    shutdown_grace: int = SHUTDOWN_GRACE,
    log_level: str = "warning",
    **options: Any,
) -> uvicorn.Config:
    """The uvicorn settings of `app` behind the connection bound; `options` are uvicorn.Config's.

    X-Forwarded-For and X-Forwarded-Proto are trusted only from the proxies `forwarded_allow_ips` names
    (addresses or networks, comma-separated; `*` for any), else from those $FORWARDED_ALLOW_IPS names, else from
    none: unlike uvicorn, loopback is not trusted by default, since any local process could then claim any
    source. Untrusted, the app (a source allowlist, a log) sees the socket's peer. Applied inside the
    connection bound, which needs the real peer.
    """
    bounds = ConnectionBounds(connection_timeout)
    trusted = options.pop("forwarded_allow_ips", None) or os.environ.get(FORWARDED_VARIABLE, "")
    served: Any = ProxyHeadersMiddleware(app, trusted_hosts=trusted) if trusted.strip() else app
    return uvicorn.Config(
        bounds.wrap(served),
        host=host,
        port=port,
        http=bounds.protocol(),
        proxy_headers=False,
        lifespan="off",
        log_level=log_level,
        access_log=options.pop("access_log", False),
        timeout_graceful_shutdown=shutdown_grace,
        **options,
    )


def server(app: Any, **settings: Any) -> uvicorn.Server:
    """A uvicorn server of `app` (for a caller that runs it in the foreground: a CLI); `settings` are
    `server_config`'s."""
    return uvicorn.Server(server_config(app, **settings))


@contextmanager
def serve(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    sock: socket.socket | None = None,
    **settings: Any,
) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread while the block runs; yields its base URL.

    `port=0` takes a free port; `sock`, a socket the caller bound already (`host` and `port` are then unused).
    `settings` are `server_config`'s (`connection_timeout`, `shutdown_grace`, uvicorn's options). The block's exit
    stops the server and waits for its thread.
    """
    with bound_socket(host, port) if sock is None else nullcontext(sock) as sock:
        host, port = sock.getsockname()[:2]
        config = server_config(app, **settings)
        running = uvicorn.Server(config)
        thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not running.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"the server for {app!r} did not start")
                time.sleep(0.01)
            yield f"http://{host}:{port}"
        finally:
            running.should_exit = True
            thread.join((config.timeout_graceful_shutdown or 0) + START_TIMEOUT)


ENCODED_SLASH = re.compile(rb"%2f", re.IGNORECASE)


class EncodedSlashes:
    """ASGI middleware: the app routes on the path as sent, an encoded slash (`%2F`) kept as one.

    Servers decode `scope["path"]` in full, so `/_mock%2Fstate` would be routed as `/_mock/state`, and
    `/<secret>%2F<kind>` as `/<secret>/<kind>`, sidestepping a proxy's prefix rules. Here the path is decoded from
    `raw_path` except for `%2F`, which then matches no route (a 404) or becomes part of one segment.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        raw = scope.get("raw_path") if scope["type"] in ("http", "websocket") else None
        if raw and ENCODED_SLASH.search(raw):
            parts = ENCODED_SLASH.split(raw.partition(b"?")[0])
            scope = {**scope, "path": "%2F".join(unquote(part.decode("latin-1")) for part in parts)}
        await self.app(scope, receive, send)


class ASGIAppTransport(httpx.BaseTransport):
    """A sync httpx transport that hands each request to an ASGI app in this process: no socket, no server.

    The app runs on one event loop in a thread of its own (started on first use, stopped by `close()`), as under
    a server; each request's body is read before it is sent and the answer's body is read in full.
    """

    def __init__(self, app: Any) -> None:
        # an exception in the app is a 500, as under a server, not an exception in the caller
        self.inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=loop.run_forever, name="asgi-app-transport", daemon=True)
                self._thread.start()
                self._loop = loop
            return self._loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        answer: Future[tuple[int, httpx.Headers, bytes]] = asyncio.run_coroutine_threadsafe(
            self._send(forwarded), self._running_loop()
        )
        status, headers, content = answer.result()
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _send(self, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
        response = await self.inner.handle_async_request(request)
        try:
            return response.status_code, response.headers, b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()

    def close(self) -> None:
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()
