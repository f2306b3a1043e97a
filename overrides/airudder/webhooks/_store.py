"""Where received webhooks are kept: every valid event once (by its natural identity), every invalid body in a
dead-letter table. SQLite by default, PostgreSQL (`PostgresEventStore`) for several hosts; anything with the
`EventStore` shape can stand in.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ._group_commit import GroupCommit
from ._schema import STATES, check_sqlite, migrate_sqlite, sqlite_version

DEDUPE_WINDOW = 30 * 60.0
"""Seconds during which an event's key marks a delivery as a retry of it. AIRudder retries every minute, at most
5 times, so its retries fall well inside; the same key later is a new event (a status that came back), not lost."""

MAX_DEAD_LETTERS = 10_000
MAX_DEAD_LETTER_BYTES = 64 * 1024 * 1024
"""Dead letters kept at most, by count and by the bytes of their bodies: past either, the oldest are dropped, so a
flood of bad bodies cannot fill the disk. Every store has the same caps."""

log = logging.getLogger("airudder.webhooks")
_now = time.time

# Columns a StoredEvent is read from, in its fields' order; and the one condition every store uses to pick an
# event a handler may take: waiting, failed long enough ago, or `handling` since longer than a handler runs.
EVENT_COLUMNS = "id, kind, payload, state, attempts, last_error, claimed_at, received_at, handled_at, retry_at"
DEAD_LETTER_COLUMNS = "id, kind, field, reason, body, source, received_at"
TAKEABLE = (
    "(state = 'pending' OR (state = 'failed' AND claimed_at < {failed} AND (retry_at IS NULL OR retry_at <= {now}))"
    " OR (state = 'handling' AND claimed_at < {cut}))"
)
# Drops the oldest dead letters beyond either cap: the newest are kept while both running totals stay inside.
TRIM_DEAD_LETTERS = """
DELETE FROM {table} WHERE id <= (
    SELECT max(id) FROM (
        SELECT id, row_number() OVER newest AS n, sum({length}(body)) OVER newest AS total FROM {table}
        WINDOW newest AS (ORDER BY id DESC)) AS kept
    WHERE n > {count} OR total > {size})
