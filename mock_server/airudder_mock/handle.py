"""The test handle: a mock served on loopback with a webhook receiver of its own, and the steps a test takes.

`running_mock()` (sync) and `async_running_mock()` (async) give the same thing the `airudder_mock` fixture does,
with the same defaults: time stopped (it moves only through `advance()`), a workflow finishes once every contact
is done (`auto_finish` 1 unless the create request says otherwise), and every webhook goes to the handle's
receiver (`webhooks`), through one `*` target `{webhooks_url}/{kind}`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from airudder.serving import serve

from .config import MockConfig
from .delivery import ANY_KIND, KIND_PLACEHOLDER
from .server import MockServer, pumping

Predicate = Callable[[Any], bool]
WAIT_TIMEOUT = 5.0


@dataclass
class WebhookSink:
    """The webhooks received, in arrival order: (kind, payload). Serve `app()`; POST `/{kind}` lands here."""

    received: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def of(self, kind: str) -> list[Any]:
        with self.lock:
            return [payload for k, payload in self.received if k == kind]

    def first(self, kind: str, predicate: Predicate | None) -> tuple[bool, Any]:
        """(found, payload): the first `kind` webhook that `predicate` accepts."""
        for payload in self.of(kind):
            if predicate is None or predicate(payload):
                return True, payload
        return False, None

    async def receive(self, request: Request) -> JSONResponse:
        received = (request.path_params["kind"], json.loads(await request.body()))  # never await holding the lock
        with self.lock:
            self.received.append(received)
            self.lock.notify_all()
        return JSONResponse({})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{kind}", self.receive, methods=["POST"])])


@dataclass(kw_only=True)
class BaseHandle:
    """What the sync and async handles share: where the mock is, its receiver, and the apps served for it."""

    base_url: str
    app_key: str
    app_secret: str
    webhooks: WebhookSink
    webhooks_url: str
    """Base URL of the handle's receiver: webhooks POSTed to `{webhooks_url}/{kind}` land in `webhooks`."""
    server: MockServer
    apps: ExitStack = field(default_factory=ExitStack, repr=False)

    def serve_app(self, app: Any) -> str:
        """Serve your ASGI app on a free 127.0.0.1 port until the mock stops; returns its base URL (give it to
        `route_webhooks`, or to your client)."""
        url: str = self.apps.enter_context(serve(app))
        return url

    def missing(self, kind: str, timeout: float) -> AssertionError:
        """The failure of a wait: what arrived, and what the mock tried to deliver and where."""
        with self.webhooks.lock:
            arrived = Counter(k for k, _ in self.webhooks.received)
        tried = Counter((d.kind, d.url, d.status) for d in self.server.deliveries.log())
        lines = [f"no {kind} webhook that matches arrived at {self.webhooks_url} within {timeout:g} s."]
        lines.append("Arrived: " + (", ".join(f"{k} x{n}" for k, n in sorted(arrived.items())) or "nothing"))
        lines.append("The mock's deliveries (kind, target, status):")
        lines += [f"  {k} -> {url}: {status} x{n}" for (k, url, status), n in sorted(tried.items(), key=str)]
        if not tried:
            lines.append("  none (with time stopped, webhooks go out during advance() and workflow calls)")
        return AssertionError("\n".join(lines))


@dataclass(kw_only=True)
class MockHandle(BaseHandle):
    """A running mock for a sync test. `admin` is an httpx client on the admin API (`/_mock`)."""

    admin: httpx.Client

    def advance(self, seconds: float) -> None:
        """Move the mock clock forward; everything due happens, and its webhooks are sent, before this returns."""
        self.admin.post("/clock", json={"advance": seconds}).raise_for_status()

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """The mock's delivery log (every attempt), filtered by kind, workflow_id or status."""
        answer = self.admin.get("/webhooks/deliveries", params=filters)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["data"]
        return result

    def route_webhooks(self, url: str) -> None:
        """Send every webhook to `url` (`{kind}` in it is filled): every other target, per-kind ones included,
        is replaced. `route_webhooks(handle.webhooks_url + "/{kind}")` points them back at `webhooks`."""
        body = {"kind": ANY_KIND, "url": url, "replace": True}
        self.admin.put("/webhooks/targets", json=body).raise_for_status()

    def wait_for(self, kind: str, predicate: Predicate | None = None, timeout: float = WAIT_TIMEOUT) -> Any:
        """The first `kind` webhook in `webhooks` that `predicate` accepts, waiting up to `timeout` seconds for it;
        an AssertionError listing what did arrive (and what the mock tried to deliver) if none comes."""
        deadline = time.monotonic() + timeout
        with self.webhooks.lock:
            while True:
                found, payload = self.webhooks.first(kind, predicate)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    break
                self.webhooks.lock.wait(left)
        if not found:
            raise self.missing(kind, timeout)
        return payload

    @asynccontextmanager
    async def asynchronous(self) -> AsyncIterator[AsyncMockHandle]:
        """The same mock as an `AsyncMockHandle`, for async code inside a sync fixture's test."""
        async with httpx.AsyncClient(base_url=str(self.admin.base_url), timeout=self.admin.timeout) as admin:
            yield AsyncMockHandle(**{**self.__dict__, "admin": admin})


