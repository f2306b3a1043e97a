"""The PostgreSQL event store: one database shared by any number of receiver and worker processes, on any hosts.

    store = PostgresEventStore("postgresql://user@db.internal/app")   # needs airudder-workflow[postgres]

Dedupe is a unique key upserted in the insert's own statement (never check-then-insert), workers take events with
`FOR UPDATE SKIP LOCKED`, and the tables live in their own schema (`airudder_webhooks` by default), created and
migrated by the store itself under an advisory lock; `schema_version` records each migration applied.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

try:
    import psycopg
    from psycopg import sql
    from psycopg.types.json import Json
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "PostgresEventStore needs psycopg 3 and psycopg_pool: install airudder-workflow[postgres]"
    ) from exc

from . import _store
from ._group_commit import GroupCommit
from ._schema import SchemaBehind, SchemaTooNew, behind, too_new
from ._store import (
    DEAD_LETTER_COLUMNS,
    DEDUPE_WINDOW,
    EVENT_COLUMNS,
    MAX_DEAD_LETTER_BYTES,
    MAX_DEAD_LETTERS,
    PRUNE_BATCH,
    TAKEABLE,
    TRIM_DEAD_LETTERS,
    DeadLetter,
    DroppedLetters,
    StoredEvent,
    StoreStats,
    WorkerBeat,
    cutoff,
    dead_letter_of,
    event_filter,
    finished_state,
    stats_of,
)

__all__ = ["MIGRATIONS", "PostgresEventStore", "SchemaBehind", "SchemaTooNew"]

T = TypeVar("T")
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

MIGRATIONS: list[str] = [
    # 1: events, the keys that dedupe them, dead letters. Payloads are `json`, not `jsonb`: valid JSON such as
    # "\u0000" in a string cannot be jsonb, and an event refused for that would be lost.
    """
    CREATE TABLE {s}.events (
        id bigserial PRIMARY KEY, kind text NOT NULL, key text NOT NULL, payload json NOT NULL,
        received_at double precision NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'handling', 'handled', 'failed')),
        attempts integer NOT NULL DEFAULT 0, last_error text, claimed_at double precision);
    CREATE INDEX events_waiting ON {s}.events (id) WHERE state <> 'handled';
    CREATE INDEX events_state ON {s}.events (state);
    CREATE TABLE {s}.event_keys (key text PRIMARY KEY, received_at double precision NOT NULL);
    CREATE TABLE {s}.dead_letters (
        id bigserial PRIMARY KEY, received_at double precision NOT NULL, kind text, field text NOT NULL,
        reason text NOT NULL, body bytea NOT NULL, source text);
    """,
    # 2: when an event was handled and when a failed one is tried next, the final `dead` state, the workers'
    # heartbeats; indexes that let pruning find old rows without a scan
    """
    ALTER TABLE {s}.events ADD COLUMN handled_at double precision, ADD COLUMN retry_at double precision;
    ALTER TABLE {s}.events DROP CONSTRAINT events_state_check;
    ALTER TABLE {s}.events ADD CONSTRAINT events_state_check
        CHECK (state IN ('pending', 'handling', 'handled', 'failed', 'dead'));
    CREATE INDEX events_handled ON {s}.events (handled_at) WHERE state = 'handled';
    CREATE INDEX event_keys_received ON {s}.event_keys (received_at);
    CREATE TABLE {s}.workers (
        worker text PRIMARY KEY, started_at double precision NOT NULL, beat_at double precision NOT NULL,
        holding bigint[] NOT NULL);
    """,
]
"""Migration n+1 takes the schema from version n to n+1. Append; never edit one that has shipped."""


class PostgresEventStore:
    """Events in PostgreSQL (psycopg 3, a connection pool), committed before the receiver answers.

    `conninfo` is a libpq URL or key=value string (passwords are best left to PGPASSWORD or ~/.pgpass).
    The store waits up to `connect_timeout` seconds for its first connection and raises `psycopg.OperationalError`
    naming the reason when none comes.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "airudder_webhooks",
        dedupe_window: float = DEDUPE_WINDOW,
        max_dead_letters: int = MAX_DEAD_LETTERS,
        max_dead_letter_bytes: int = MAX_DEAD_LETTER_BYTES,
        pool_size: int = 8,
        connect_timeout: float = 30,
        migrate: bool = True,
        wait_timeout: float = 30,
    ) -> None:
        """`migrate=False` (a role without CREATE) refuses a schema older than this code's instead of migrating.
        `wait_timeout`: seconds a call waits for a pooled connection before it raises (the database is away)."""
        if not SCHEMA_NAME.match(schema):
            raise ValueError(f"schema {schema!r}: use lower-case letters, digits and _ (a PostgreSQL identifier)")
        self.schema, self.dedupe_window = schema, dedupe_window
        self._caps = {"count": max_dead_letters, "size": max_dead_letter_bytes}
        self._dropped = DroppedLetters(f"PostgreSQL schema {schema}", max_dead_letters, max_dead_letter_bytes)
        try:  # first alone: a wrong address or password is named at once, not after a pool's retries
            psycopg.connect(conninfo, connect_timeout=max(1, round(connect_timeout))).close()
        except psycopg.Error as exc:
            raise psycopg.OperationalError(f"cannot connect to PostgreSQL: {str(exc).strip()}") from None
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "connect_timeout": max(1, round(min(connect_timeout, wait_timeout)))},
            open=False,
            name="airudder",
            timeout=wait_timeout,
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except PoolTimeout:
            self._pool.close()
            raise psycopg.OperationalError("cannot connect to PostgreSQL: no connection within the timeout") from None
        self._retries = pool_size  # every pooled connection may be broken at once
        self._sql = _Statements(schema)
        try:
            self._migrate() if migrate else self.check()
        except BaseException:
            self._pool.close()
            raise
        self._writes = GroupCommit(self._commit, "airudder-postgres-writer", unavailable=(psycopg.OperationalError,))

    def _migrate(self) -> None:
        """Bring the schema to the latest version, once, whichever process starts first."""
        s = sql.Identifier(self.schema)
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"airudder_webhooks schema {self.schema}",))
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s))
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {}.schema_version"
                    " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                ).format(s)
            )
            row = conn.execute(sql.SQL("SELECT max(version) FROM {}.schema_version").format(s)).fetchone()
            current = (row[0] if row else None) or 0
            if current > len(MIGRATIONS):
                raise too_new(f"PostgreSQL schema {self.schema}", current, len(MIGRATIONS))
            for version in range(current + 1, len(MIGRATIONS) + 1):
                conn.execute(sql.SQL(MIGRATIONS[version - 1]).format(s=s))
                conn.execute(sql.SQL("INSERT INTO {}.schema_version (version) VALUES (%s)").format(s), (version,))

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """`work` on a pooled connection; again on another while the one it got turns out broken: a server restart
        or failover breaks every pooled connection, and the pool replaces each as it is found. (A statement whose
        commit went through before its connection broke is then run twice: each one here can be.)"""
        for attempt in itertools.count():
            used: psycopg.Connection[Any] | None = None
            try:
                with self._pool.connection() as conn:
                    used = conn
                    return work(conn)
            except psycopg.OperationalError:
                if used is None or not used.broken or attempt >= self._retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def schema_version(self) -> int:
        """The version of the store's schema in the database (its last migration applied; 0: none)."""

        def read(conn: psycopg.Connection[Any]) -> Any:
            table = conn.execute(self._sql.version_table, {"table": f"{self.schema}.schema_version"}).fetchone()
            return conn.execute(self._sql.version).fetchone() if table and table[0] else None

        row = self._run(read)
        return int(row[0]) if row and row[0] is not None else 0

    def check(self) -> None:
        """See `SQLiteEventStore.check`."""
        current, known, where = self.schema_version(), len(MIGRATIONS), f"PostgreSQL schema {self.schema}"
        if current > known:
            raise too_new(where, current, known)
        if current < known:
            raise behind(where, current, known)

    def stats(self) -> StoreStats:
        """See `StoreStats`."""

        def read(conn: psycopg.Connection[Any]) -> StoreStats:
            rows = conn.execute(self._sql.backlog).fetchall()
            (letters,) = conn.execute(self._sql.count_dead_letters).fetchone() or (0,)
            beats = conn.execute(self._sql.workers).fetchall()
            return stats_of(rows, letters, [WorkerBeat(w, s, b, tuple(h)) for w, s, b, h in beats])

        return self._run(read)

    def beat(self, worker: str, holding: Collection[int] | None) -> None:
        """See `SQLiteEventStore.beat`."""
        params = {"worker": worker, "now": _store._now(), "holding": sorted(holding or ())}
        statement = self._sql.forget if holding is None else self._sql.beat
        self._run(lambda conn: conn.execute(statement, params))

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
        """See `SQLiteEventStore.find`."""
        where, params = event_filter("%s", ids, states, kinds, since, until)
        query = sql.SQL(f"SELECT {EVENT_COLUMNS} FROM {{s}}.events WHERE {where} ORDER BY id").format(
            s=sql.Identifier(self.schema)
        )
        if limit is not None:
            query += sql.SQL(" LIMIT {}").format(sql.Literal(int(limit)))
        rows = self._run(lambda conn: conn.execute(query, params).fetchall())
        return [StoredEvent(*row) for row in rows]

    def requeue(self, ids: Collection[int]) -> list[int]:
        """See `SQLiteEventStore.requeue`."""
        rows = self._run(lambda conn: conn.execute(self._sql.requeue, {"ids": list(ids)}).fetchall())
        return sorted(int(r[0]) for r in rows)

    def prune(self, handled_older_than: float, *, dry_run: bool = False, batch: int = PRUNE_BATCH) -> int:
        """See `SQLiteEventStore.prune`; the dedupe keys older than the window go too (they mark no retry)."""
        now = _store._now()
        params = {"handled": now - handled_older_than, "window": now - self.dedupe_window, "batch": batch}
        if dry_run:
            row = self._run(lambda conn: conn.execute(self._sql.count_prunable, params).fetchone())
            return int(row[0]) if row else 0
        pruned = 0
        while (deleted := self._run(lambda conn: conn.execute(self._sql.prune, params).rowcount)) > 0:
            pruned += deleted
        while self._run(lambda conn: conn.execute(self._sql.prune_keys, params).rowcount) > 0:
            pass
        return pruned

    def dead_letters_by_id(self, ids: Collection[int]) -> list[DeadLetter]:
        """See `SQLiteEventStore.dead_letters_by_id`."""
        rows = self._run(lambda conn: conn.execute(self._sql.dead_letters_by_id, {"ids": list(ids)}).fetchall())
        return [dead_letter_of(r) for r in rows]

    def remove_dead_letters(self, ids: Collection[int]) -> int:
        """See `SQLiteEventStore.remove_dead_letters`."""
        return int(self._run(lambda conn: conn.execute(self._sql.remove_dead_letters, {"ids": list(ids)}).rowcount))

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """See `EventStore.add`: waits for the group commit that stores the event (`submit`)."""
        return self.submit(kind, key, payload).result()

    def submit(self, kind: str, key: str, payload: Any) -> Future[int | None]:
        """See `GroupCommitStore.submit`: the store's one writer commits every event waiting in one transaction."""
        return self._writes.submit((kind, key, payload))

    def _commit(self, batch: Sequence[tuple[str, str, Any]]) -> list[int | None]:
        """The batch in one transaction, one statement per round, one commit: round r holds the r-th delivery of
        each key in the batch (nearly always one round), so a retry later in the batch sees the first delivery's
        key exactly as it would from another transaction. Each round goes in sorted key order, so two processes'
        batches lock shared keys alike and never deadlock."""
        now = _store._now()
        rounds: list[list[int]] = []
        seen: dict[str, int] = {}
        for i, (_, key, _) in enumerate(batch):
            r = seen[key] = seen.get(key, -1) + 1
            if r == len(rounds):
                rounds.append([])
            rounds[r].append(i)

        def write(conn: psycopg.Connection[Any]) -> list[int | None]:
            ids: list[int | None] = [None] * len(batch)
            with conn.transaction():
                for members in rounds:
                    params = {
                        "kinds": [batch[i][0] for i in members],
                        "keys": [batch[i][1] for i in members],
                        "payloads": [Json(batch[i][2]) for i in members],
                        "now": now,
                        "cut": now - self.dedupe_window,
                    }
                    stored = dict(conn.execute(self._sql.add, params).fetchall())
                    for i in members:
                        ids[i] = stored.get(batch[i][1])
            return ids

        return self._run(write)

    def dead_letter(self, kind: str | None, field: str, reason: str, body: bytes, source: str | None) -> None:
        """See `EventStore.dead_letter`."""
        params = {"kind": kind, "field": field, "reason": reason, "body": body, "source": source, "now": _store._now()}

        def keep(conn: psycopg.Connection[Any]) -> int:
            with conn.transaction():
                conn.execute(self._sql.dead_letter, params)
                return conn.execute(self._sql.trim, self._caps).rowcount

        self._dropped.add(self._run(keep))

    def claim(self, event_id: int, interrupted_after: float | None = None) -> bool:
        """See `EventStore.claim`."""
        now = _store._now()
        params = {"now": now, "id": event_id, "cut": cutoff(now, interrupted_after)}
        return bool(self._run(lambda conn: conn.execute(self._sql.claim, params).rowcount == 1))

    def take(
        self,
        kinds: Collection[str],
        limit: int = 1,
        interrupted_after: float | None = None,
        failed_after: float | None = None,
    ) -> list[StoredEvent]:
        """See `EventStore.take`."""
        now = _store._now()
        params = {
            "now": now,
            "kinds": list(kinds),
            "failed": cutoff(now, failed_after),
            "cut": cutoff(now, interrupted_after),
            "limit": limit,
        }
        rows = self._run(lambda conn: conn.execute(self._sql.take, params).fetchall())
        return sorted((StoredEvent(*row) for row in rows), key=lambda e: e.id)

    def finish(self, event_id: int, error: str | None, *, retry_at: float | None = None, dead: bool = False) -> None:
        """See `EventStore.finish`."""
        state = finished_state(error, dead)
        handled_at = _store._now() if state == "handled" else None
        params = {"state": state, "error": error, "id": event_id, "handled": handled_at, "retry": retry_at}
        self._run(lambda conn: conn.execute(self._sql.finish, params))

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """See `EventStore.events`."""
        rows = self._run(lambda conn: conn.execute(self._sql.events, {"state": state}).fetchall())
        return [StoredEvent(*row) for row in rows]

    def dead_letters(self) -> list[DeadLetter]:
        """See `EventStore.dead_letters`."""
        rows = self._run(lambda conn: conn.execute(self._sql.dead_letters).fetchall())
        return [dead_letter_of(r) for r in rows]

    def close(self) -> None:
        """Commit the events waiting, then close the pool's connections."""
        self._writes.close()
        self._pool.close()


