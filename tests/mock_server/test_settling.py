"""`advance()` settles: an app of the user's own mounts the package receiver, its handlers take 50 ms each and
write to the app's SQLite table, and assertions right after `advance()` see all of it, run after run."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

import airudder
from airudder import webhooks
from airudder.settling import InFlight, in_flight, wait_settled
from airudder_mock import MockHandle, async_running_mock

RUNS = 100
HANDLER_SECONDS = 0.05
HOUR = 3600
END = "2099-12-31 23:59:59+07:00"


class MyApp:
    """A user's app: its own routes would be here; the receiver mounted at /airudder; a table of what it heard."""

    def __init__(self, db: Path) -> None:
        self.db = str(db)
        with sqlite3.connect(self.db) as conn:
            conn.execute("CREATE TABLE heard (kind TEXT, workflow_id TEXT)")
            conn.execute("CREATE TABLE workflows (workflow_id TEXT PRIMARY KEY, status TEXT)")
        self.receiver = webhooks.WebhookReceiver(secret="s3cret")
        for kind in webhooks.kinds():
            self.receiver.on(kind)(self.handler(kind))  # type: ignore[call-overload]
        self.asgi = Starlette(routes=[Mount("/airudder", app=self.receiver.app)])

    def handler(self, kind: str) -> Any:
        def handle(event: Any) -> None:
            time.sleep(HANDLER_SECONDS)  # the app's own slow work (a query, a call out): what must not race a test
            workflow_id = getattr(event, "workflow_id", None)
            with sqlite3.connect(self.db, timeout=30) as conn:
                conn.execute("INSERT INTO heard VALUES (?, ?)", (kind, workflow_id))
                if kind == "workflow_status_changed":
                    status = str(event.status.value if hasattr(event.status, "value") else event.status)
                    conn.execute("INSERT OR REPLACE INTO workflows VALUES (?, ?)", (workflow_id, status))

        return handle

    def heard(self) -> Counter[str]:
        with sqlite3.connect(self.db) as conn:
            return Counter(kind for (kind,) in conn.execute("SELECT kind FROM heard"))

    def status(self, workflow_id: object) -> str | None:
        with sqlite3.connect(self.db) as conn:
            row = conn.execute("SELECT status FROM workflows WHERE workflow_id = ?", (workflow_id,)).fetchone()
        return None if row is None else str(row[0])


def a_run_whose_status_handler_waits_for(release: threading.Event, mock: MockHandle) -> webhooks.WebhookReceiver:
    """A receiver served and routed to, whose status handler waits for `release` (at most 30 s); a workflow
    created (not yet run)."""

    def handle(event: object) -> None:
        release.wait(30)

    receiver = webhooks.WebhookReceiver()
    receiver.on("workflow_status_changed")(handle)
    url = mock.serve_app(Starlette(routes=[Mount("/hooks", app=receiver.app)]))
    mock.route_webhooks(f"{url}/hooks/{{kind}}")
    with airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url) as client:
        client.workflows.create(workflow_template_id=1, name="held", end_time=END)
    return receiver


@pytest.mark.timeout(900)
def test_right_after_advance_the_apps_handlers_have_run_in_every_one_of_100_runs(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    app = MyApp(tmp_path / "app.sqlite3")
    url = airudder_mock.serve_app(app.asgi)
    airudder_mock.route_webhooks(f"{url}/airudder/s3cret/{{kind}}")
    mock = airudder_mock
    passed = 0
    with airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url) as client:
        for run in range(RUNS):
            created = client.workflows.create(workflow_template_id=2, name=f"run {run}", end_time=END)
            airudder_mock.advance(HOUR)
            assert app.status(created.workflow_id) == "finished", f"run {run}"  # no extra call, no wait
            delivered = Counter(d["kind"] for d in airudder_mock.deliveries(status="delivered"))
            assert app.heard() == delivered, f"run {run}"
            passed += 1
    assert passed == RUNS
    assert sum(app.heard().values()) >= RUNS * 8  # every kind the template's runs send, not a trivial count


def test_advance_fails_naming_a_handler_that_does_not_finish(airudder_mock: MockHandle) -> None:
    release = threading.Event()
    receiver = a_run_whose_status_handler_waits_for(release, airudder_mock)
    try:
        with pytest.raises(AssertionError) as stuck:
            airudder_mock.advance(HOUR, timeout=0.5)
        message = str(stuck.value)
        assert "still outstanding after 0.5 s" in message
        assert "workflow_status_changed event" in message and "handler not finished" in message
    finally:
        release.set()
    assert receiver.wait_handled(30)
    airudder_mock.settle()  # nothing left


def test_without_settling_advance_returns_once_sent(airudder_mock: MockHandle) -> None:
    release = threading.Event()
    a_run_whose_status_handler_waits_for(release, airudder_mock)
    airudder_mock.advance(HOUR, settle=False)
    assert [d["status"] for d in airudder_mock.deliveries(kind="workflow_status_changed")] == ["delivered"]
    assert any("workflow_status_changed" in item for item in in_flight())
    release.set()
    airudder_mock.settle()
    assert in_flight() == []


def test_wait_until_names_what_another_processs_receiver_has_still_to_do(airudder_mock: MockHandle) -> None:
    left = ["call_completed event 3: pending"]
    with pytest.raises(AssertionError) as waited:
        airudder_mock.wait_until(lambda: left, timeout=0.1)
    assert "wait_until: still outstanding after 0.1 s:\n  call_completed event 3: pending" in str(waited.value)
    left.clear()
    airudder_mock.wait_until(lambda: left, timeout=0.1)


def test_the_async_handle_settles_without_blocking_a_receiver_on_its_own_loop(tmp_path: Path) -> None:
    async def main() -> None:
        app = MyApp(tmp_path / "app.sqlite3")
        async with async_running_mock() as mock:
            url = mock.serve_app(app.asgi)
            await mock.route_webhooks(f"{url}/airudder/s3cret/{{kind}}")
            async with airudder.AsyncClient(
                app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url
            ) as client:
                created = await client.workflows.create(workflow_template_id=1, name="async", end_time=END)
            await mock.advance(HOUR)
            assert app.status(created.workflow_id) == "finished"
            delivered = Counter(d["kind"] for d in await mock.deliveries(status="delivered"))
            assert app.heard() == delivered

    asyncio.run(main())


def test_in_flight_work_of_any_owner_is_waited_for() -> None:
    tracker = InFlight("a worker of mine")
    key = tracker.add("job 7")
    assert "a worker of mine: job 7" in in_flight()
    assert wait_settled(0.05) == ["a worker of mine: job 7"]
    threading.Timer(0.05, tracker.done, [key]).start()
    assert wait_settled(30) == []
    with tracker.holding("job 8"):
        assert tracker.outstanding() == ["a worker of mine: job 8"]
    assert tracker.wait(0)


def test_work_acknowledged_on_a_loop_that_has_stopped_is_not_waited_for() -> None:
    tracker = InFlight("a server that shut down")

    async def acknowledge() -> None:
        tracker.add("event 1")  # its handler would have run on this loop, which then stopped

    asyncio.run(acknowledge())
    assert wait_settled(30) == [] and tracker.outstanding() == []
