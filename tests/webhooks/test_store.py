"""One suite for every event store: SQLite and PostgreSQL (a real server) must behave the same."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from airudder import webhooks
from airudder.webhooks import _store

MakeStore = Callable[..., Any]
STATUS = {"workflow_id": "w1", "status": "running", "actions": []}


@pytest.fixture(params=["sqlite", "postgres"])
def make_store(request: pytest.FixtureRequest, tmp_path: Any) -> MakeStore:
    """Opens a store on one database: each call is another process's view of the same events."""
    opened: list[Any] = []
    if request.param == "sqlite":
        path = str(tmp_path / "events.sqlite3")

        def make(**options: Any) -> Any:
            opened.append(webhooks.SQLiteEventStore(path, **options))
            return opened[-1]
    else:
        url, schema = request.getfixturevalue("postgres_url"), f"s_{uuid.uuid4().hex[:8]}"

        def make(**options: Any) -> Any:
            opened.append(webhooks.PostgresEventStore(url, schema=schema, **options))
            return opened[-1]

    request.addfinalizer(lambda: [store.close() for store in opened])
    return make


def key(n: int | str) -> str:
    return webhooks.event_key("workflow_status_changed", {**STATUS, "workflow_id": f"w{n}"})


def add(store: Any, n: int | str, kind: str = "workflow_status_changed") -> int:
    event_id = store.add(kind, key(n), {**STATUS, "workflow_id": f"w{n}"})
    assert event_id is not None
    return int(event_id)


def test_an_event_is_kept_with_its_payload_and_seen_by_every_process(make_store: MakeStore) -> None:
    payload = {"workflow_id": "wé", "nested": {"list": [1, 2.5, None, True]}, "text": "\u2018quoted\u2019 and a \u0000"}
    first = make_store()
    event_id = first.add("workflow_status_changed", "k1", payload)
    [event] = make_store().events()
    assert (event.id, event.kind, event.payload, event.state, event.attempts) == (
        event_id,
        "workflow_status_changed",
        payload,
        "pending",
        0,
    )


