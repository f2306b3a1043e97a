"""Close connections that sit idle or send a request too slowly (slowloris): uvicorn bounds neither.

uvicorn closes a kept-alive connection that idles after an answer, but not a new connection that sends nothing,
nor one that trickles its headers or its body a byte at a time: each holds a socket (and, mid-body, a request)
for as long as the sender likes. Here a connection gets `timeout` seconds to deliver each whole request, counted
from when it opens or its previous answer ends, until the app has read the whole body or starts answering. The
time the app then spends working does not count, so a slow handler or store is never cut off.

Two halves share one table of open connections, keyed by the peer address (unique per server): a protocol that
wraps uvicorn's own HTTP protocol arms a timer when a connection opens, and an ASGI wrapper, which sees when the
body has been read and when the answer starts and ends, stops and re-arms it. TCP only: a connection without a
peer address (a Unix socket) is not bounded.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.auto import AutoHTTPProtocol

CONNECTION_TIMEOUT = 30.0
"""Seconds a connection may stay idle, or take to send one whole request, before it is closed."""

CONNECTION = "airudder.connection"
"""The scope extension under which the app finds its `Connection` (to drop it without an answer)."""

logger = logging.getLogger(__name__)

Peer = tuple[str, int]


class Connection:
    """One open connection: its timer (running while the server waits on the sender, stopped while the app
    works), and `drop()`, which closes it with no answer, as a network failure or a dying server would."""

    def __init__(self, transport: asyncio.BaseTransport, peer: Peer, timeout: float) -> None:
        self._transport, self._peer, self._timeout = transport, peer, timeout
        self._timer: asyncio.TimerHandle | None = None
        self.closed = asyncio.Event()
        """Set once the server has seen the connection close."""

    async def drop(self) -> None:
        """Close the connection mid-request and wait until the server has seen it (so it does not try to answer)."""
        self.waiting_on_app()
        self._transport.close()
        await self.closed.wait()

    def waiting_on_client(self) -> None:
        self.waiting_on_app()
        self._timer = asyncio.get_running_loop().call_later(self._timeout, self._expire)

    def waiting_on_app(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        logger.info("closed the connection from %s:%d: no whole request within %gs", *self._peer, self._timeout)
        self._transport.close()


class ConnectionBounds:
    """One server's bound: give `protocol()` to uvicorn as its `http` and serve the app through `wrap(app)`."""

    def __init__(self, timeout: float = CONNECTION_TIMEOUT) -> None:
        if not timeout > 0:
            raise ValueError(f"the connection timeout must be a positive number of seconds, not {timeout}")
        self.timeout = timeout
        self._open: dict[Peer, Connection] = {}

    def protocol(self) -> type[asyncio.Protocol]:
        """uvicorn's HTTP protocol (httptools or h11, as it picks), with each connection's timer."""
        bounds = self

        class BoundedHTTP(asyncio.Protocol):
            def __init__(self, **uvicorn_state: Any) -> None:
                self._inner = AutoHTTPProtocol(**uvicorn_state)
                self._peer: Peer | None = None

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self._inner.connection_made(transport)
                self._peer = _peer(transport.get_extra_info("peername"))
                if self._peer is not None:
                    watch = bounds._open[self._peer] = Connection(transport, self._peer, bounds.timeout)
                    watch.waiting_on_client()

            def data_received(self, data: bytes) -> None:
                self._inner.data_received(data)

            def eof_received(self) -> bool | None:
                return self._inner.eof_received()

            def connection_lost(self, exc: Exception | None) -> None:
                watch = bounds._open.pop(self._peer, None) if self._peer is not None else None
                if watch is not None:
                    watch.waiting_on_app()
                self._inner.connection_lost(exc)
                if watch is not None:
                    watch.closed.set()

            def pause_writing(self) -> None:
                self._inner.pause_writing()

            def resume_writing(self) -> None:
                self._inner.resume_writing()

        return BoundedHTTP

    def wrap(self, app: ASGIApp) -> ASGIApp:
        """`app`, telling each connection's timer when its request has arrived and when its answer has ended.

        Serve it with uvicorn's `proxy_headers=False` (apply uvicorn's ProxyHeadersMiddleware inside instead):
        the peer address in the scope is how a request finds its connection.
        """

        async def bounded(scope: Scope, receive: Receive, send: Send) -> None:
            peer = _peer(scope.get("client")) if scope["type"] == "http" else None
            watch = self._open.get(peer) if peer is not None else None
            if watch is None:
                await app(scope, receive, send)
                return
            scope = {**scope, "extensions": {**(scope.get("extensions") or {}), CONNECTION: watch}}
            if not _has_body(scope):
                watch.waiting_on_app()

            async def receiving() -> Message:
                message = await receive()
                if message["type"] != "http.request" or not message.get("more_body", False):
                    watch.waiting_on_app()
                return message

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    watch.waiting_on_app()
                await send(message)
                if message["type"] == "http.response.body" and not message.get("more_body", False):
                    watch.waiting_on_client()  # the next request on this kept-alive connection

            await app(scope, receiving, sending)

        return bounded


def _peer(address: Any) -> Peer | None:
    """(host, port) of a socket's peer, as uvicorn puts it in the scope's `client`; None without one."""
    if isinstance(address, list | tuple) and len(address) >= 2:
        return str(address[0]), int(address[1])
    return None


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"", b"0")):
            return True
    return False
