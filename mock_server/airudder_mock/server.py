"""The mock server: its parts put together into one ASGI app, and running it.

`MockServer(config).app` is a plain ASGI app: routing on the path as sent (`%2F` splits no path), faults, then the
routes of AIRudder's operations and of the admin API, each a validate -> handle -> envelope pipeline, inside the
request log. `running_mock()`
(handle.py) serves one on a free 127.0.0.1 port in a background thread for tests; the `airudder-mock serve` command
serves one in the foreground.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException

import airudder_spec
from airudder.serving import EncodedSlashes

from .clock import MockClock
from .config import MockConfig
from .delivery import Deliveries
from .faults import Fault, FaultMiddleware, Faults
from .handlers.admin import admin_handlers
from .handlers.api import api_handlers
from .repository import Repository
from .request_log import RequestLog
from .router import admin_routes, http_error, operation_routes
from .scenarios import read_scenario
from .simulation import Simulation
from .simulation.scenario import Scenario

PUMP_INTERVAL = 0.1
log = logging.getLogger("airudder_mock")

__all__ = ["PUMP_INTERVAL", "MockServer", "pumping"]


class MockServer:
    """One mock AIRudder: state, clock, simulation, webhook deliveries, faults, and the app serving them."""

    def __init__(self, config: MockConfig | None = None) -> None:
        config = config or MockConfig()
        self._seed_given = config.seed is not None
        self.config = replace(config, seed=config.seed if self._seed_given else fresh_seed())
        self.repo = Repository(self.config.db)
        saved = self.repo.saved_clock()  # with --db: go on from the time the last run reached
        self.clock = MockClock(start=max(time.time(), saved) if saved else None, speed=self.config.speed)
        self.deliveries = Deliveries(self.repo, self.config.webhook_timeout, self.config.webhook_concurrency)
        self.simulation = Simulation(self.repo, self.config, self.deliveries.enqueue)
        self.faults = Faults(self.seed, airudder_spec.operations())
        self.simulation.world.switch_fault = self._switch_fault
        self.repo.save_templates(self.config.templates, replace=False)  # with --db: keep templates edited
        for kind, url in self.config.webhook_urls.items():
            self.deliveries.set_target(kind, url)
        self._pump_lock = threading.Lock()
        api, authenticate = api_handlers(self.repo, self.simulation, lambda: self.credentials)
        admin = admin_handlers(
            self.repo,
            self.simulation,
            self.deliveries,
            self.faults,
            self.clock,
            self.pump,
            self.reset,
            self.set_scenario,
        )
        max_body = self.config.max_body
        routes = operation_routes(api, authenticate, self.simulation.run_until, self.clock.now, max_body)
        routes += admin_routes(admin, self.clock.now, max_body, self.config.admin_token)
        app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
        app.router.redirect_slashes = False  # a trailing slash is another path: a 404 in the envelope, no redirect
        self.app = RequestLog(EncodedSlashes(FaultMiddleware(app, app.routes, self.faults)))
        if self.config.scenario is not None:
            try:
                self.set_scenario(self.config.scenario)
            except BaseException:
                self.close()  # its threads and store, as `with MockServer(...)` never started
                raise

    def set_scenario(self, source: Mapping[str, Any] | str | Path) -> Scenario:
        """Put a scenario in force from now (its document, or a YAML/JSON file), replacing any other: its rules
        script the contacts they name, its API faults switch on and off at their times after now. BadInput
        naming the field when it is not valid."""
        scenario = read_scenario(source)
        with self._pump_lock, self.repo.transaction():
            self.simulation.world.scenario = scenario
            now = self.clock.now()
            for fault in scenario.api_faults:
                self.simulation.world.schedule(
                    now + fault.at, "api_fault", operation_id=fault.operation_id, options=fault.options
                )
                if fault.until is not None:
                    self.simulation.world.schedule(
                        now + fault.until, "api_fault", operation_id=fault.operation_id, options=None
                    )
        self.pump()  # the faults due now are in force when this returns
        return scenario

    @property
    def scenario(self) -> Scenario:
        """The scenario in force: scripted outcomes and faults (empty unless one was set)."""
        return self.simulation.world.scenario

    def _switch_fault(self, operation_id: str, options: dict[str, Any] | None) -> None:
        if options is None:
            self.faults.clear(operation_id)
        else:
            self.faults.set(operation_id, Fault.from_options(options))

    @property
    def seed(self) -> int:
        """The seed in use: the config's, or the one drawn for this server (give it as `seed` to replay the run)."""
        assert self.config.seed is not None
        return self.config.seed

    @property
    def public_url(self) -> str:
        """Base URL the recording links point at; set once the server knows its port."""
        return self.simulation.world.public_url

    @public_url.setter
    def public_url(self, url: str) -> None:
        self.simulation.world.public_url = url

    def pump(self) -> None:
        """Bring the simulation up to mock time and send every webhook due, retries included."""
        with self._pump_lock:
            while True:
                now = self.clock.now()
                self.repo.save_clock(now)
                self.simulation.run_until(now)
                due = self.deliveries.claim_due(now)
                if not due:
                    return
                self.deliveries.send_all(due)

    @property
    def credentials(self) -> dict[str, str]:
        """The APPKey/APPSecret pairs accepted: the configured ones and those added through the admin API."""
        return {**self.config.credentials, **self.repo.added_credentials()}

    def reset(self) -> None:
        """Forget every workflow, token, delivery and webhook target; templates, targets and credentials back to the
        config. Ids start again as on a fresh mock, so a reset mock with the same seed replays the same history;
        without a seed in the config, a reset draws a fresh one (ids never repeat, as across restarts).
        """
        with self._pump_lock, self.repo.transaction():  # not while webhooks are being sent
            if not self._seed_given:
                self.config.seed = fresh_seed()
            self.simulation.world.scenario, self.simulation.world.held = Scenario(), {}
            self.repo.clear()
            self.repo.save_templates(self.config.templates)
            for kind, url in self.config.webhook_urls.items():
                self.deliveries.set_target(kind, url)
        self.faults.clear()
        if self.config.scenario is not None:
            self.set_scenario(self.config.scenario)

    def close(self) -> None:
        """Keep the clock in the store (a --db file resumes from it), stop the webhook deliveries, close the store."""
        self.repo.save_clock(self.clock.now())
        self.deliveries.close()
        self.repo.close()


def fresh_seed() -> int:
    """A seed no earlier run is likely to have had."""
    return secrets.randbelow(2**63)


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
