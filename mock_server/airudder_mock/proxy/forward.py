"""The validating proxy's ASGI app: each request forwarded to the upstream as it came, each answer returned as it
came, both streamed; a copy of each (up to `observe_limit` bytes a body) goes to the observer afterwards.

The proxy changes nothing but what HTTP itself says a hop changes: the `Host` (the upstream's) and the
connection headers (`Connection`, `Transfer-Encoding`, ...). An upstream that cannot be reached, is too slow
(`timeout`) or breaks HTTP gets the app a 502 or 504 in AIRudder's error envelope, marked with the header
`x-airudder-proxy: upstream-failure` so that it is never taken for AIRudder's own; the failure is logged and
reported. An answer the upstream cuts off midway is cut off for the app too.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import httpx

import airudder_spec

from .cassettes import HOP_BY_HOP, Exchange
from .observer import Observer
from .routes import match
from .upstream import check_upstream

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

TIMEOUT = 30.0
KEEP_ALIVE = 2.0
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
STALE = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
"""What a kept-alive connection the upstream had just closed fails with, before any answer."""
OBSERVE_LIMIT = 16 * 1024 * 1024
MARK = "x-airudder-proxy"
log = logging.getLogger("airudder_mock.proxy")


class ClientGone(Exception):
    """The app went away before its request was sent whole."""


class ValidatingProxy:
    """ASGI app: forward to `upstream`, answer what it answers, hand each exchange to `observer`."""

    def __init__(
        self,
        upstream: str,
        observer: Observer,
        *,
        timeout: float = TIMEOUT,
        observe_limit: int = OBSERVE_LIMIT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`transport`: httpx's test seam (the upstream as an app in this process, say); a real socket without."""
        self.upstream = check_upstream(upstream)
        self.observer = observer
        self.timeout = timeout
        self.observe_limit = observe_limit
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._base_path = self.upstream.raw_path.split(b"?")[0].rstrip(b"/")

    def _upstream_client(self) -> httpx.AsyncClient:
        if self._client is None:
            client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                # idle connections are let go before a server's own keep-alive (uvicorn's is 5 s) closes them
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=KEEP_ALIVE),
                transport=self._transport,
                trust_env=False,
            )
            for name in list(client.headers):  # httpx's defaults (User-Agent, Accept...): the app's own go through
                del client.headers[name]
            self._client = client
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started, clock = time.time(), time.perf_counter()
        incoming = _Incoming(scope, receive, self.observe_limit)
        client = self._upstream_client()
        query = incoming.query_string
        raw_path = self._base_path + incoming.raw_path + (b"?" + query if query else b"")
        try:
            content = await incoming.content()
            request = client.build_request(
                incoming.method, self.upstream.copy_with(raw_path=raw_path), headers=incoming.forwarded, content=content
            )
            response = await _sent(client, request, retry=content is None and incoming.method in IDEMPOTENT)
        except ClientGone:
            log.info("%s: the app went away before its request was sent whole", incoming.label)
            return
        except httpx.TimeoutException as exc:
            why = f"the upstream did not answer in time ({type(exc).__name__})"
            await self._failed(send, incoming, 504, why)
            return
        except httpx.HTTPError as exc:
            await self._failed(send, incoming, 502, f"the upstream failed: {type(exc).__name__}")
            return
        received = _Capture(self.observe_limit)
        try:
            await _relay(response, send, received)
        except httpx.HTTPError as exc:
            log.warning(
                "%s: the upstream cut its answer off (%s); cut off for the app too", incoming.label, type(exc).__name__
            )
            self.observer.failure(incoming.operation_id, f"answer cut off midway: {type(exc).__name__}")
            return
        finally:
            await response.aclose()
        elapsed = (time.perf_counter() - clock) * 1000
        log.info("%s -> %d in %.0f ms", incoming.label, response.status_code, elapsed)
        if incoming.sent.over or received.over:
            self.observer.failure(
                incoming.operation_id, f"a body over {self.observe_limit} bytes: forwarded, not validated"
            )
            return
        self.observer.submit(
            Exchange(
                incoming.operation_id,
                incoming.method,
                scope["path"],
                incoming.path_params,
                _query(query),
                incoming.forwarded,
                bytes(incoming.sent.data),
                response.status_code,
                list(response.headers.multi_items()),
                bytes(received.data),
                started,
                elapsed,
            )
        )

    async def _failed(self, send: Send, incoming: _Incoming, status: int, why: str) -> None:
        log.warning("%s: %s; answered %d", incoming.label, why, status)
        self.observer.failure(incoming.operation_id, why)
        body = json.dumps(airudder_spec.error(status, [{"field": "upstream", "message": why}])).encode()
        headers = [(b"content-type", b"application/json"), (MARK.encode(), b"upstream-failure")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _Capture:
    """A copy of a body as it streams by, up to `limit` bytes (`over` once it is larger: it is then not observed)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.data, self.over = limit, bytearray(), False

    def add(self, chunk: bytes) -> None:
        if not self.over and len(self.data) + len(chunk) <= self.limit:
            self.data.extend(chunk)
        else:
            self.over = True


class _Incoming:
    """The app's request as the proxy forwards it: its operation, the headers that go on, its body as a stream."""

    def __init__(self, scope: Scope, receive: Receive, limit: int) -> None:
        self.method: str = scope["method"]
        matched = match(self.method, scope["path"])
        self.operation_id = matched.operation.operation_id if matched is not None else None
        self.path_params = matched.path_params if matched is not None else {}
        self.label = f"{self.method} {matched.operation.path if matched else '(no operation of the spec)'}"
        self.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        self.forwarded = [(k, v) for k, v in self.headers if k.lower() not in HOP_BY_HOP]
        self.query_string: bytes = scope.get("query_string", b"")
        self.raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        self.sent = _Capture(limit)
        self._receive = receive

    async def body(self) -> AsyncIterator[bytes]:
        more = True
        while more:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk: bytes = message.get("body", b"")
            more = message.get("more_body", False)
            self.sent.add(chunk)
            if chunk:
                yield chunk

    async def content(self) -> AsyncIterator[bytes] | None:
        """The body to forward: streamed when the app sent one; None (and read off) when it sent none."""
        if any(k.lower() in ("content-length", "transfer-encoding") for k, _ in self.headers):
            return self.body()
        async for _ in self.body():  # an empty body still arrives, as one message
            pass
        return None


async def _sent(client: httpx.AsyncClient, request: httpx.Request, retry: bool) -> httpx.Response:
    """The upstream's answer; a bodiless idempotent request that met a kept-alive connection the upstream had just
    closed is sent once more, on a new connection, as HTTP allows (RFC 9110, 9.2.2) and browsers do."""
    try:
        return await client.send(request, stream=True)
    except STALE:
        if not retry:
            raise
        log.info("%s %s: the upstream closed a kept-alive connection; sent again", request.method, request.url.path)
        return await client.send(request, stream=True)


async def _relay(response: httpx.Response, send: Send, received: _Capture) -> None:
    """The upstream's answer to the app as it came (connection headers aside), chunk by chunk."""
    headers = [(k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in HOP_BY_HOP]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    async for chunk in response.aiter_raw():
        received.add(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _query(query_string: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