class _Statements:
    """The store's SQL, its schema's name filled in once."""

    def __init__(self, schema: str) -> None:
        def q(text: str) -> sql.Composed:
            return sql.SQL(text).format(s=sql.Identifier(schema))

        # a key's row is inserted, or re-taken when its last event is older than the window, in the events' own
        # statement: two deliveries of one event, on any hosts, cannot both pass (the primary key serialises them).
        # A batch's events come as arrays, each key once (see `_commit`), and are locked in key order
        self.add = q(
            "WITH input AS ("
            " SELECT * FROM unnest(%(kinds)s::text[], %(keys)s::text[], %(payloads)s::json[])"
            " AS i(kind, key, payload)),"
            " fresh AS ("
            " INSERT INTO {s}.event_keys AS k (key, received_at) SELECT key, %(now)s FROM input ORDER BY key"
            " ON CONFLICT (key) DO UPDATE SET received_at = EXCLUDED.received_at WHERE k.received_at <= %(cut)s"
            " RETURNING key)"
            " INSERT INTO {s}.events (kind, key, payload, received_at, state)"
            " SELECT input.kind, input.key, input.payload, %(now)s, 'pending' FROM input JOIN fresh USING (key)"
            " ORDER BY input.key RETURNING key, id"
        )
        self.dead_letter = q(
            "INSERT INTO {s}.dead_letters (received_at, kind, field, reason, body, source)"
            " VALUES (%(now)s, %(kind)s, %(field)s, %(reason)s, %(body)s, %(source)s)"
        )
        self.trim = q(
            TRIM_DEAD_LETTERS.format(
                table="{s}.dead_letters", length="octet_length", count="%(count)s", size="%(size)s"
            )
        )
        self.claim = q(
            "UPDATE {s}.events SET state = 'handling', attempts = attempts + 1, claimed_at = %(now)s"
            " WHERE id = %(id)s AND (state IN ('pending', 'failed') OR (state = 'handling' AND claimed_at < %(cut)s))"
        )
        takeable = TAKEABLE.format(failed="%(failed)s", now="%(now)s", cut="%(cut)s")
        self.take = q(
            "UPDATE {s}.events SET state = 'handling', attempts = attempts + 1, claimed_at = %(now)s WHERE id IN ("
            f" SELECT id FROM {{s}}.events WHERE state <> 'handled' AND kind = ANY(%(kinds)s) AND {takeable}"
            f" ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING {EVENT_COLUMNS}"
        )
        self.finish = q(
            "UPDATE {s}.events SET state = %(state)s, last_error = %(error)s, handled_at = %(handled)s,"
            " retry_at = %(retry)s WHERE id = %(id)s"
        )
        self.events = q(
            f"SELECT {EVENT_COLUMNS} FROM {{s}}.events"
            " WHERE %(state)s::text IS NULL OR state = %(state)s::text ORDER BY id"
        )
        self.dead_letters = q(f"SELECT {DEAD_LETTER_COLUMNS} FROM {{s}}.dead_letters ORDER BY id")
        self.version_table = sql.SQL("SELECT to_regclass(%(table)s)")
        self.version = q("SELECT max(version) FROM {s}.schema_version")
        self.backlog = q(
            "SELECT state, count(*), min(received_at) FILTER (WHERE state = 'pending') FROM {s}.events GROUP BY state"
        )
        self.count_dead_letters = q("SELECT count(*) FROM {s}.dead_letters")
        self.workers = q("SELECT worker, started_at, beat_at, holding FROM {s}.workers ORDER BY worker")
        self.beat = q(
            "INSERT INTO {s}.workers (worker, started_at, beat_at, holding) VALUES (%(worker)s, %(now)s, %(now)s,"
            " %(holding)s) ON CONFLICT (worker) DO UPDATE SET beat_at = EXCLUDED.beat_at, holding = EXCLUDED.holding"
        )
        self.forget = q("DELETE FROM {s}.workers WHERE worker = %(worker)s")
        self.requeue = q(
            "UPDATE {s}.events SET state = 'pending', attempts = 0, retry_at = NULL, claimed_at = NULL,"
            " handled_at = NULL WHERE id = ANY(%(ids)s) AND state <> 'handling' RETURNING id"
        )
        prunable = "state = 'handled' AND coalesce(handled_at, received_at) < %(handled)s AND received_at < %(window)s"
        self.count_prunable = q(f"SELECT count(*) FROM {{s}}.events WHERE {prunable}")
        self.prune = q(
            f"DELETE FROM {{s}}.events WHERE id IN (SELECT id FROM {{s}}.events WHERE {prunable}"
            " ORDER BY id LIMIT %(batch)s FOR UPDATE SKIP LOCKED)"
        )
        self.prune_keys = q(
            "DELETE FROM {s}.event_keys WHERE key IN (SELECT key FROM {s}.event_keys WHERE received_at < %(window)s"
            " LIMIT %(batch)s FOR UPDATE SKIP LOCKED)"
        )
        self.dead_letters_by_id = q(
            f"SELECT {DEAD_LETTER_COLUMNS} FROM {{s}}.dead_letters WHERE id = ANY(%(ids)s) ORDER BY id"
        )
        self.remove_dead_letters = q("DELETE FROM {s}.dead_letters WHERE id = ANY(%(ids)s)")
