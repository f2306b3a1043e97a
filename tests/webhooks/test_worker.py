"""`webhooks.Worker` handles stored events apart from the receiver, on either store."""

from __future__ import annotations

import asyncio
import subprocess
import sys
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
