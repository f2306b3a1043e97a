"""Where received webhooks are kept: every valid event once (by its natural identity), every invalid body in a
dead-letter table. SQLite by default; anything with the `EventStore` shape can stand in.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

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

_now = time.time


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
        """Keep a refused body (with the field at fault and why) for inspection; never raises for its content."""

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        """Take an event for handling; False when it is handled or being handled already.

        With `interrupted_after` (seconds), an event `handling` since longer than that is taken again.
        """

    def finish(self, event_id: int, error: str | None) -> None:
        """Mark a claimed event handled (`error` None) or failed (its handler's error), to be retried."""

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """The events kept, oldest first; only those in `state` (pending, handling, handled, failed) when given."""

    def dead_letters(self) -> list[DeadLetter]:
        """The refused bodies kept, oldest first."""


class SQLiteEventStore:
    """The default store: one SQLite file (or `:memory:`), committed before the receiver answers.

    Safe to share between threads and, through one file, between processes (several workers of one app).
    """

    def __init__(self, path: str = ":memory:", dedupe_window: float = DEDUPE_WINDOW) -> None:
        self.dedupe_window = dedupe_window
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA synchronous=FULL")
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """See `EventStore.add`: kept in one immediate transaction, retries within the dedupe window are not."""
        now, text = _now(), json.dumps(payload)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the check and the insert as one step, across processes too
            try:
                seen = self._db.execute(
                    "SELECT 1 FROM events WHERE key = ? AND received_at > ?", (key, now - self.dedupe_window)
                ).fetchone()
                cursor = None
                if seen is None:
                    cursor = self._db.execute(
                        "INSERT INTO events (kind, key, payload, received_at, state) VALUES (?, ?, ?, ?, 'pending')",
                        (kind, key, text, now),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            return cursor.lastrowid if cursor else None

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        """See `EventStore.dead_letter`."""
        with self._lock:
            self._db.execute(
                "INSERT INTO dead_letters (received_at, kind, field, reason, body, source) VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), kind, field, reason, body, source),
            )

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        """See `EventStore.claim`."""
        now = _now()
        cutoff = now - interrupted_after if interrupted_after is not None else float("-inf")
        with self._lock:
            cursor = self._db.execute(
                "UPDATE events SET state = 'handling', attempts = attempts + 1, claimed_at = ?"
                " WHERE id = ? AND (state IN ('pending', 'failed') OR (state = 'handling' AND claimed_at < ?))",
                (now, event_id, cutoff),
            )
            return cursor.rowcount == 1

    def finish(self, event_id: int, error: str | None) -> None:
        """See `EventStore.finish`."""
        with self._lock:
            self._db.execute(
                "UPDATE events SET state = ?, last_error = ? WHERE id = ?",
                ("failed" if error else "handled", error, event_id),
            )

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """See `EventStore.events`."""
        sql = "SELECT id, kind, payload, state, attempts, last_error, claimed_at FROM events"
        with self._lock:
            rows = self._db.execute(
                sql + (" WHERE state = ?" if state else "") + " ORDER BY id", (state,) if state else ()
            )
            return [StoredEvent(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5], r[6]) for r in rows.fetchall()]

    def dead_letters(self) -> list[DeadLetter]:
        """See `EventStore.dead_letters`."""
        with self._lock:
            rows = self._db.execute("SELECT id, kind, field, reason, body, source FROM dead_letters ORDER BY id")
            return [DeadLetter(r[0], r[1], r[2], r[3], bytes(r[4]), r[5]) for r in rows.fetchall()]
