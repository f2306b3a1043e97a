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
from ._store import (
    DEDUPE_WINDOW,
    EVENT_COLUMNS,
    MAX_DEAD_LETTER_BYTES,
    MAX_DEAD_LETTERS,
    TAKEABLE,
    TRIM_DEAD_LETTERS,
    DeadLetter,
    DroppedLetters,
    StoredEvent,
    cutoff,
)

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
]
"""Migration n+1 takes the schema from version n to n+1. Append; never edit one that has shipped."""


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer airudder-workflow than this one."""


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
    ) -> None:
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
            conninfo, min_size=1, max_size=pool_size, kwargs={"autocommit": True}, open=False, name="airudder"
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except PoolTimeout:
            self._pool.close()
            raise psycopg.OperationalError("cannot connect to PostgreSQL: no connection within the timeout") from None
        self._retries = pool_size  # every pooled connection may be broken at once
        self._sql = _Statements(schema)
        try:
            self._migrate()
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
                raise SchemaTooNew(
                    f"schema {self.schema} is at version {current}, newer than this airudder-workflow knows"
                    f" ({len(MIGRATIONS)}): upgrade airudder-workflow"
                )
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
        """The version of the store's schema in the database (its last migration applied)."""
        query = sql.SQL("SELECT max(version) FROM {}.schema_version").format(sql.Identifier(self.schema))
        row = self._run(lambda conn: conn.execute(query).fetchone())
        return int(row[0]) if row and row[0] is not None else 0

    def add(self, kind: str, key: str, payload: Any) -> int | None:
        """See `EventStore.add`: waits for the group commit that stores the event (`submit`)."""
        return self.submit(kind, key, payload).result()

    def submit(self, kind: str, key: str, payload: Any) -> Future[int | None]:
        """See `GroupCommitStore.submit`: the store's one writer commits every event waiting in one transaction."""
        return self._writes.submit((kind, key, payload))

    def _commit(self, batch: Sequence[tuple[str, str, Any]]) -> list[int | None]:
        """The batch's upserts in one transaction, sent at once (`executemany`: pipeline mode), one commit. Each
        upsert is its own statement, so a retry later in the batch sees the first delivery's key, exactly as in
        another transaction; the keys go in sorted order, so two processes' batches lock shared keys alike and
        never deadlock."""
        now = _store._now()
        order = sorted(range(len(batch)), key=lambda i: batch[i][1])  # stable: one key's deliveries keep their order
        params = [
            {"kind": kind, "key": key, "payload": Json(payload), "now": now, "cut": now - self.dedupe_window}
            for kind, key, payload in (batch[i] for i in order)
        ]

        def write(conn: psycopg.Connection[Any]) -> list[int | None]:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(self._sql.add, params, returning=True)
                found: list[int | None] = []
                while True:
                    row = cursor.fetchone()
                    found.append(int(row[0]) if row else None)
                    if not cursor.nextset():
                        return found

        ids: list[int | None] = [None] * len(batch)
        for i, event_id in zip(order, self._run(write), strict=True):
            ids[i] = event_id
        return ids

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

    def finish(self, event_id: int, error: str | None) -> None:
        """See `EventStore.finish`."""
        params = {"state": "failed" if error else "handled", "error": error, "id": event_id}
        self._run(lambda conn: conn.execute(self._sql.finish, params))

    def events(self, state: str | None = None) -> list[StoredEvent]:
        """See `EventStore.events`."""
        rows = self._run(lambda conn: conn.execute(self._sql.events, {"state": state}).fetchall())
        return [StoredEvent(*row) for row in rows]

    def dead_letters(self) -> list[DeadLetter]:
        """See `EventStore.dead_letters`."""
        rows = self._run(lambda conn: conn.execute(self._sql.dead_letters).fetchall())
        return [DeadLetter(r[0], r[1], r[2], r[3], bytes(r[4]), r[5]) for r in rows]

    def close(self) -> None:
        """Commit the events waiting, then close the pool's connections."""
        self._writes.close()
        self._pool.close()


class _Statements:
    """The store's SQL, its schema's name filled in once."""

    def __init__(self, schema: str) -> None:
        def q(text: str) -> sql.Composed:
            return sql.SQL(text).format(s=sql.Identifier(schema))

        # a key's row is inserted, or re-taken when its last event is older than the window, in the event's own
        # statement: two deliveries of one event, on any hosts, cannot both pass (the primary key serialises them)
        self.add = q(
            "WITH fresh AS ("
            " INSERT INTO {s}.event_keys AS k (key, received_at) VALUES (%(key)s, %(now)s)"
            " ON CONFLICT (key) DO UPDATE SET received_at = EXCLUDED.received_at WHERE k.received_at <= %(cut)s"
            " RETURNING key)"
            " INSERT INTO {s}.events (kind, key, payload, received_at, state)"
            " SELECT %(kind)s, key, %(payload)s, %(now)s, 'pending' FROM fresh RETURNING id"
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
        takeable = TAKEABLE.format(failed="%(failed)s", cut="%(cut)s")
        self.take = q(
            "UPDATE {s}.events SET state = 'handling', attempts = attempts + 1, claimed_at = %(now)s WHERE id IN ("
            f" SELECT id FROM {{s}}.events WHERE state <> 'handled' AND kind = ANY(%(kinds)s) AND {takeable}"
            f" ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING {EVENT_COLUMNS}"
        )
        self.finish = q("UPDATE {s}.events SET state = %(state)s, last_error = %(error)s WHERE id = %(id)s")
        self.events = q(
            f"SELECT {EVENT_COLUMNS} FROM {{s}}.events"
            " WHERE %(state)s::text IS NULL OR state = %(state)s::text ORDER BY id"
        )
        self.dead_letters = q("SELECT id, kind, field, reason, body, source FROM {s}.dead_letters ORDER BY id")
