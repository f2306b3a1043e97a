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
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=64),
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
        method: str = scope["method"]
        matched = match(method, scope["path"])
        operation_id = matched.operation.operation_id if matched is not None else None
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        forwarded = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        query_string: bytes = scope.get("query_string", b"")
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        url = self.upstream.copy_with(
            raw_path=self._base_path + raw_path + (b"?" + query_string if query_string else b"")
        )
        sent = bytearray()
        over = [False]

        async def request_body() -> AsyncIterator[bytes]:
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone
                chunk: bytes = message.get("body", b"")
                more = message.get("more_body", False)
                if not over[0] and len(sent) + len(chunk) <= self.observe_limit:
                    sent.extend(chunk)
                else:
                    over[0] = True
                if chunk:
                    yield chunk

        has_body = any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers)
        content: Any = request_body() if has_body else None
        if not has_body:
            async for _ in request_body():  # an empty body still arrives as a message
                pass
        client = self._upstream_client()
        label = f"{method} {matched.operation.path if matched else '(no operation of the spec)'}"
        try:
            request = client.build_request(method, url, headers=forwarded, content=content)
            response = await client.send(request, stream=True)
        except ClientGone:
            log.info("%s: the app went away before its request was sent whole", label)
            return
        except httpx.TimeoutException as exc:
            await self._failed(
                send, operation_id, label, 504, f"the upstream did not answer in time ({type(exc).__name__})"
            )
            return
        except httpx.HTTPError as exc:
            await self._failed(send, operation_id, label, 502, f"the upstream failed: {type(exc).__name__}")
            return
        received = bytearray()
        answered_over = False
        try:
            answer_headers = [(k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in HOP_BY_HOP]
            await send({"type": "http.response.start", "status": response.status_code, "headers": answer_headers})
            async for chunk in response.aiter_raw():
                if not answered_over and len(received) + len(chunk) <= self.observe_limit:
                    received.extend(chunk)
                else:
                    answered_over = True
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except httpx.HTTPError as exc:
            log.warning("%s: the upstream cut its answer off (%s); cut off for the app too", label, type(exc).__name__)
            self.observer.failure(operation_id, f"answer cut off midway: {type(exc).__name__}")
            return
        finally:
            await response.aclose()
        elapsed = (time.perf_counter() - clock) * 1000
        log.info("%s -> %d in %.0f ms", label, response.status_code, elapsed)
        if over[0] or answered_over:
            self.observer.failure(operation_id, f"a body over {self.observe_limit} bytes: forwarded, not validated")
            return
        self.observer.submit(
            Exchange(
                operation_id,
                method,
                scope["path"],
                matched.path_params if matched is not None else {},
                _query(query_string),
                forwarded,
                bytes(sent),
                response.status_code,
                [(k, v) for k, v in response.headers.multi_items()],
                bytes(received),
                started,
                elapsed,
            )
        )

    async def _failed(self, send: Send, operation_id: str | None, label: str, status: int, why: str) -> None:
        log.warning("%s: %s; answered %d", label, why, status)
        self.observer.failure(operation_id, why)
        body = json.dumps(airudder_spec.error(status, [{"field": "upstream", "message": why}])).encode()
        headers = [(b"content-type", b"application/json"), (MARK.encode(), b"upstream-failure")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _query(query_string: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