def test_a_retry_within_the_window_is_a_duplicate_and_after_it_a_new_event(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store(dedupe_window=600)
    first = store.add("workflow_status_changed", key(1), STATUS)
    now[0] += 5 * 60  # AIRudder's last retry
    assert first is not None and make_store(dedupe_window=600).add("workflow_status_changed", key(1), STATUS) is None
    now[0] += 600  # the workflow comes back to the same status, long after: not a retry
    assert store.add("workflow_status_changed", key(1), STATUS) not in (None, first)
    now[0] += 60  # and a retry of that one is a duplicate again
    assert store.add("workflow_status_changed", key(1), STATUS) is None
    assert len(store.events()) == 2


def test_concurrent_deliveries_of_one_event_through_several_stores_keep_it_once(make_store: MakeStore) -> None:
    stores = [make_store() for _ in range(4)]
    barrier = threading.Barrier(8)

    def deliver(n: int) -> list[int | None]:
        barrier.wait(30)
        return [stores[n % 4].add("workflow_status_changed", key(e), STATUS) for e in range(25)]

    with ThreadPoolExecutor(8) as pool:
        answers = [a for batch in pool.map(deliver, range(8)) for a in batch]
    kept = [a for a in answers if a is not None]
    assert len(kept) == 25 and len(set(kept)) == 25 and len(stores[0].events()) == 25


def test_claim_takes_an_event_once_and_takes_it_again_only_after_a_crash_bound(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store, other = make_store(), make_store()
    event_id = add(store, 1)
    assert store.claim(event_id) and not other.claim(event_id) and not other.claim(event_id, interrupted_after=30)
    now[0] += 31  # the claimer died mid-handler
    assert other.claim(event_id, interrupted_after=30)
    other.finish(event_id, None)
    assert not store.claim(event_id, interrupted_after=0)
    [event] = store.events("handled")
    assert (event.state, event.attempts, event.last_error) == ("handled", 2, None)


def test_take_hands_waiting_events_out_oldest_first_of_the_kinds_asked_for(make_store: MakeStore) -> None:
    store = make_store()
    ids = [add(store, n) for n in range(3)]
    other = store.add("call_completed", "c1", {"call_id": "c1"})
    taken = store.take(["workflow_status_changed"], limit=2)
    assert [e.id for e in taken] == ids[:2] and {e.state for e in taken} == {"handling"}
    assert [e.id for e in store.take(["workflow_status_changed"], limit=5)] == ids[2:]
    assert store.take(["workflow_status_changed"]) == []
    assert [e.id for e in store.take(["call_completed", "workflow_status_changed"], limit=5)] == [other]


def test_take_returns_failed_and_cut_off_events_only_after_their_bounds(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store()
    failed, cut_off = add(store, 1), add(store, 2)
    assert [e.id for e in store.take(["workflow_status_changed"], limit=2)] == [failed, cut_off]
    store.finish(failed, "RuntimeError: down")
    kinds = ["workflow_status_changed"]
    assert store.take(kinds, 5, interrupted_after=300, failed_after=60) == []
    now[0] += 61
    [again] = store.take(kinds, 5, interrupted_after=300, failed_after=60)
    assert (again.id, again.attempts, again.last_error) == (failed, 2, "RuntimeError: down")
    assert store.take(kinds, 5, interrupted_after=None, failed_after=None) == []
    now[0] += 300
    assert [e.id for e in store.take(kinds, 5, interrupted_after=300)] == [cut_off]


def test_concurrent_takers_through_several_stores_get_each_event_once(make_store: MakeStore) -> None:
    store = make_store()
    ids = {add(store, n) for n in range(200)}
    takers = [make_store() for _ in range(4)]

    def drain(n: int) -> list[int]:
        got: list[int] = []
        while taken := takers[n].take(["workflow_status_changed"], limit=3):
            got += [e.id for e in taken]
            for event in taken:
                takers[n].finish(event.id, None)
        return got

    with ThreadPoolExecutor(4) as pool:
        got = [i for batch in pool.map(drain, range(4)) for i in batch]
    assert sorted(got) == sorted(ids)
    assert {e.state for e in store.events()} == {"handled"}


def test_events_lists_by_state(make_store: MakeStore) -> None:
    store = make_store()
    done, failed, waiting = add(store, 1), add(store, 2), add(store, 3)
    for event_id, error in ((done, None), (failed, "ValueError: no")):
        assert store.claim(event_id)
        store.finish(event_id, error)
    assert [e.id for e in store.events("handled")] == [done]
    assert [(e.id, e.last_error) for e in store.events("failed")] == [(failed, "ValueError: no")]
    assert [e.id for e in store.events("pending")] == [waiting]
    assert [e.id for e in store.events()] == [done, failed, waiting]


def test_dead_letters_are_kept_in_full(make_store: MakeStore) -> None:
    store = make_store()
    store.dead_letter("call_completed", "body", "is not valid JSON", b"\x00\xff{", "203.0.113.9")
    store.dead_letter(None, "kind", "unknown", b"{}", None)
    letters = make_store().dead_letters()
    assert [(d.kind, d.field, d.reason, d.body, d.source) for d in letters] == [
        ("call_completed", "body", "is not valid JSON", b"\x00\xff{", "203.0.113.9"),
        (None, "kind", "unknown", b"{}", None),
    ]


def test_dead_letters_are_capped_by_count_the_oldest_dropped_and_the_cap_logged(
    make_store: MakeStore, caplog: pytest.LogCaptureFixture
) -> None:
    store = make_store(max_dead_letters=5)
    with caplog.at_level(logging.WARNING, logger="airudder.webhooks"):
        for n in range(12):
            store.dead_letter(None, "body", f"bad {n}", b"x", None)
    assert [d.reason for d in store.dead_letters()] == [f"bad {n}" for n in range(7, 12)]
    [logged] = [r.getMessage() for r in caplog.records]  # once, not once per letter dropped
    assert "capped at 5 letters" in logged and "dropped the 1 oldest" in logged


def test_dead_letters_are_capped_by_bytes_the_oldest_dropped(make_store: MakeStore) -> None:
    store = make_store(max_dead_letter_bytes=1000)
    for n in range(6):
        store.dead_letter(None, "body", f"bad {n}", bytes([n]) * 300, None)
    letters = store.dead_letters()
    assert [d.reason for d in letters] == ["bad 3", "bad 4", "bad 5"] and sum(len(d.body) for d in letters) == 900


def test_an_sqlite_file_and_its_journal_are_readable_by_their_owner_only(tmp_path: Any) -> None:
    path = tmp_path / "events.sqlite3"
    store = webhooks.SQLiteEventStore(str(path))
    store.add("workflow_status_changed", key(1), STATUS)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("events.sqlite3")]
    assert {p.name for p in files} >= {"events.sqlite3", "events.sqlite3-wal"}
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    store.close()


def test_the_postgres_schema_records_its_version_and_a_newer_one_is_refused(postgres_url: str) -> None:
    import psycopg

    from airudder.webhooks._postgres import MIGRATIONS, SchemaTooNew

    with ThreadPoolExecutor(4) as pool:  # several processes starting at once migrate once
        stores = list(pool.map(lambda _: webhooks.PostgresEventStore(postgres_url, schema="hooks"), range(4)))
    assert {store.schema_version() for store in stores} == {len(MIGRATIONS)}
    for store in stores:
        store.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM hooks.schema_version").fetchone() == (len(MIGRATIONS),)
        conn.execute("INSERT INTO hooks.schema_version (version) VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(SchemaTooNew, match="upgrade airudder-workflow"):
        webhooks.PostgresEventStore(postgres_url, schema="hooks")


def test_a_postgres_server_that_cannot_be_reached_is_named_in_the_error(postgres_url: str) -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="cannot connect to PostgreSQL"):
        webhooks.PostgresEventStore("postgresql://nobody@127.0.0.1:1/none", connect_timeout=1)


def test_the_postgres_store_carries_on_after_the_server_restarts(postgres: Any, postgres_url: str) -> None:
    store = webhooks.PostgresEventStore(postgres_url, schema="restarted", pool_size=3)
    try:
        for n in range(3):  # every pooled connection open
            add(store, n)
        postgres.restart()  # each of them broken now
        assert add(store, 3) and len(store.events()) == 4 and store.take(["workflow_status_changed"], limit=9)
    finally:
        store.close()
