"""pytest plugin: the `airudder_mock` fixture, a fresh mock server on a free loopback port for each test.

pytest loads this plugin in every project that installs airudder-workflow, so it imports nothing heavy: the
server stack (starlette, uvicorn) is imported when a test uses the fixture, which then needs
`airudder-workflow[mock]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .handle import MockHandle


@pytest.fixture
def airudder_mock() -> Iterator[MockHandle]:
    """A fresh mock AIRudder on a free 127.0.0.1 port: what `airudder_mock.running_mock()` yields, per test.

    Time is stopped (nothing happens between your calls; `advance(s)` moves the clock and sends what falls due
    before it returns), a workflow finishes once every contact is done unless its create request says otherwise,
    and every webhook goes to the handle's receiver (`webhooks`, `wait_for(kind, predicate, timeout)`).
    `serve_app(app)` serves your ASGI app for the mock to call, `route_webhooks(url)` sends every webhook there,
    `admin` is an httpx client on `/_mock`, `asynchronous()` gives an `AsyncMockHandle` of the same mock.
    Servers, threads and the in-memory SQLite are closed after the test, failed or not.
    """
    from airudder.extras import require

    require("mock", "the airudder_mock fixture")
    from .handle import running_mock

    with running_mock() as handle:
        yield handle


def __getattr__(name: str) -> object:
    """`MockHandle` and `WebhookSink`, where earlier versions defined them (imported on first use)."""
    if name not in ("MockHandle", "WebhookSink"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import handle

    return getattr(handle, name)
