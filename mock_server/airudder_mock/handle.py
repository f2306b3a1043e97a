"""The test handle: a mock served on loopback with a webhook receiver of its own, and the steps a test takes.

`running_mock()` (sync) and `async_running_mock()` (async) give the same thing the `airudder_mock` fixture does,
with the same defaults: time stopped (it moves only through `advance()`), a workflow finishes once every contact
is done (`auto_finish` 1 unless the create request says otherwise), and every webhook goes to the handle's
receiver (`webhooks`), through one `*` target `{webhooks_url}/{kind}`. The admin API requires a token the handle
makes up (unless the config gives one): `admin` sends it, and `admin_headers` holds it for a client of your own.

`advance()` settles: when it returns, every webhook it caused has been sent, and every one that a package
`WebhookReceiver` in this process acknowledged has been handled (`airudder.settling`), whatever ASGI app mounts
it. A test asserts on its app's state right after it. For a receiver in another process, or not the package's,
`wait_until(outstanding)` waits for what the test names, and says what is still outstanding when it times out.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import yaml

from airudder.serving import serve
from airudder.settling import in_flight, wait_settled

from .config import MockConfig
from .delivery import ANY_KIND, KIND_PLACEHOLDER
from .server import MockServer, pumping
from .sink import Predicate, WebhookSink

Outstanding = Callable[[], Collection[str]]
"""What is still to happen, each described (for the failure message): empty once it has all happened."""
WAIT_TIMEOUT = 5.0
SETTLE_TIMEOUT = 30.0
"""Seconds `advance()` waits, by default, for the handlers of the webhooks it sent (a stuck one fails the test)."""
POLL = 0.01


@dataclass(kw_only=True)
class BaseHandle:
    """What the sync and async handles share: where the mock is, its receiver, and the apps served for it."""

    base_url: str
    app_key: str
    app_secret: str
    admin_token: str
    """The token the mock's admin API requires (`Authorization: Bearer <token>`); `admin` sends it."""
    webhooks: WebhookSink
    webhooks_url: str
    """Base URL of the handle's receiver: webhooks POSTed to `{webhooks_url}/{kind}` land in `webhooks`."""
    server: MockServer
    apps: ExitStack = field(default_factory=ExitStack, repr=False)

    @property
    def admin_headers(self) -> dict[str, str]:
        """The header the admin API requires, for an httpx client of your own: `headers=handle.admin_headers`."""
        return {"Authorization": f"Bearer {self.admin_token}"}

    def serve_app(self, app: Any) -> str:
        """Serve your ASGI app on a free 127.0.0.1 port until the mock stops; returns its base URL (give it to
        `route_webhooks`, or to your client)."""
        url: str = self.apps.enter_context(serve(app))
        return url

    def unsettled(self, outstanding: Collection[str], timeout: float, what: str) -> AssertionError:
        """The failure of a wait for `what`: everything still outstanding, and the mock's deliveries not done."""
        lines = [f"{what}: still outstanding after {timeout:g} s:", *(f"  {item}" for item in outstanding)]
        undone = [d for d in self.server.deliveries.log() if d.status not in ("delivered", "failed", "no_target")]
        if undone:
            lines.append("The mock's deliveries not done (kind, target, status, attempts):")
            lines += [f"  {d.kind} -> {d.url}: {d.status}, {d.attempts}" for d in undone]
        return AssertionError("\n".join(lines))

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

    def advance(self, seconds: float, *, settle: bool = True, timeout: float = SETTLE_TIMEOUT) -> None:
        """Move the mock clock forward. When this returns, everything due by the new time has happened and each
        webhook it caused has been sent (one refused is retried a mock minute later: advance again for it), and,
        unless `settle=False`, every webhook a package `WebhookReceiver` in this process acknowledged has been
        handled: its handler returned, or the event is `failed` (see `settle`)."""
        self.admin.post("/clock", json={"advance": seconds}).raise_for_status()
        if settle:
            self.settle(timeout)

    def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until every webhook that a package `WebhookReceiver` in this process (mounted in any ASGI app)
        has acknowledged is handled; an AssertionError listing the events still in flight after `timeout`."""
        left = wait_settled(timeout)
        if left:
            raise self.unsettled(left, timeout, "the webhook handlers in this process")

    def wait_until(self, outstanding: Outstanding, timeout: float = WAIT_TIMEOUT) -> None:
        """Wait until `outstanding()` is empty: for a receiver `advance()` cannot see (another process, or not the
        package's), name what it still has to do, e.g. `lambda: [e.id for e in store.events("pending")]`. An
        AssertionError listing what it last returned (and the mock's deliveries not done) after `timeout`."""
        deadline = time.monotonic() + timeout
        while left := list(map(str, outstanding())):
            if time.monotonic() >= deadline:
                raise self.unsettled(left, timeout, "wait_until")
            time.sleep(POLL)

    def set_scenario(self, scenario: Mapping[str, Any] | str | Path) -> None:
        """Put a scenario in force from now (its document, or a YAML/JSON file): see spec/mock-admin.yaml's
        `Scenario` and docs/testing.md. An AssertionError naming the field at fault when it is not valid."""
        refused(self.admin.put("/scenario", json=scenario_document(scenario)))

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
        async with httpx.AsyncClient(
            base_url=str(self.admin.base_url), timeout=self.admin.timeout, headers=self.admin_headers
        ) as admin:
            yield AsyncMockHandle(**{**self.__dict__, "admin": admin})


@dataclass(kw_only=True)
class AsyncMockHandle(BaseHandle):
    """A running mock for an async test: the same as `MockHandle`, its admin steps awaited."""

    admin: httpx.AsyncClient

    async def advance(self, seconds: float, *, settle: bool = True, timeout: float = SETTLE_TIMEOUT) -> None:
        """Move the mock clock forward and settle, as `MockHandle.advance` does, without blocking the loop (a
        receiver served on this event loop goes on handling while this waits)."""
        (await self.admin.post("/clock", json={"advance": seconds})).raise_for_status()
        if settle:
            await self.settle(timeout)

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until the package receivers in this process have handled what they acknowledged (see
        `MockHandle.settle`)."""
        await self._polled(in_flight, timeout, "the webhook handlers in this process")

    async def wait_until(self, outstanding: Outstanding, timeout: float = WAIT_TIMEOUT) -> None:
        """Wait until `outstanding()` is empty (see `MockHandle.wait_until`), without blocking the loop."""
        await self._polled(outstanding, timeout, "wait_until")

    async def _polled(self, outstanding: Outstanding, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while left := list(map(str, outstanding())):
            if time.monotonic() >= deadline:
                raise self.unsettled(left, timeout, what)
            await asyncio.sleep(POLL)

    async def set_scenario(self, scenario: Mapping[str, Any] | str | Path) -> None:
        """Put a scenario in force from now (see `MockHandle.set_scenario`)."""
        refused(await self.admin.put("/scenario", json=scenario_document(scenario)))

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


def refused(answer: httpx.Response) -> None:
    """An AssertionError naming each field the admin API refused, if it did."""
    if answer.is_success:
        return
    errors = (answer.json().get("data") or {}).get("errors", [])
    raise AssertionError("the mock refused: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors))


def scenario_document(scenario: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """A scenario's document: as given, or read from its YAML/JSON file."""
    if isinstance(scenario, Mapping):
        return dict(scenario)
    document: dict[str, Any] = yaml.safe_load(Path(scenario).read_text())
    return document


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
        if config.admin_token is None:  # never an open admin API, even on loopback
            config = replace(config, admin_token=secrets.token_urlsafe(24))
        mock = MockServer(config)
        stack.callback(mock.close)
        mock.public_url = stack.enter_context(serve(mock.app, host, connection_timeout=config.connection_timeout))
        stack.enter_context(pumping(mock))
        apps = stack.enter_context(ExitStack())  # the user's apps stop first
        key, secret = next(iter(mock.config.credentials.items()))
        yield dict(
            base_url=mock.public_url, app_key=key, app_secret=secret, admin_token=config.admin_token,
            webhooks=sink, webhooks_url=sink_url, server=mock, apps=apps,
        )  # fmt: skip


@contextmanager
def running_mock(config: MockConfig | None = None, host: str = "127.0.0.1") -> Iterator[MockHandle]:
    """Serve a mock on a free port of `host` for the duration of the block; yields a `MockHandle`.

    Without `config`: `MockConfig()`, the fixture's defaults (time stopped, workflows finish when done). With
    `config.webhook_urls` set, webhooks go there instead of the handle's receiver.
    """
    with _served(config, host) as fields, httpx.Client(**_admin_client(fields)) as admin:
        yield MockHandle(**fields, admin=admin)


@asynccontextmanager
async def async_running_mock(
    config: MockConfig | None = None, host: str = "127.0.0.1"
) -> AsyncIterator[AsyncMockHandle]:
    """`running_mock` for async tests: `async with async_running_mock() as mock: await mock.advance(60)`."""
    with _served(config, host) as fields:
        async with httpx.AsyncClient(**_admin_client(fields)) as admin:
            yield AsyncMockHandle(**fields, admin=admin)


def _admin_client(fields: dict[str, Any]) -> dict[str, Any]:
    """The options of the handle's client on the admin API: its base URL and token."""
    headers = {"Authorization": f"Bearer {fields['admin_token']}"}
    return {"base_url": f"{fields['base_url']}/_mock", "timeout": 30, "headers": headers}
