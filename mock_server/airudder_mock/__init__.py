"""airudder_mock: a stateful local AIRudder Workflow API for development and tests, driven by the spec.

Needs `airudder-workflow[mock]`. Importing this package is light (its pytest plugin loads into every pytest run
of a project that installs airudder-workflow): `MockServer`, `running_mock`, `async_running_mock`, `MockHandle`,
`AsyncMockHandle`, `WebhookSink` (a receiver that keeps what it gets), `admin_spec_path` (the admin API's
OpenAPI document), `Cassette` and `read_cassettes` (the proxy's recordings) import the server stack on first
use and say which extra to install when it is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import MockConfig
from .version import __version__

if TYPE_CHECKING:
    from .handle import AsyncMockHandle, MockHandle, async_running_mock, running_mock
    from .proxy import Cassette, read_cassettes
    from .router import admin_spec_path
    from .server import MockServer
    from .sink import WebhookSink

__all__ = [
    "AsyncMockHandle",
    "Cassette",
    "MockConfig",
    "MockHandle",
    "MockServer",
    "WebhookSink",
    "__version__",
    "admin_spec_path",
    "async_running_mock",
    "read_cassettes",
    "running_mock",
]
LAZY = {
    "MockServer": "server",
    "running_mock": "handle",
    "async_running_mock": "handle",
    "MockHandle": "handle",
    "AsyncMockHandle": "handle",
    "WebhookSink": "sink",
    "admin_spec_path": "router",
    "Cassette": "proxy",
    "read_cassettes": "proxy",
}


def __getattr__(name: str) -> Any:
    """The server stack's names, imported when first used."""
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from airudder.extras import require

    require("mock", f"airudder_mock.{name}")
    import importlib

    return getattr(importlib.import_module(f".{LAZY[name]}", __name__), name)
