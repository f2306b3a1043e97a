"""Group commit in both stores: the events waiting are committed together by the store's one writer, and none is
acknowledged before the batch that holds it is committed, even when the receiver is killed in the middle of one."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from airudder import webhooks
from airudder.serving import bound_socket
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[2]
LISTED = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}
KIND = "workflow_list_completed"  # answered with the event id, so the sender knows what was acknowledged


def listed(n: int | str) -> dict[str, Any]:
    return {**LISTED, "workflow_id": f"w{n}"}


def key(n: int | str) -> str:
    return webhooks.event_key(KIND, listed(n))


@contextmanager
def sqlite_writer_held(path: Path) -> Iterator[None]:
    """Another process's write transaction on the file: the store's writer waits for it (busy_timeout)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def postgres_writer_held(url: str, schema: str) -> Iterator[None]:
    """Another session locking the events table against writes: the store's writer waits for it."""
    import psycopg

    with psycopg.connect(url) as other:
        other.execute(f"LOCK TABLE {schema}.events IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.rollback()


@pytest.fixture(params=["sqlite", "postgres"])
def held_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A store, and a way to hold its writer up as another process's transaction would."""
    if request.param == "sqlite":
        path = tmp_path / "events.sqlite3"
        store: Any = webhooks.SQLiteEventStore(str(path))
        hold: Any = lambda: sqlite_writer_held(path)  # noqa: E731
    else:
        url, schema = request.getfixturevalue("postgres_url"), f"s_{uuid.uuid4().hex[:8]}"
        store = webhooks.PostgresEventStore(url, schema=schema)
        hold = lambda: postgres_writer_held(url, schema)  # noqa: E731
    yield store, hold
    store.close()


def test_no_event_is_acknowledged_before_its_batch_is_committed_and_the_waiting_ones_share_one(
    held_store: tuple[Any, Any],
) -> None:
    store, hold = held_store
    assert isinstance(store, webhooks.GroupCommitStore)
    with hold():
        first = store.submit(KIND, key(0), listed(0))  # the writer takes it, and waits for the lock
        later = [store.submit(KIND, key(n), listed(n)) for n in range(1, 6)]  # queued behind it
        time.sleep(0.3)  # long enough for a wrong store to answer; a right one never does while held
        assert not first.done() and not any(f.done() for f in later)
    ids = [first.result(30), *(f.result(30) for f in later)]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 6
    kept = {event.id: event for event in store.events()}
    assert set(kept) == set(ids)


def test_a_retry_in_the_same_batch_as_its_first_delivery_is_a_duplicate(held_store: tuple[Any, Any]) -> None:
    store, hold = held_store
    with hold():
        store.submit(KIND, key("held"), listed("held"))  # holds the writer, so the next ones form one batch
        batch: list[Future[int | None]] = [
            store.submit(KIND, key(n), listed(n)) for n in ("b", "a", "b", "c", "a", "b")
        ]
    answers = [f.result(30) for f in batch]
    assert [a is None for a in answers] == [False, False, True, False, True, True]
    assert sorted(e.payload["workflow_id"] for e in store.events()) == ["wa", "wb", "wc", "wheld"]


def test_a_bad_event_in_a_batch_fails_alone_and_the_others_are_kept(postgres_url: str) -> None:
    """PostgreSQL's json refuses NaN: that event's delivery fails (and is retried by its sender), no other."""
    store = webhooks.PostgresEventStore(postgres_url, schema="s_bad")
    try:
        with postgres_writer_held(postgres_url, "s_bad"):
            store.submit(KIND, key("held"), listed("held"))
            good = [store.submit(KIND, key(n), listed(n)) for n in range(3)]
            bad = store.submit(KIND, key("nan"), {**listed("nan"), "rows": [float("nan")]})
            good += [store.submit(KIND, key(n), listed(n)) for n in range(3, 6)]
        with pytest.raises(Exception, match=r"(?i)json|nan"):
            bad.result(30)
        assert all(isinstance(f.result(30), int) for f in good)
        assert len(store.events()) == 7
    finally:
        store.close()


def test_a_closed_store_commits_what_was_waiting_and_takes_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    store = webhooks.SQLiteEventStore(str(path))
    with sqlite_writer_held(path):
        waiting = [store.submit(KIND, key(n), listed(n)) for n in range(20)]
    store.close()
    assert all(isinstance(f.result(0), int) for f in waiting)
    with pytest.raises(RuntimeError, match="closed"):
        store.submit(KIND, key("late"), listed("late"))
    reopened = webhooks.SQLiteEventStore(str(path))
    assert len(reopened.events()) == 20
    reopened.close()


# kill -9 in the middle of a batch -------------------------------------------------------------------------------

SENDERS = 48


def free_port() -> int:
    with bound_socket("127.0.0.1") as probe:
        return int(probe.getsockname()[1])


async def flood_then_kill(url: str, receiver: subprocess.Popen[bytes], acknowledged_before_kill: int) -> dict[str, Any]:
    """SENDERS concurrent senders post new events until the receiver dies; it is killed with SIGKILL once
    `acknowledged_before_kill` were acknowledged, while the other senders' events are in its hands. Returns
    the acknowledged events (workflow id -> event id) and how many posts the kill cut off."""
    acknowledged: dict[str, int] = {}
    cut_off = [0]
    counter = iter(range(10**9))

    async def sender(http: httpx.AsyncClient) -> None:
        while True:
            n = next(counter)
            try:
                answer = await http.post(f"{url}/{KIND}", json=listed(n))
            except httpx.TransportError:
                cut_off[0] += 1
                return
            assert answer.status_code == 200, answer.text
            acknowledged[f"w{n}"] = answer.json()["data"]["event_id"]
            if len(acknowledged) == acknowledged_before_kill:
                receiver.send_signal(signal.SIGKILL)

    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(sender(http) for _ in range(SENDERS)))
    return {"acknowledged": acknowledged, "cut_off": cut_off[0]}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_9_in_the_middle_of_a_batch_loses_no_acknowledged_event(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # the test cluster runs with fsync off: the receiver is killed, not the machine, so what a committed
    # transaction wrote is in the server either way
    db = str(tmp_path / "events.sqlite3") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-m", "airudder.webhooks", "serve", "--no-handle", "--secret", "s3cret", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "AIRUDDER_WEBHOOKS_DB": db},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/s3cret"

        def up() -> bool:
            try:
                httpx.post(url + "/", content=b"")
            except httpx.TransportError:
                return False
            return True

        wait_until(up)
        outcome = asyncio.run(flood_then_kill(url, receiver, acknowledged_before_kill=1500))
        assert receiver.wait(30) == -signal.SIGKILL
    finally:
        if receiver.poll() is None:
            receiver.kill()
            receiver.wait(30)
    acknowledged: dict[str, int] = outcome["acknowledged"]
    assert outcome["cut_off"] > 0  # the kill found events in the receiver's hands, not an idle process

    store: Any = (
        webhooks.SQLiteEventStore(db) if backend == "sqlite" else webhooks.PostgresEventStore(db)
    )  # reopened after the crash, as the restarted receiver would
    try:
        kept = {event.payload["workflow_id"]: event for event in store.events()}
    finally:
        store.close()
    lost = {w for w in acknowledged if w not in kept}
    assert not lost, f"{len(lost)} acknowledged events lost: {sorted(lost)[:5]}"
    assert all(kept[w].id == event_id for w, event_id in acknowledged.items())
    assert largest_batch(backend, db) > 1  # the events were committed in batches: the kill cut one off


def largest_batch(backend: str, db: str) -> int:
    """The most events one commit stored: a batch's events share their received_at (the commit's clock)."""
    query = "SELECT count(*) AS n FROM {}events GROUP BY received_at ORDER BY n DESC LIMIT 1"
    if backend == "sqlite":
        with sqlite3.connect(db) as conn:
            row = conn.execute(query.format("")).fetchone()
    else:
        import psycopg

        with psycopg.connect(db) as conn:
            row = conn.execute(query.format("airudder_webhooks.")).fetchone()
    assert row is not None
    return int(row[0])
