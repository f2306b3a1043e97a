"""pytest plugin: the `airudder_mock` fixture, a fresh mock server on a free loopback port for each test.

pytest loads this plugin in every project that installs airudder-workflow, so it imports nothing heavy: the
server stack (starlette, uvicorn) is imported when a test uses the fixture, which then needs
`airudder-workflow[mock]`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .config import MockConfig

if TYPE_CHECKING:
    from .handle import MockHandle

MARKER = "airudder_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): MockConfig fields (contacts_per_workflow=1, seed=7, scenario=..., ...) for the "
        "airudder_mock fixture of the marked test, class or module (pytestmark); the closest marker wins per field.",
    )


@pytest.fixture
def airudder_mock_config(request: pytest.FixtureRequest) -> MockConfig:
    """The `MockConfig` the `airudder_mock` fixture starts its mock with: the defaults, with the fields of every
    `@pytest.mark.airudder_mock(...)` on the test, its class and its module (`pytestmark`), the closest winning.
    A `scenario` path is read relative to the test's file. Override this fixture (in a module or a conftest.py)
    to build the config yourself."""
    settings: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # the module's first, the test's last
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes MockConfig fields by name, not {marker.args!r}")
        settings.update(marker.kwargs)
    known = {f.name for f in dataclasses.fields(MockConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {', '.join(unknown)} not MockConfig fields ({sorted(known)})")
    scenario = settings.get("scenario")
    if isinstance(scenario, (str, Path)) and not Path(scenario).is_absolute():
        settings["scenario"] = str(request.path.parent / scenario)
    return MockConfig(**settings)


@pytest.fixture
def airudder_mock(airudder_mock_config: MockConfig) -> Iterator[MockHandle]:
    """A fresh mock AIRudder on a free 127.0.0.1 port: what `airudder_mock.running_mock()` yields, per test.

    Time is stopped (nothing happens between your calls; `advance(s)` moves the clock and sends what falls due
    before it returns), a workflow finishes once every contact is done unless its create request says otherwise,
    and every webhook goes to the handle's receiver (`webhooks`, `wait_for(kind, predicate, timeout)`).
    `serve_app(app)` serves your ASGI app for the mock to call, `route_webhooks(url)` sends every webhook there,
    `admin` is an httpx client on `/_mock`, `asynchronous()` gives an `AsyncMockHandle` of the same mock.
    Servers, threads and the in-memory SQLite are closed after the test, failed or not.

    Configure it with `@pytest.mark.airudder_mock(contacts_per_workflow=1, scenario="scenario.yaml")` on a test,
    a class or a module (`pytestmark = pytest.mark.airudder_mock(...)`), any `MockConfig` field; or override the
    `airudder_mock_config` fixture. `advance()` settles: see `MockHandle.advance`.
    """
    from airudder.extras import require

    require("mock", "the airudder_mock fixture")
    from .handle import running_mock

    with running_mock(airudder_mock_config) as handle:
        yield handle


def __getattr__(name: str) -> object:
    """`MockHandle` and `WebhookSink`, where earlier versions defined them (imported on first use)."""
    if name not in ("MockHandle", "WebhookSink"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import handle

    return getattr(handle, name)
