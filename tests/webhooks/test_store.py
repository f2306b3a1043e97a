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


def test_stats_count_events_by_state_and_tell_the_oldest_pending_and_the_workers(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store()
    first = add(store, 1)
    now[0] += 10
    handled, dead = add(store, 2), add(store, 3)
    for event_id, error in ((handled, None), (dead, "ValueError: no")):
        assert store.claim(event_id)
        store.finish(event_id, error, dead=error is not None)
    store.dead_letter(None, "body", "bad", b"x", None)
    store.beat("host-a:12:x", [first])
    now[0] += 5
    store.beat("host-a:12:x", [])  # a later beat replaces the earlier one, its start kept
    store.beat("host-b:7:y", [handled, first])
    stats = make_store().stats()
    assert stats.backlog == {"pending": 1, "handling": 0, "handled": 1, "failed": 0, "dead": 1}
    assert stats.oldest_pending == 1_000_000.0 and stats.dead_letters == 1
    assert [(w.worker, w.started_at, w.beat_at, w.holding) for w in stats.workers] == [
        ("host-a:12:x", 1_000_010.0, 1_000_015.0, ()),
        ("host-b:7:y", 1_000_015.0, 1_000_015.0, tuple(sorted((handled, first)))),
    ]
    store.beat("host-a:12:x", None)  # stopped: its beat goes
    assert [w.worker for w in store.stats().workers] == ["host-b:7:y"]


def test_finish_records_when_an_event_was_handled_and_when_a_failed_one_is_tried_next(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store()
    done, failing = add(store, 1), add(store, 2)
    kinds = ["workflow_status_changed"]
    assert len(store.take(kinds, limit=2)) == 2
    store.finish(done, None)
    store.finish(failing, "RuntimeError: down", retry_at=now[0] + 600)
    [handled] = store.find(ids=[done])
    assert (handled.state, handled.handled_at, handled.received_at) == ("handled", 1_000_000.0, 1_000_000.0)
    now[0] += 300  # past the worker's base delay, not yet at the event's own retry time
    assert store.take(kinds, 5, failed_after=60) == []
    now[0] += 301
    [again] = store.take(kinds, 5, failed_after=60)
    assert (again.id, again.attempts) == (failing, 2)
    store.finish(failing, "RuntimeError: still down", dead=True)
    now[0] += 10_000
    assert store.take(kinds, 5, failed_after=0, interrupted_after=0) == []  # dead: only a person retries it
    assert [(e.id, e.state, e.last_error) for e in store.find(states=["dead"])] == [
        (failing, "dead", "RuntimeError: still down")
    ]


def test_find_filters_by_id_state_kind_and_time(make_store: MakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store()
    early = add(store, 1)
    now[0] += 100
    late = add(store, 2)
    call = store.add("call_completed", "c1", {"call_id": "c1"})
    assert [e.id for e in store.find(kinds=["workflow_status_changed"])] == [early, late]
    assert [e.id for e in store.find(since=1_000_050.0)] == [late, call]
    assert [e.id for e in store.find(until=1_000_050.0)] == [early]
    assert [e.id for e in store.find(ids=[call, early], states=["pending"])] == [early, call]
    assert [e.id for e in store.find(limit=1)] == [early]
    assert store.find(states=["failed"]) == []


def test_requeue_makes_events_pending_again_but_leaves_one_in_a_workers_hands(make_store: MakeStore) -> None:
    store = make_store()
    dead, handled, held = add(store, 1), add(store, 2), add(store, 3)
    for event_id, error in ((dead, "E: x"), (handled, None)):
        assert store.claim(event_id)
        store.finish(event_id, error, dead=error is not None)
    assert store.claim(held)
    assert store.requeue([dead, handled, held, 999]) == [dead, handled]
    events = {e.id: e for e in store.events()}
    assert [(events[i].state, events[i].attempts, events[i].handled_at) for i in (dead, handled)] == [
        ("pending", 0, None),
        ("pending", 0, None),
    ]
    assert events[held].state == "handling"
    assert [e.id for e in store.take(["workflow_status_changed"], limit=5)] == [dead, handled]


def test_prune_deletes_old_handled_events_in_batches_never_inside_the_dedupe_window(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    store = make_store(dedupe_window=3600)
    old = [add(store, n) for n in range(7)]
    waiting = add(store, "waiting")
    for event_id in old:
        assert store.claim(event_id)
        store.finish(event_id, None)
    now[0] += 600  # handled ten minutes ago, but still inside the dedupe window: kept, it marks retries
    assert store.prune(60, dry_run=True) == 0 and store.prune(60) == 0
    now[0] += 3600
    assert store.prune(86_400) == 0  # handled less than a day ago
    assert store.prune(60, dry_run=True) == 7 and len(store.events()) == 8  # a dry run deletes nothing
    assert store.prune(60, batch=3) == 7
    assert [e.id for e in store.events()] == [waiting]
    assert store.add("workflow_status_changed", key(0), {**STATUS, "workflow_id": "w0"}) is not None


def test_dead_letters_are_found_and_removed_by_id(make_store: MakeStore) -> None:
    store = make_store()
    for n in range(3):
        store.dead_letter(None, "body", f"bad {n}", b"x", None)
    ids = [d.id for d in store.dead_letters()]
    [found] = store.dead_letters_by_id([ids[1]])
    assert (found.reason, found.received_at is not None) == ("bad 1", True)
    assert store.remove_dead_letters([ids[0], ids[2], 12345]) == 2
    assert [d.id for d in store.dead_letters()] == [ids[1]]


def test_a_store_told_not_to_migrate_refuses_an_old_schema_and_check_names_it(make_store: MakeStore) -> None:
    from airudder.webhooks._schema import SchemaBehind

    with pytest.raises(SchemaBehind, match=r"python -m airudder\.webhooks migrate"):
        make_store(migrate=False)  # nothing created yet
    make_store().check()  # migrated: current
    make_store(migrate=False).check()


def test_an_sqlite_file_of_the_first_release_is_migrated_in_place(tmp_path: Any) -> None:
    import sqlite3

    from airudder.webhooks._schema import SQLITE_MIGRATIONS

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(SQLITE_MIGRATIONS[0])
        old.execute(
            "INSERT INTO events (kind, key, payload, received_at, state)"
            " VALUES ('call_completed', 'k', '{}', 1, 'handled')"
        )
    store = webhooks.SQLiteEventStore(str(path))
    assert store.schema_version() == len(SQLITE_MIGRATIONS)
    [event] = store.events()
    assert (event.state, event.handled_at, event.retry_at) == ("handled", None, None)
    assert store.prune(0) == 1  # handled before handled_at was kept: its received time counts
    store.close()
