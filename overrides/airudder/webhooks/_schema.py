"""The stores' schema versions: SQLite's migrations (PostgreSQL's are in `_postgres`), and the errors for a schema
that is not the one this code knows.

A store migrates its schema when it opens unless told not to (`migrate=False`, the CLI's `--no-migrate`, for a
database role without CREATE: then `python -m airudder.webhooks migrate` runs once, as the owner). A database
migrated by a newer airudder-workflow is never written to by an older one: it refuses to open, and a process that
is already running stops taking work (`/readyz` fails) when its periodic re-check finds the schema ahead.
"""

from __future__ import annotations

import sqlite3

STATES = ("pending", "handling", "handled", "failed", "dead")
"""An event's states: `dead` is final, for an event whose handler failed its last allowed attempt."""

SQLITE_MIGRATIONS: list[str] = [
    # 1: events, dead letters (IF NOT EXISTS: a file made before versions were recorded is at version 1 already)
    """
    CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
        received_at REAL NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
        claimed_at REAL);
    CREATE INDEX IF NOT EXISTS events_state ON events (state);
    CREATE INDEX IF NOT EXISTS events_key ON events (key, received_at);
    CREATE TABLE IF NOT EXISTS dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT, received_at REAL NOT NULL, kind TEXT, field TEXT NOT NULL,
        reason TEXT NOT NULL, body BLOB NOT NULL, source TEXT)
    """,
    # 2: when an event was handled and when a failed one is tried next; the workers' heartbeats
    """
    ALTER TABLE events ADD COLUMN handled_at REAL;
    ALTER TABLE events ADD COLUMN retry_at REAL;
    CREATE INDEX events_handled ON events (handled_at) WHERE state = 'handled';
    CREATE TABLE workers (
        worker TEXT PRIMARY KEY, started_at REAL NOT NULL, beat_at REAL NOT NULL, holding TEXT NOT NULL)
    """,
]
"""Migration n+1 takes an SQLite file from version n (`PRAGMA user_version`) to n+1. Append; never edit one."""


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer airudder-workflow than this one: upgrade this one."""


class SchemaBehind(RuntimeError):
    """The database's schema is older than this airudder-workflow's, and this process may not migrate it."""


def too_new(where: str, found: int, known: int) -> SchemaTooNew:
    return SchemaTooNew(
        f"{where} is at schema version {found}, newer than this airudder-workflow knows ({known}):"
        " upgrade airudder-workflow"
    )


def behind(where: str, found: int, known: int) -> SchemaBehind:
    return SchemaBehind(
        f"{where} is at schema version {found}, this airudder-workflow needs {known}: run "
        "`python -m airudder.webhooks migrate` (as a role that may create tables)"
    )


def sqlite_version(db: sqlite3.Connection) -> int:
    """The schema version of an SQLite file: `user_version`, or 1 for a file made before versions were kept."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version == 0 and db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone():
        return 1
    return int(version)


def migrate_sqlite(db: sqlite3.Connection, where: str, migrate: bool = True) -> None:
    """Bring an SQLite file (a connection in autocommit mode) to the latest version, in one transaction."""
    known = len(SQLITE_MIGRATIONS)
    db.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then find the work done
    try:
        current = sqlite_version(db)
        if current > known:
            raise too_new(where, current, known)
        if current < known and not migrate:
            raise behind(where, current, known)
        for version in range(current + 1, known + 1):
            for statement in SQLITE_MIGRATIONS[version - 1].split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {known}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def check_sqlite(db: sqlite3.Connection, where: str) -> None:
    """Raises SchemaTooNew or SchemaBehind unless the file's schema is the one this code knows."""
    known, current = len(SQLITE_MIGRATIONS), sqlite_version(db)
    if current > known:
        raise too_new(where, current, known)
    if current < known:
        raise behind(where, current, known)
