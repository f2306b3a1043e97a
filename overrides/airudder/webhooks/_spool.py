"""Nothing lost while the database is down: a receiver whose PostgreSQL cannot be reached acknowledges into a local
durable spool (an SQLite file in its data folder, committed before the answer) and drains it into PostgreSQL, in
order and deduped by the store's own event keys, once the database answers again.

    store = SpoolingStore(lambda: PostgresEventStore(url), "/var/lib/airudder/spool.sqlite3")

The database is opened in the background, with backoff (a receiver started while it is down serves at once,
`/readyz` failing until it has been reached). Once an event is spooled, later ones are spooled too until the spool
is empty, so the database receives them in the order they came. An event spooled is answered 2xx with no event id
(`Spooled`): its id is the database's to give when it is drained. The spool's size and age are in the metrics and
in `/readyz`; when neither the database nor the spool can take an event, the store raises `StoreUnavailable` (the
receiver answers 503 in the envelope) within ADD_TIMEOUT seconds plus the spool's own commit.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric

from ._metrics import PREFIX
from ._schema import SchemaBehind, SchemaTooNew
from ._store import DeadLetter, StoredEvent, StoreStats

log = logging.getLogger("airudder.webhooks")

ADD_TIMEOUT = 2.0
"""Seconds an event waits for the database before it is spooled instead."""
DRAIN_BATCH = 200
DELEGATED = frozenset(
    ["find", "requeue", "prune", "beat", "schema_version", "dead_letters_by_id", "remove_dead_letters"]
)
SPOOL_SCHEMA = """
CREATE TABLE IF NOT EXISTS spooled (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS spooled_key ON spooled (key);
CREATE TABLE IF NOT EXISTS spooled_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, field TEXT NOT NULL, reason TEXT NOT NULL, body BLOB NOT NULL,
    source TEXT, received_at REAL NOT NULL);
"""


class StoreUnavailable(RuntimeError):
    """Neither the database nor the spool could keep the event: it is not acknowledged."""


class Spooled(int):
    """The id `add` returns for an event kept in the spool: not the database's id (that comes with the drain)."""


