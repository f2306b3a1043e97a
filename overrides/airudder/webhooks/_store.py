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

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    claimed_at REAL);
CREATE INDEX IF NOT EXISTS events_state ON events (state);
CREATE INDEX IF NOT EXISTS events_key ON events (key, received_at);
CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT, received_at REAL NOT NULL, kind TEXT, field TEXT NOT NULL,
    reason TEXT NOT NULL, body BLOB NOT NULL, source TEXT);
"""

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
EVENT_COLUMNS = "id, kind, payload, state, attempts, last_error, claimed_at"
TAKEABLE = (
    "(state = 'pending' OR (state = 'failed' AND claimed_at < {failed}) OR (state = 'handling' AND claimed_at < {cut}))"
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
    """`pending` (not handled yet), `handling`, `handled`, or `failed` (the handler raised; see last_error)."""
    attempts: int
    last_error: str | None
    claimed_at: float | None
    """When a handler last took the event: a `handling` event claimed long ago was cut off (a crash)."""


@dataclass(frozen=True)
class DeadLetter:
    id: int
    kind: str | None
    field: str
    reason: str
    body: bytes
    source: str | None


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

    def finish(self, event_id: int, error: str | None) -> None:
        """Mark a claimed event handled (`error` None) or failed (its handler's error), to be retried."""

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
    ) -> None:
        self.dedupe_window = dedupe_window
        self._lock = threading.Lock()
        _private_file(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
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
        takeable = TAKEABLE.format(failed="?", cut="?")
        with self._lock:  # one statement: SQLite lets one writer at a time in, across processes too
            rows = self._db.execute(
                "UPDATE events SET state = 'handling', attempts = attempts + 1, claimed_at = ? WHERE id IN ("
                f" SELECT id FROM events WHERE kind IN ({', '.join('?' * len(kinds))}) AND {takeable}"
                f" ORDER BY id LIMIT ?) RETURNING {EVENT_COLUMNS}",
                (now, *kinds, cutoff(now, failed_after), cutoff(now, interrupted_after), limit),
            ).fetchall()
        return sorted((_event(r) for r in rows), key=lambda e: e.id)

    def finish(self, event_id: int, error: str | None) -> None:
        """See `EventStore.finish`."""
        with self._lock:
            self._db.execute(
                "UPDATE events SET state = ?, last_error = ? WHERE id = ?",
                ("failed" if error else "handled", error, event_id),
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
            rows = self._db.execute("SELECT id, kind, field, reason, body, source FROM dead_letters ORDER BY id")
            return [DeadLetter(r[0], r[1], r[2], r[3], bytes(r[4]), r[5]) for r in rows.fetchall()]

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
    return StoredEvent(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6])
