"""What the client tests talk to: the mock's ASGI app and small scripted apps, in-process through transports.

The client takes `transport=`, so its tests need no socket: `airudder.serving.ASGIAppTransport` hands each
request to the app in this process (httpx.ASGITransport for the async client). A real loopback server is used
only where the test is about the network itself: a dropped connection, a read timeout (`on_loopback`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from airudder.serving import ASGIAppTransport, serve
from airudder_mock import MockConfig, MockServer

TOKEN_BODY = {"data": {"token": "t0k3n-abc"}, "status": "OK", "code": 200}
IN_PROCESS = "http://airudder.test"
"""The base URL of an in-process app: never resolved, the transport takes every request."""


@dataclass(frozen=True)
class Site:
    """Where a test's client goes: a base URL, and the transport that reaches it (None: the network)."""

    base_url: str
    transport: httpx.BaseTransport | None = None

    def client_options(self) -> dict[str, Any]:
        """`base_url` and `transport`, for `airudder.Client` and `httpx.Client`."""
        return {"base_url": self.base_url, "transport": self.transport}


@contextmanager
def in_process(app: Any) -> Iterator[Site]:
    transport = ASGIAppTransport(app)
    try:
        yield Site(IN_PROCESS, transport)
    finally:
        transport.close()


@contextmanager
def serve_routes(routes: list[Route]) -> Iterator[Site]:
    """A Starlette app of `routes`, in-process."""
    with in_process(Starlette(routes=routes)) as site:
        yield site


@contextmanager
def on_loopback(routes: list[Route]) -> Iterator[Site]:
    """A Starlette app of `routes` on a real 127.0.0.1 port: for tests about the network (timeouts)."""
    with serve(Starlette(routes=routes)) as url:
        yield Site(url)


@dataclass(frozen=True)
class InProcessMock:
    """A fresh mock AIRudder (time stopped) reached in-process: `site` for clients, `admin` on its admin API."""

    server: MockServer
    site: Site
    admin: httpx.Client

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def app_key(self) -> str:
        return next(iter(self.server.config.credentials))

    @property
    def app_secret(self) -> str:
        return self.server.config.credentials[self.app_key]

    def credentials(self) -> dict[str, Any]:
        """`app_key`, `app_secret`, `base_url` and `transport`: what `airudder.Client` needs to reach the mock."""
        return {"app_key": self.app_key, "app_secret": self.app_secret, **self.site.client_options()}

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """For `airudder.AsyncClient` and `httpx.AsyncClient`: the same app, on the caller's event loop."""
        return httpx.ASGITransport(app=self.server.app)

    def advance(self, seconds: float) -> None:
        """Move the mock clock forward; everything due happens before this returns."""
        self.admin.post("/clock", json={"advance": seconds}).raise_for_status()


@pytest.fixture
def mock() -> Iterator[InProcessMock]:
    server = MockServer(MockConfig(speed=0))
    try:
        with (
            in_process(server.app) as site,
            httpx.Client(base_url=f"{site.base_url}/_mock", transport=site.transport) as admin,
        ):
            yield InProcessMock(server, site, admin)
    finally:
        server.close()


def at_once(threads: int, call: Callable[[], Any]) -> list[BaseException]:
    """Run `call` in `threads` threads released together; the exceptions they raised."""
    barrier = threading.Barrier(threads)
    failures: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            call()
        except BaseException as exc:  # collected for the caller to assert on
            failures.append(exc)

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(60)
    return failures
