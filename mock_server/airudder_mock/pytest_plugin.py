"""pytest plugin: the `airudder_mock` fixture, a fresh mock server on a free loopback port for each test.

pytest loads this plugin in every project that installs airudder-workflow, so it imports nothing heavy: the
server stack (starlette, uvicorn) is imported when a test uses the fixture, which then needs
`airudder-workflow[mock]`.

It yields a `MockHandle`: `base_url`, `app_key`/`app_secret`, `admin` (an httpx client on the admin API, with
helpers for the common steps) and `webhooks` (every webhook the mock delivered to the local receiver that the
fixture runs at `webhooks_url` and points every webhook kind at).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx
    from starlette.requests import Request
    from starlette.responses import JSONResponse


@dataclass
class WebhookSink:
    """The webhooks received, in arrival order: (kind, payload)."""

    received: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, kind: str) -> list[Any]:
        with self.lock:
            return [payload for k, payload in self.received if k == kind]

    async def receive(self, request: Request) -> JSONResponse:
        from starlette.responses import JSONResponse

        received = (request.path_params["kind"], json.loads(await request.body()))  # never await holding the lock
        with self.lock:
            self.received.append(received)
        return JSONResponse({})


@dataclass
class MockHandle:
    base_url: str
    app_key: str
    app_secret: str
    admin: httpx.Client
    webhooks: WebhookSink
    webhooks_url: str = ""
    """Base URL of the fixture's receiver: webhooks POSTed to `{webhooks_url}/{kind}` land in `webhooks`."""

    def advance(self, seconds: float) -> None:
        """Move the mock clock forward; everything due happens, and its webhooks are sent, before this returns."""
        self.admin.post("/clock", json={"advance": seconds}).raise_for_status()

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        answer = self.admin.get("/webhooks/deliveries", params=filters)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["data"]
        return result


@pytest.fixture
def airudder_mock() -> Iterator[MockHandle]:
    """A fresh mock AIRudder on a free 127.0.0.1 port, time stopped, every webhook kind sent to a local receiver.

    Yields a `MockHandle`: `base_url`, `app_key`/`app_secret`, `admin` (httpx client on /_mock), `advance(s)`
    (moves the clock; everything due happens and its webhooks are sent before it returns), `deliveries()` and
    `webhooks` (what the receiver got). Nothing happens between your calls. Servers, threads and the in-memory
    SQLite are closed after the test, failed or not.
    """
    from airudder.extras import require

    require("mock", "the airudder_mock fixture")
    import httpx
    from starlette.applications import Starlette
    from starlette.routing import Route

    import airudder_spec
    from airudder.serving import serve

    from .config import MockConfig
    from .server import running_mock

    sink = WebhookSink()
    app = Starlette(routes=[Route("/{kind}", sink.receive, methods=["POST"])])
    with serve(app) as sink_url, running_mock(MockConfig(speed=0)) as mock:
        with httpx.Client(base_url=f"{mock.base_url}/_mock", timeout=30) as admin:
            for kind in airudder_spec.webhook_schemas():
                admin.put("/webhooks/targets", json={"kind": kind, "url": f"{sink_url}/{kind}"}).raise_for_status()
            yield MockHandle(mock.base_url, mock.app_key, mock.app_secret, admin, sink, sink_url)
