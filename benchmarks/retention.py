"""retention: what 100,000 events take on disk, and what `prune` gives back. The events go into a throwaway
PostgreSQL server (and an SQLite file) through the store, are handled, and pruned once past the dedupe window; the
database's size is read before, after the events, and after the prune (PostgreSQL: every relation of the store's
schema, indexes and TOAST included; SQLite: the file and its WAL after a checkpoint). The target: the prune gives
back at least half of what the events took (VACUUM is the server's, so PostgreSQL's pages are reused, not freed:
the size after a second batch shows that; see the table)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from airudder import webhooks
from airudder.webhooks import _store
from support.postgres_cluster import throwaway_cluster

from .report import Row

EVENTS, BATCH = 100_000, 1_000
PAYLOAD = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}


def fill(store: Any, start: int) -> None:
    """EVENTS events added through the store by 32 threads (its group commit batches them), then taken and marked
    handled."""

    def add(n: int) -> None:
        payload = {**PAYLOAD, "workflow_id": f"w{n}"}
        store.add("workflow_list_completed", webhooks.event_key("workflow_list_completed", payload), payload)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(add, range(start, start + EVENTS), chunksize=BATCH))
    while taken := store.take(["workflow_list_completed"], limit=BATCH):
        for event in taken:
            store.finish(event.id, None)


def measure(store: Any, size: Callable[[], int]) -> tuple[int, int, int, int]:
    """Sizes: empty, after EVENTS, after pruning them (a day later), after EVENTS more (the space reused)."""
    empty = size()
    fill(store, 0)
    full = size()
    real_now = _store._now
    _store._now = lambda: real_now() + 2 * 86_400  # two days on: past the dedupe window and a 1-day retention
    try:
        store.prune(86_400)
        pruned = size()
        fill(store, EVENTS)
        refilled = size()
    finally:
        _store._now = real_now
    return empty, full, pruned, refilled


def run() -> list[Row]:
    rows = []
    with throwaway_cluster() as cluster:
        store = webhooks.PostgresEventStore(cluster.url(), pool_size=4)
        try:

            def pg_size() -> int:
                query = (
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'airudder_webhooks' AND c.relkind IN ('r', 'm')"
                )
                import psycopg

                with psycopg.connect(cluster.url(), autocommit=True) as conn:
                    conn.execute("VACUUM airudder_webhooks.events, airudder_webhooks.event_keys")
                    return int(conn.execute(query).fetchone()[0])  # type: ignore[index]

            rows.append(row("PostgreSQL", measure(store, pg_size)))
        finally:
            store.close()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.sqlite3"
        sqlite = webhooks.SQLiteEventStore(str(path))
        try:

            def file_size() -> int:
                import sqlite3

                with sqlite3.connect(path) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return sum(p.stat().st_size for p in Path(folder).iterdir() if p.name.startswith(path.name))

            rows.append(row("SQLite", measure(sqlite, file_size)))
        finally:
            sqlite.close()
    return rows


def row(store: str, sizes: tuple[int, int, int, int]) -> Row:
    empty, full, pruned, refilled = sizes
    per_event = (full - empty) / EVENTS
    grown_again = (refilled - pruned) / max(full - empty, 1)
    return Row(
        measure=f"retention, {store}: bytes per event ({EVENTS:,} handled events: {empty:,} -> {full:,} B; pruned "
        f"{pruned:,} B; {EVENTS:,} more {refilled:,} B)",
        ours=f"{per_event:,.0f} B/event",
        baseline=f"second {EVENTS:,} grew it {grown_again:.2f}x the first",
        ratio=grown_again,
        target="the second batch reuses the pruned space (<= 0.5x)",
        met=grown_again <= 0.5,
    )
