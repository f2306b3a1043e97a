"""The mock server: its state, the ASGI app (operations from the spec, admin API under /_mock/), and running it.

`MockServer(config).app` is a plain ASGI app; `running_mock()` serves one on a free 127.0.0.1 port in a
background thread for tests; the `airudder-mock serve` command serves one in the foreground.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import airudder_spec

from . import admin
from .api import HANDLERS
from .clock import MockClock
from .config import MockConfig
from .delivery import Deliveries
from .envelope import Failure, error, ok
from .faults import FaultMiddleware, Faults
from .simulation import Simulation
from .store import Store
from .validation import Invalid, RequestValidator

PUMP_INTERVAL = 0.1
log = logging.getLogger("airudder_mock")


class MockServer:
    """One mock AIRudder: state, clock, simulation, webhook deliveries, faults, and the app serving them."""

    def __init__(self, config: MockConfig | None = None) -> None:
        self.config = config or MockConfig()
        self.store = Store(self.config.db)
        saved = self.store.get_meta("clock")  # with --db: go on from the time the last run reached
        self.clock = MockClock(start=max(time.time(), float(saved)) if saved else None, speed=self.config.speed)
        self.deliveries = Deliveries(self.store, self.config.webhook_timeout)
        self.simulation = Simulation(self.store, self.config, self.deliveries.enqueue)
        self.faults = Faults(self.config.seed)
        self.simulation.seed_templates(self.config.templates, replace=False)  # with --db: keep templates edited
        for kind, url in self.config.webhook_urls.items():
            self.deliveries.set_target(kind, url)
        self._pump_lock = threading.Lock()
        routes = [operation_route(self, op) for op in airudder_spec.operations().values()] + admin.routes(self)
        app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
        self.app = FaultMiddleware(app, self.faults)

    def pump(self) -> None:
        """Bring the simulation up to mock time and send every webhook due, retries included."""
        with self._pump_lock:
            while True:
                now = self.clock.now()
                self.store.set_meta("clock", repr(now))
                self.simulation.run_until(now)
                due = self.deliveries.claim_due(now)
                if not due:
                    return
                for delivery in due:
                    self.deliveries.send(delivery)

    @property
    def credentials(self) -> dict[str, str]:
        """The APPKey/APPSecret pairs accepted: the configured ones and those added through the admin API."""
        return {**self.config.credentials, **json.loads(self.store.get_meta("credentials") or "{}")}

    def add_credentials(self, app_key: str, app_secret: str) -> None:
        """Accept another pair until the next reset (kept in the store, so `--db` keeps it across restarts)."""
        added = json.loads(self.store.get_meta("credentials") or "{}")
        self.store.set_meta("credentials", json.dumps({**added, app_key: app_secret}))

    def reset(self) -> None:
        """Forget every workflow, token, delivery and webhook target; templates, targets and credentials back to the
        config.

        Ids start again as on a fresh mock, so a reset mock with the same seed replays the same history.
        """
        with self._pump_lock, self.store.transaction() as db:  # not while webhooks are being sent
            for table in (
                "tokens",
                "workflows",
                "nodes",
                "contacts",
                "calls",
                "waba_messages",
                "events",
                "deliveries",
                "webhook_targets",
                "templates",
            ):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence")
            db.execute("DELETE FROM meta WHERE key = 'credentials'")
        self.simulation.seed_templates(self.config.templates)
        for kind, url in self.config.webhook_urls.items():
            self.deliveries.set_target(kind, url)
        self.faults.clear()

    def authenticate(self, request: Request, now: float) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme != "Token" or not token:
            raise Failure(401, "header.Authorization", "must be `Token <token>` (from POST /service/cloud/auth)")
        expires = self.store.scalar("SELECT expires_at FROM tokens WHERE token = ?", token)
        if expires is None or expires <= now:
            raise Failure(401, "header.Authorization", "the token is unknown or has expired")

    def close(self) -> None:
        self.store.set_meta("clock", repr(self.clock.now()))
        self.deliveries.close()
        self.store.close()


def operation_route(mock: MockServer, operation: airudder_spec.Operation) -> Route:
    validator = RequestValidator.build(operation)
    handler = HANDLERS[operation.operation_id]
    secured = operation.secured

    async def endpoint(request: Request) -> Response:
        now = mock.clock.now()
        try:
            if secured:
                mock.authenticate(request, now)
            query = validator.query(request.query_params)
            body = validator.json_body(await request.body(), request.headers.get("content-type", ""))
            mock.simulation.run_until(now)
            return ok(handler(mock, query, body, now))
        except Invalid as exc:
            return error(exc.status, exc.problems)
        except Failure as exc:
            return error(exc.status, exc.problems)

    return Route(operation.path, endpoint, methods=[operation.method.upper()], name=operation.operation_id)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, in the error envelope."""
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, [{"field": "path", "message": exc.detail}], headers=dict(exc.headers or {}))


@dataclass(frozen=True)
class RunningMock:
    """A mock served on loopback: where it is, a configured credential pair, and the server itself."""

    base_url: str
    app_key: str
    app_secret: str
    server: MockServer


@contextmanager
def running_mock(config: MockConfig | None = None, host: str = "127.0.0.1") -> Iterator[RunningMock]:
    """Serve a mock on a free port of `host` in a background thread for the duration of the block."""
    mock = MockServer(config)
    try:
        with bound_socket(host) as sock:
            port = sock.getsockname()[1]
            mock.simulation.public_url = f"http://{host}:{port}"
            with serving(mock.app, sock), pumping(mock):
                key, secret = next(iter(mock.config.credentials.items()))
                yield RunningMock(f"http://{host}:{port}", key, secret, mock)
    finally:
        mock.close()


@contextmanager
def bound_socket(host: str, port: int = 0) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    try:
        yield sock
    finally:
        sock.close()


ASGIApp = Callable[..., Awaitable[None]]
SHUTDOWN_GRACE = 5


@contextmanager
def serving(app: ASGIApp, sock: socket.socket) -> Iterator[None]:
    """Run uvicorn on an already bound socket in a thread; stop it when the block ends (requests still running
    then, such as one held by an injected latency, get SHUTDOWN_GRACE seconds)."""
    config = uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=SHUTDOWN_GRACE
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_GRACE + 10)


@contextmanager
def pumping(mock: MockServer) -> Iterator[None]:
    """Advance the simulation and send due webhooks in the background while the block runs and time runs.

    With time stopped (speed 0) the loop does nothing: webhooks then go out only inside the admin calls that
    advance the clock or change a workflow (stop, cancel, contacts), before they answer, so a test decides
    exactly when they are sent (a webhook target set before those calls applies).
    """
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(PUMP_INTERVAL):
            if mock.clock.speed == 0:
                continue
            try:
                mock.pump()
            except Exception:  # keep simulating: one bad step must not stop time for good
                log.exception("the mock's simulation loop failed; trying again")

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)