class Spool:
    """The spool file: events and dead letters waiting for the database, oldest first."""

    def __init__(self, path: str) -> None:
        if not os.path.exists(path):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # it holds events: its owner's only
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=3000")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SPOOL_SCHEMA)

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """Keep an event (committed to disk); None when one with its key waits already (a retry)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT INTO spooled (kind, key, payload, received_at) SELECT ?, ?, ?, ?"
                    " WHERE NOT EXISTS (SELECT 1 FROM spooled WHERE key = ?)",
                    (kind, key, json.dumps(payload), time.time(), key),
                )
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO spooled_letters (kind, field, reason, body, source, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (kind, field, reason, body, source, time.time()),
            )

    def oldest(self, limit: int) -> list[tuple[int, str, str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT id, kind, key, payload FROM spooled ORDER BY id LIMIT ?", (limit,))
            return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows.fetchall()]

    def letters(self, limit: int) -> list[tuple[int, str | None, str, str, bytes, str | None]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, kind, field, reason, body, source FROM spooled_letters ORDER BY id LIMIT ?", (limit,)
            )
            return [(r[0], r[1], r[2], r[3], bytes(r[4]), r[5]) for r in rows.fetchall()]

    def remove(self, table: str, row_id: int) -> None:
        with self._lock:
            self._db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))

    def size(self) -> tuple[int, float | None]:
        """Events waiting, and when the oldest was received (None: none)."""
        with self._lock:
            count, oldest = self._db.execute("SELECT count(*), min(received_at) FROM spooled").fetchone()
        return int(count), oldest

    def writable(self) -> str | None:
        """None when the spool can take a write now; else why not."""
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            return f"the spool {self.path} cannot be written: {exc}"
        return None

    def close(self) -> None:
        with self._lock:
            self._db.close()


class SpoolingStore:
    """An `EventStore` over a database that may be away: see the module. Reads and handler calls go to the
    database (and raise StoreUnavailable while it has not been reached); deliveries and dead letters never wait
    for it longer than ADD_TIMEOUT."""

    def __init__(self, open_store: Callable[[], Any], spool_path: str, *, retry_max: float = 30.0) -> None:
        self.spool = Spool(spool_path)
        self._open, self._retry_max = open_store, retry_max
        self.primary: Any | None = None
        self.problem: str | None = "the database has not been reached yet"
        """Why the database is not in use now (None: it is)."""
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="airudder-spool", daemon=True)
        self._thread.start()

    # --- deliveries ---

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """See `EventStore.add`: into the database when it answers within ADD_TIMEOUT and nothing waits in the
        spool; else into the spool (a `Spooled` id)."""
        primary = self.primary
        if primary is not None and self.spool.size()[0] == 0:
            try:
                submit = getattr(primary, "submit", None)
                if submit is not None:
                    result: int | None = submit(kind, key, payload).result(timeout=ADD_TIMEOUT)
                else:
                    result = primary.add(kind, key, payload)
                self.problem = None
                return result
            except Exception as exc:  # away, or slower than ADD_TIMEOUT: the spool keeps it
                self._lost(exc)
        try:
            spooled = self.spool.add(kind, key, payload)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"the database is away ({self.problem}) and the spool failed: {exc}") from exc
        self._wake.set()
        return Spooled(spooled) if spooled is not None else None

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        """See `EventStore.dead_letter`: spooled like events while the database is away."""
        if self.primary is not None and self.spool.size()[0] == 0:
            try:
                self.primary.dead_letter(kind, field, reason, body, source)
                return
            except Exception as exc:
                self._lost(exc)
        try:
            self.spool.dead_letter(kind, field, reason, body, source)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"the database is away and the spool failed: {exc}") from exc
        self._wake.set()

    def _lost(self, exc: BaseException) -> None:
        if self.problem is None:
            log.warning("the database does not answer (%s): spooling into %s", _why(exc), self.spool.path)
        self.problem = _why(exc)
        self._wake.set()

    # --- everything else goes to the database ---

    def _db(self) -> Any:
        if self.primary is None:
            raise StoreUnavailable(f"the database is not in use yet: {self.problem}")
        return self.primary

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        return bool(self._db().claim(event_id, interrupted_after))

    def take(
        self,
        kinds: Collection[str],
        limit: int = 1,
        interrupted_after: float | None = None,
        failed_after: float | None = None,
    ) -> list[StoredEvent]:
        return list(self._db().take(kinds, limit, interrupted_after, failed_after))

    def finish(self, event_id: int, error: str | None, *, retry_at: float | None = None, dead: bool = False) -> None:
        self._db().finish(event_id, error, retry_at=retry_at, dead=dead)

    def events(self, state: str | None = None) -> list[StoredEvent]:
        return list(self._db().events(state))

    def dead_letters(self) -> list[DeadLetter]:
        return list(self._db().dead_letters())

    def stats(self) -> StoreStats:
        return self._db().stats()  # type: ignore[no-any-return]

    def check(self) -> None:
        """Ready when the database answers with a current schema, or, once it has been reached, while the spool
        takes the events it cannot; a schema ahead of this code is never ready."""
        if self.primary is None:
            raise StoreUnavailable(f"the database has not been reached yet: {self.problem}")
        try:
            self.primary.check()
        except (SchemaTooNew, SchemaBehind):
            raise
        except Exception as exc:
            self._lost(exc)
            unwritable = self.spool.writable()
            if unwritable is not None:
                raise StoreUnavailable(f"the database is away ({_why(exc)}) and {unwritable}") from None

    def __getattr__(self, name: str) -> Any:  # the operator's calls: the database's
        if name not in DELEGATED:
            raise AttributeError(name)
        return getattr(self._db(), name)

    # --- the spool's metrics and readiness detail ---

    def metric_families(self) -> Iterator[Metric]:
        count, oldest = self.spool.size()
        yield GaugeMetricFamily(
            f"{PREFIX}_spool_events", "Events in the local spool, waiting for the database", value=count
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_spool_oldest_age_seconds",
            "Seconds since the oldest spooled event was received (0: the spool is empty)",
            value=max(time.time() - oldest, 0) if oldest is not None else 0,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_database_up",
            "1 when the database took the last call made to it",
            value=int(self.problem is None),
        )

    def detail(self) -> dict[str, Any]:
        count, oldest = self.spool.size()
        return {
            "database": "up" if self.problem is None else self.problem,
            "spool_events": count,
            "spool_oldest_age_seconds": max(time.time() - oldest, 0) if oldest is not None else None,
        }

    # --- the background: open the database, then drain ---

    def _run(self) -> None:
        delay = 1.0
        while not self._stop.is_set() and self.primary is None:
            try:
                self.primary = self._open()
                self.problem = None
                log.info("the database is reached")
            except Exception as exc:
                self.problem = _why(exc)
                log.warning("cannot open the database (%s); trying again in %.0f s", self.problem, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self._retry_max)
        delay = 1.0
        while not self._stop.is_set():
            try:
                drained = self.drain()
            except Exception as exc:
                self._lost(exc)
                self._stop.wait(delay)
                delay = min(delay * 2, self._retry_max)
                self._reopen()
                continue
            delay = 1.0
            if not drained:
                self._wake.wait(1.0)
                self._wake.clear()

    def _reopen(self) -> None:
        """A new store in place of one that failed: a pool whose connections broke in a long outage waits longer
        and longer between reconnections (minutes), while a new one connects as soon as the database answers."""
        try:
            fresh = self._open()
        except Exception:
            return  # still away: the next round tries again
        old, self.primary = self.primary, fresh
        if old is not None:
            threading.Thread(target=old.close, name="airudder-spool-close", daemon=True).start()

    def drain(self) -> int:
        """Move what the spool holds into the database, oldest first; how many moved (raises when it is away)."""
        primary, moved = self._db(), 0
        for row_id, kind, field, reason, body, source in self.spool.letters(DRAIN_BATCH):
            primary.dead_letter(kind, field, reason, body, source)
            self.spool.remove("spooled_letters", row_id)
            moved += 1
        for row_id, kind, key, payload in self.spool.oldest(DRAIN_BATCH):
            primary.add(kind, key, payload)  # a duplicate (None) of one kept before is dropped: deduped
            self.spool.remove("spooled", row_id)  # after the commit: a crash in between re-adds, deduped
            moved += 1
        if moved and self.problem is not None:
            log.info("the database answers again: draining the spool")
        if moved:
            self.problem = None
            if self.spool.size()[0] == 0:
                log.info("the spool is drained")
        return moved

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(10)
        self.spool.close()
        if self.primary is not None:
            self.primary.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, FutureTimeout):
        return "no answer within the timeout"
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else 'no detail'}"
