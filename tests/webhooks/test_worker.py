"""`webhooks.Worker` handles stored events apart from the receiver, on either store."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from airudder import webhooks
from airudder.webhooks import _store
from airudder_contract.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]


def add(store: Any, n: int) -> int:
    payload = {**STATUS, "workflow_id": f"w{n}"}
    event_id = store.add("workflow_status_changed", webhooks.event_key("workflow_status_changed", payload), payload)
    assert event_id is not None
    return int(event_id)


def test_a_worker_handles_what_a_receive_only_receiver_stored_and_retries_a_failure_later(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = webhooks.SQLiteEventStore(str(tmp_path / "events.sqlite3"))
    for n in range(3):
        add(store, n)
    store.add("call_completed", "c1", {"call_id": "c1"})  # no handler for it: left waiting
    seen: list[str] = []

    def handle(event: Any) -> None:
        if event.workflow_id == "w1" and "w1" not in seen:
            seen.append("w1")
            raise RuntimeError("the CRM is down")
        seen.append(event.workflow_id)

    worker = webhooks.Worker(store, {"workflow_status_changed": handle}, retry_after=60)
    assert asyncio.run(worker.run_once()) == 3
    assert [(e.payload.get("workflow_id"), e.state) for e in store.events()] == [
        ("w0", "handled"),
        ("w1", "failed"),
        ("w2", "handled"),
        (None, "pending"),
    ]
    assert asyncio.run(worker.run_once()) == 0  # a failure is not retried at once
    now[0] += 61
    assert asyncio.run(worker.run_once()) == 1 and seen == ["w0", "w1", "w2", "w1"]
    assert [e.state for e in store.events("handled")] == ["handled"] * 3


def test_a_running_worker_stops_when_told_and_finishes_what_it_holds(tmp_path: Any) -> None:
    store = webhooks.SQLiteEventStore(str(tmp_path / "events.sqlite3"))
    handled: list[str] = []

    async def handle(event: Any) -> None:
        await asyncio.sleep(0.01)
        handled.append(event.workflow_id)

    async def scenario() -> None:
        stop = asyncio.Event()
        worker = webhooks.Worker(store, {"workflow_status_changed": handle}, concurrency=2, poll=0.01)
        running = asyncio.create_task(worker.run(stop))
        for n in range(10):
            await asyncio.to_thread(add, store, n)
        while len(handled) < 10:
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(running, 10)

    asyncio.run(scenario())
    assert sorted(handled) == sorted(f"w{n}" for n in range(10))
    assert {e.state for e in store.events()} == {"handled"}


def test_a_worker_needs_a_handler() -> None:
    with pytest.raises(ValueError, match="at least one handler"):
        webhooks.Worker(webhooks.SQLiteEventStore(), {})


def test_without_the_postgres_extra_the_store_names_the_extra_to_install() -> None:
    code = "import sys; sys.modules['psycopg'] = None; from airudder.webhooks import PostgresEventStore"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "install airudder-workflow[postgres]" in done.stderr


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    if request.param == "sqlite":
        opened: Any = webhooks.SQLiteEventStore(str(tmp_path / "events.sqlite3"))
    else:
        opened = webhooks.PostgresEventStore(request.getfixturevalue("postgres_url"), pool_size=2)
    request.addfinalizer(opened.close)
    return opened


def test_a_failing_event_is_retried_with_exponential_backoff_then_dead_logged_once_and_counted(
    store: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    event_id = add(store, 1)
    runs: list[float] = []

    def handle(event: Any) -> None:
        runs.append(now[0])
        raise RuntimeError("the CRM is down")

    worker = webhooks.Worker(store, {"workflow_status_changed": handle}, retry_after=60, max_attempts=4)
    with caplog.at_level(logging.ERROR, logger="airudder.webhooks"):
        for _ in range(40):  # a minute at a time, for 40 minutes
            asyncio.run(worker.run_once())
            now[0] += 60.5
    # tried at 0, then after 1, 2 and 4 minutes: 4 attempts, then dead and left alone
    assert [round((t - runs[0]) / 60.5) for t in runs] == [0, 1, 3, 7]
    [event] = store.find(ids=[event_id])
    assert (event.state, event.attempts, event.last_error) == ("dead", 4, "RuntimeError: the CRM is down")
    dead_lines = [r for r in caplog.records if "is dead" in r.getMessage()]
    assert len(dead_lines) == 1 and f"events retry {event_id}" in dead_lines[0].getMessage()
    text = worker.metrics.exposition().decode()
    assert 'airudder_webhooks_dead_events_total{kind="workflow_status_changed"} 1.0' in text
    assert 'airudder_webhooks_handler_failures_total{kind="workflow_status_changed"} 4.0' in text
    assert 'airudder_webhooks_handler_seconds_count{kind="workflow_status_changed"} 4.0' in text


def test_backoff_doubles_up_to_its_cap() -> None:
    from airudder.webhooks._worker import backoff

    assert [backoff(n, 60, 600) for n in (1, 2, 3, 4, 5, 100)] == [60, 120, 240, 480, 600, 600]


def test_a_running_worker_beats_with_what_it_holds_and_its_beat_goes_when_it_stops(store: Any) -> None:
    release = threading.Event()
    started = threading.Event()

    def handle(event: Any) -> None:
        started.set()
        release.wait(30)

    async def scenario() -> tuple[Any, Any]:
        stop = asyncio.Event()
        worker = webhooks.Worker(store, {"workflow_status_changed": handle}, poll=0.01, heartbeat=0.05)
        running = asyncio.create_task(worker.run(stop))
        event_id = await asyncio.to_thread(add, store, 1)
        await asyncio.to_thread(started.wait, 30)
        deadline = time.monotonic() + 30
        while not any(w.holding == (event_id,) for w in (await asyncio.to_thread(store.stats)).workers):
            assert time.monotonic() < deadline, "no heartbeat with the event held"
            await asyncio.sleep(0.02)
        during = await asyncio.to_thread(store.stats)
        release.set()
        stop.set()
        await asyncio.wait_for(running, 30)
        return worker, during

    worker, during = asyncio.run(scenario())
    [beat] = during.workers
    assert beat.worker == worker.name and worker.name.split(":")[1] == str(os.getpid())
    assert store.stats().workers == []


def test_a_worker_stops_taking_events_while_the_database_is_ahead_of_it(tmp_path: Any) -> None:
    path = tmp_path / "events.sqlite3"
    store = webhooks.SQLiteEventStore(str(path))
    add(store, 1)
    worker = webhooks.Worker(store, {"workflow_status_changed": lambda event: None})
    with sqlite3.connect(path) as newer:
        newer.execute("PRAGMA user_version = 99")
    asyncio.run(worker.housekeeping())
    assert not worker.taking and asyncio.run(worker.run_once()) == 0
    with sqlite3.connect(path) as back:
        back.execute("PRAGMA user_version = 2")
    asyncio.run(worker.housekeeping())
    assert worker.taking and asyncio.run(worker.run_once()) == 1


def test_a_worker_with_a_retention_prunes_old_handled_events(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    for n in range(3):
        add(store, n)
    worker = webhooks.Worker(store, {"workflow_status_changed": lambda event: None}, retention=86_400)
    assert asyncio.run(worker.run_once()) == 3
    now[0] += 3600
    assert asyncio.run(worker.prune()) == 0
    now[0] += 86_400
    assert asyncio.run(worker.prune()) == 3 and store.events() == []