"""


@dataclass(frozen=True)
class StoredEvent:
    id: int
    kind: str
    payload: Any
    state: str
    """`pending` (not handled yet), `handling`, `handled`, `failed` (the handler raised; see last_error; tried
    again at `retry_at`), or `dead` (it failed its last allowed attempt: only a person retries it)."""
    attempts: int
    last_error: str | None
    claimed_at: float | None
    """When a handler last took the event: a `handling` event claimed long ago was cut off (a crash)."""
    received_at: float | None = None
    handled_at: float | None = None
    retry_at: float | None = None
    """When a `failed` event is tried next (None: as soon as a worker's `retry_after` allows)."""


@dataclass(frozen=True)
class DeadLetter:
    id: int
    kind: str | None
    field: str
    reason: str
    body: bytes
    source: str | None
    received_at: float | None = None


@dataclass(frozen=True)
class WorkerBeat:
    """A worker's last heartbeat: when it beat, and the events it had in hand then."""

    worker: str
    started_at: float
    beat_at: float
    holding: tuple[int, ...]


@dataclass(frozen=True)
class StoreStats:
    """What an operator watches: the events by state, the oldest waiting one, the dead letters, the workers."""

    backlog: dict[str, int]
    """Events by state, every state present (0 where none)."""
    oldest_pending: float | None
    """When the oldest `pending` event was received (None: none waits)."""
    dead_letters: int
    workers: list[WorkerBeat]


PRUNE_BATCH = 500
"""Rows deleted per transaction when pruning: short transactions, so receivers and workers are never held up."""


class EventStore(Protocol):
    """Where a `WebhookReceiver` keeps events before it answers: implement this for a store of your own."""

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """Keep an event durably; its id, or None when it is a retry (an event with this key was kept lately).

        Called from worker threads (never on the event loop), so it must be thread-safe.
        """

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        """Keep a refused body (with the field at fault and why) for inspection; never raises for its content.
        Past MAX_DEAD_LETTERS or MAX_DEAD_LETTER_BYTES the oldest go."""

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        """Take an event for handling; False when it is handled or being handled already.

        With `interrupted_after` (seconds), an event `handling` since longer than that is taken again.
        """

    def take(
        self,
        kinds: Collection[str],
        limit: int = 1,
        interrupted_after: float | None = None,
        failed_after: float | None = None,
    ) -> list[StoredEvent]:
        """Claim up to `limit` waiting events of these kinds, oldest first, for a worker: each goes to one taker.

        `pending` events always; `failed` ones whose last attempt is over `failed_after` seconds old; `handling`
        ones claimed over `interrupted_after` seconds ago (cut off by a crash). None leaves those out.
        """

    def finish(self, event_id: int, error: str | None, *, retry_at: float | None = None, dead: bool = False) -> None:
        """Mark a claimed event handled (`error` None), or failed (its handler's error): to be tried again (not
        before `retry_at`, a time, when given), or `dead` (no more attempts) when `dead` is True."""

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """The events kept, oldest first; only those in `state` (pending, handling, handled, failed) when given."""

    def dead_letters(self) -> list[DeadLetter]:
        """The refused bodies kept, oldest first."""


@runtime_checkable
class GroupCommitStore(EventStore, Protocol):
    """A store that takes events without a thread waiting on each: the receiver awaits the future instead."""

    def submit(self, kind: str, key: str, payload: Any) -> Future[int | None]:
        """`add`, returning at once: the future resolves to what `add` returns once the event is committed."""


def cutoff(now: float, seconds: float | None) -> float:
    """The claim time before which an event counts as overdue; none is when `seconds` is None."""
    return now - seconds if seconds is not None else float("-inf")


class DroppedLetters:
    """Logs the dead letters a cap dropped: at once the first time, then at most once a minute (a flood of bad
    bodies drops one per body)."""

    def __init__(self, store: str, count: int, size: int) -> None:
        self.store, self.count, self.size = store, count, size
        self._dropped, self._logged_at = 0, float("-inf")
        self._lock = threading.Lock()

    def add(self, dropped: int) -> None:
        if dropped <= 0:
            return
        with self._lock:
            self._dropped += dropped
            if time.monotonic() - self._logged_at < 60:
                return
            dropped, self._dropped, self._logged_at = self._dropped, 0, time.monotonic()
        log.warning(
            "%s: dead letters are capped at %d letters and %d bytes; dropped the %d oldest",
            self.store,
            self.count,
            self.size,
            dropped,
        )


def _private_file(path: str) -> None:
    """Create the database file readable by its owner only (it holds every event); SQLite gives its -wal and
    -shm files the same mode. An existing file keeps its mode."""
    if path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


class SQLiteEventStore:
    """The default store: one SQLite file (or `:memory:`), committed before the receiver answers.

    Safe to share between threads and, through one file, between processes (several workers of one app).
    A new file is created readable by its owner only (0600).
    """

    def __init__(
        self,
        path: str = ":memory:",
        dedupe_window: float = DEDUPE_WINDOW,
        max_dead_letters: int = MAX_DEAD_LETTERS,
        max_dead_letter_bytes: int = MAX_DEAD_LETTER_BYTES,
        migrate: bool = True,
    ) -> None:
        """`migrate=False` refuses a file whose schema is older than this code's instead of migrating it."""
        self.dedupe_window = dedupe_window
        self._lock = threading.Lock()
        _private_file(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._where = f"SQLite {path}"
        migrate_sqlite(self._db, self._where, migrate)
        self._trim = TRIM_DEAD_LETTERS.format(table="dead_letters", length="length", count="?", size="?")
        self._caps = (max_dead_letters, max_dead_letter_bytes)
        self._dropped = DroppedLetters(f"SQLite {path}", max_dead_letters, max_dead_letter_bytes)
        self._writes = GroupCommit(self._commit, "airudder-sqlite-writer", unavailable=(sqlite3.OperationalError,))

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """See `EventStore.add`: waits for the group commit that stores the event (`submit`)."""
        return self.submit(kind, key, payload).result()

    def submit(self, kind: str, key: str, payload: Any) -> Future[int | None]:
        """See `GroupCommitStore.submit`: the store's one writer commits every event waiting in one transaction."""
        return self._writes.submit(_Pending(kind, key, json.dumps(payload)))

    def _commit(self, batch: Sequence[_Pending]) -> list[int | None]:
        now, ids = _now(), []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the checks and the inserts as one step, across processes too
            try:
                for event in batch:  # in order: a retry in the same batch sees the first delivery's row
                    cursor = self._db.execute(
                        "INSERT INTO events (kind, key, payload, received_at, state) SELECT ?, ?, ?, ?, 'pending'"
                        " WHERE NOT EXISTS (SELECT 1 FROM events WHERE key = ? AND received_at > ?)",
                        (event.kind, event.key, event.text, now, event.key, now - self.dedupe_window),
                    )
                    ids.append(cursor.lastrowid if cursor.rowcount == 1 else None)
                self._db.execute("COMMIT")  # one fsync for the batch (synchronous=FULL)
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        return ids

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        """See `EventStore.dead_letter`."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO dead_letters (received_at, kind, field, reason, body, source)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (_now(), kind, field, reason, body, source),
                )
                dropped = self._db.execute(self._trim, self._caps).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        self._dropped.add(dropped)

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        """See `EventStore.claim`."""
        now = _now()
        with self._lock:
            cursor = self._db.execute(
                "UPDATE events SET state = 'handling', attempts = attempts + 1, claimed_at = ?"
                " WHERE id = ? AND (state IN ('pending', 'failed') OR (state = 'handling' AND claimed_at < ?))",
                (now, event_id, cutoff(now, interrupted_after)),
            )
            return cursor.rowcount == 1

    def take(
        self,
        kinds: Collection[str],
        limit: int = 1,
        interrupted_after: float | None = None,
        failed_after: float | None = None,
    ) -> list[StoredEvent]:
        """See `EventStore.take`: one UPDATE ... RETURNING, one writer at a time."""
        now, kinds = _now(), list(kinds)
        takeable = TAKEABLE.format(failed="?", now="?", cut="?")
        with self._lock:  # one statement: SQLite lets one writer at a time in, across processes too
            rows = self._db.execute(
                "UPDATE events SET state = 'handling', attempts = attempts + 1, claimed_at = ? WHERE id IN ("
                f" SELECT id FROM events WHERE kind IN ({', '.join('?' * len(kinds))}) AND {takeable}"
                f" ORDER BY id LIMIT ?) RETURNING {EVENT_COLUMNS}",
                (now, *kinds, cutoff(now, failed_after), now, cutoff(now, interrupted_after), limit),
            ).fetchall()
        return sorted((_event(r) for r in rows), key=lambda e: e.id)

    def finish(self, event_id: int, error: str | None, *, retry_at: float | None = None, dead: bool = False) -> None:
        """See `EventStore.finish`."""
        state, now = finished_state(error, dead), _now()
        with self._lock:
            self._db.execute(
                "UPDATE events SET state = ?, last_error = ?, handled_at = ?, retry_at = ? WHERE id = ?",
                (state, error, now if state == "handled" else None, retry_at, event_id),
            )

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """See `EventStore.events`."""
        sql = f"SELECT {EVENT_COLUMNS} FROM events"
        with self._lock:
            rows = self._db.execute(
                sql + (" WHERE state = ?" if state else "") + " ORDER BY id", (state,) if state else ()
            )
            return [_event(r) for r in rows.fetchall()]

    def dead_letters(self) -> list[DeadLetter]:
        """See `EventStore.dead_letters`."""
        with self._lock:
            rows = self._db.execute(f"SELECT {DEAD_LETTER_COLUMNS} FROM dead_letters ORDER BY id")
            return [dead_letter_of(r) for r in rows.fetchall()]

    def check(self) -> None:
        """Raises unless the store answers and its schema is the one this code knows (what `/readyz` asks)."""
        with self._lock:
            check_sqlite(self._db, self._where)

    def schema_version(self) -> int:
        """The version of the file's schema (its last migration applied)."""
        with self._lock:
            return sqlite_version(self._db)

    def stats(self) -> StoreStats:
        """See `StoreStats`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT state, count(*), min(CASE WHEN state = 'pending' THEN received_at END) FROM events"
                " GROUP BY state"
            ).fetchall()
            (letters,) = self._db.execute("SELECT count(*) FROM dead_letters").fetchone()
            beats = self._db.execute("SELECT worker, started_at, beat_at, holding FROM workers ORDER BY worker")
            workers = [WorkerBeat(w, started, beat, tuple(json.loads(held))) for w, started, beat, held in beats]
        return stats_of(rows, letters, workers)

    def beat(self, worker: str, holding: Collection[int] | None) -> None:
        """Record a worker's heartbeat and the events it holds; `holding=None`: it stopped (its beat goes)."""
        now = _now()
        with self._lock:
            if holding is None:
                self._db.execute("DELETE FROM workers WHERE worker = ?", (worker,))
            else:
                self._db.execute(
                    "INSERT INTO workers (worker, started_at, beat_at, holding) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (worker) DO UPDATE SET beat_at = excluded.beat_at, holding = excluded.holding",
                    (worker, now, now, json.dumps(sorted(holding))),
                )

    def find(
        self,
        *,
        ids: Collection[int] = (),
        states: Collection[str] = (),
        kinds: Collection[str] = (),
        since: float | None = None,
        until: float | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The events that match every filter given (received in [since, until)), oldest first."""
        where, params = event_filter("?", ids, states, kinds, since, until)
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY id"
        with self._lock:
            rows = self._db.execute(sql + (f" LIMIT {int(limit)}" if limit is not None else ""), params)
            return [_event(r) for r in rows.fetchall()]

    def requeue(self, ids: Collection[int]) -> list[int]:
        """Make these events `pending` again, their attempts from 0 (any state but `handling`: one a worker holds
        is left alone); the ids requeued."""
        marks = ", ".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                "UPDATE events SET state = 'pending', attempts = 0, retry_at = NULL, claimed_at = NULL,"
                f" handled_at = NULL WHERE id IN ({marks}) AND state <> 'handling' RETURNING id",
                list(ids),
            ).fetchall()
        return sorted(r[0] for r in rows)

    def prune(self, handled_older_than: float, *, dry_run: bool = False, batch: int = PRUNE_BATCH) -> int:
        """Delete the events handled more than `handled_older_than` seconds ago, never one received within the
        dedupe window (it still marks retries), `batch` rows per transaction; how many went (or would go)."""
        now = _now()
        params = (now - handled_older_than, now - self.dedupe_window)
        prunable = "state = 'handled' AND coalesce(handled_at, received_at) < ? AND received_at < ?"
        if dry_run:
            with self._lock:
                return int(self._db.execute(f"SELECT count(*) FROM events WHERE {prunable}", params).fetchone()[0])
        pruned = 0
        while True:
            with self._lock:  # the lock is let go between batches: deliveries go in between
                deleted = self._db.execute(
                    f"DELETE FROM events WHERE id IN (SELECT id FROM events WHERE {prunable} ORDER BY id LIMIT ?)",
                    (*params, batch),
                ).rowcount
            pruned += deleted
            if deleted < batch:
                return pruned

    def dead_letters_by_id(self, ids: Collection[int]) -> list[DeadLetter]:
        """The dead letters with these ids, oldest first."""
        marks = ", ".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {DEAD_LETTER_COLUMNS} FROM dead_letters WHERE id IN ({marks}) ORDER BY id", list(ids)
            )
            return [dead_letter_of(r) for r in rows.fetchall()]

    def remove_dead_letters(self, ids: Collection[int]) -> int:
        """Delete these dead letters; how many there were."""
        marks = ", ".join("?" * len(ids))
        with self._lock:
            return self._db.execute(f"DELETE FROM dead_letters WHERE id IN ({marks})", list(ids)).rowcount

    def close(self) -> None:
        """Commit the events waiting, then close the database connection."""
        self._writes.close()
        with self._lock:
            self._db.close()


@dataclass
class _Pending:
    """An event waiting for the group commit that stores it."""

    kind: str
    key: str
    text: str


def _event(row: Any) -> StoredEvent:
    return StoredEvent(row[0], row[1], json.loads(row[2]), *row[3:])


def dead_letter_of(row: Any) -> DeadLetter:
    return DeadLetter(row[0], row[1], row[2], row[3], bytes(row[4]), row[5], row[6])


def stats_of(rows: Any, dead_letters: int, workers: list[WorkerBeat]) -> StoreStats:
    """StoreStats from rows of (state, count, oldest pending received_at)."""
    backlog, oldest = dict.fromkeys(STATES, 0), None
    for state, count, pending_since in rows:
        backlog[state] = int(count)
        oldest = pending_since if pending_since is not None else oldest
    return StoreStats(backlog, oldest, int(dead_letters), workers)


def event_filter(
    mark: str,
    ids: Collection[int],
    states: Collection[str],
    kinds: Collection[str],
    since: float | None,
    until: float | None,
) -> tuple[str, list[Any]]:
    """A WHERE clause (with `mark` as the placeholder) and its parameters for `find`."""
    clauses, params = ["1 = 1"], []
    for column, values in (("id", ids), ("state", states), ("kind", kinds)):
        if values:
            clauses.append(f"{column} IN ({', '.join([mark] * len(values))})")
            params += list(values)
    for condition, value in (("received_at >= ", since), ("received_at < ", until)):
        if value is not None:
            clauses.append(condition + mark)
            params.append(value)
    return " AND ".join(clauses), params


def finished_state(error: str | None, dead: bool) -> str:
    """The state `finish` leaves an event in."""
    if error is None:
        return "handled"
    return "dead" if dead else "failed"