@dataclass(kw_only=True)
class AsyncMockHandle(BaseHandle):
    """A running mock for an async test: the same as `MockHandle`, its admin steps awaited."""

    admin: httpx.AsyncClient

    async def advance(self, seconds: float) -> None:
        """Move the mock clock forward; everything due happens, and its webhooks are sent, before this returns."""
        (await self.admin.post("/clock", json={"advance": seconds})).raise_for_status()

    async def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """The mock's delivery log (every attempt), filtered by kind, workflow_id or status."""
        answer = await self.admin.get("/webhooks/deliveries", params=filters)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["data"]
        return result

    async def route_webhooks(self, url: str) -> None:
        """Send every webhook to `url`, replacing every other target (see `MockHandle.route_webhooks`)."""
        body = {"kind": ANY_KIND, "url": url, "replace": True}
        (await self.admin.put("/webhooks/targets", json=body)).raise_for_status()

    async def wait_for(self, kind: str, predicate: Predicate | None = None, timeout: float = WAIT_TIMEOUT) -> Any:
        """The first `kind` webhook that `predicate` accepts (see `MockHandle.wait_for`), without blocking the loop."""
        deadline = time.monotonic() + timeout
        while True:
            found, payload = self.webhooks.first(kind, predicate)
            if found:
                return payload
            if time.monotonic() >= deadline:
                raise self.missing(kind, timeout)
            await asyncio.sleep(0.02)


@contextmanager
def _served(config: MockConfig | None, host: str) -> Iterator[dict[str, Any]]:
    """A mock and the handle's receiver, both served; every webhook routed to the receiver. Yields the fields
    the handles share."""
    config = config or MockConfig()
    sink = WebhookSink()
    with ExitStack() as stack:
        sink_url = stack.enter_context(serve(sink.app()))
        if not config.webhook_urls:  # a config (not a target set later) survives POST /_mock/reset
            config = replace(config, webhook_urls={ANY_KIND: f"{sink_url}/{KIND_PLACEHOLDER}"})
        mock = MockServer(config)
        stack.callback(mock.close)
        mock.public_url = stack.enter_context(serve(mock.app, host, connection_timeout=config.connection_timeout))
        stack.enter_context(pumping(mock))
        apps = stack.enter_context(ExitStack())  # the user's apps stop first
        key, secret = next(iter(mock.config.credentials.items()))
        yield dict(
            base_url=mock.public_url, app_key=key, app_secret=secret, webhooks=sink, webhooks_url=sink_url,
            server=mock, apps=apps,
        )  # fmt: skip


@contextmanager
def running_mock(config: MockConfig | None = None, host: str = "127.0.0.1") -> Iterator[MockHandle]:
    """Serve a mock on a free port of `host` for the duration of the block; yields a `MockHandle`.

    Without `config`: `MockConfig()`, the fixture's defaults (time stopped, workflows finish when done). With
    `config.webhook_urls` set, webhooks go there instead of the handle's receiver.
    """
    with _served(config, host) as fields, httpx.Client(base_url=f"{fields['base_url']}/_mock", timeout=30) as admin:
        yield MockHandle(**fields, admin=admin)


@asynccontextmanager
async def async_running_mock(
    config: MockConfig | None = None, host: str = "127.0.0.1"
) -> AsyncIterator[AsyncMockHandle]:
    """`running_mock` for async tests: `async with async_running_mock() as mock: await mock.advance(60)`."""
    with _served(config, host) as fields:
        async with httpx.AsyncClient(base_url=f"{fields['base_url']}/_mock", timeout=30) as admin:
            yield AsyncMockHandle(**fields, admin=admin)
