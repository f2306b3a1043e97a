"""The connection to the mock's state in embedded SQLite: in memory by default, in a file (surviving restarts)
with `--db`. Only the repository uses it."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, app_key TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS templates (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nodes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS workflows (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, workflow_id TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
    workflow_name TEXT, template_id INTEGER NOT NULL, template_name TEXT NOT NULL, status TEXT NOT NULL,
    auto_finish INTEGER NOT NULL, end_time REAL NOT NULL, start_time REAL, finish_time REAL,
    create_time REAL NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS workflows_create_time ON workflows (create_time);
CREATE TABLE IF NOT EXISTS nodes (
    nodetask_id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, position INTEGER NOT NULL, node_type TEXT NOT NULL,
    name TEXT NOT NULL, task_id TEXT, task_status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_workflow ON nodes (workflow_id, position);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id INTEGER PRIMARY KEY AUTOINCREMENT, workflow_id TEXT NOT NULL, case_id TEXT NOT NULL,
    callee TEXT NOT NULL, name TEXT NOT NULL, gender TEXT NOT NULL, list_name TEXT NOT NULL,
    status TEXT NOT NULL, created_at REAL NOT NULL, extra TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contacts_workflow ON contacts (workflow_id);
CREATE INDEX IF NOT EXISTS contacts_open ON contacts (workflow_id, status);
CREATE INDEX IF NOT EXISTS contacts_callee ON contacts (callee);
CREATE INDEX IF NOT EXISTS contacts_case ON contacts (case_id);
CREATE TABLE IF NOT EXISTS calls (
    call_id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, nodetask_id TEXT NOT NULL, task_id TEXT NOT NULL,
    contact_id INTEGER NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL, start_time REAL NOT NULL,
    duration INTEGER NOT NULL, recording INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS calls_workflow ON calls (workflow_id, start_time);
CREATE TABLE IF NOT EXISTS waba_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, workflow_id TEXT NOT NULL, task_id TEXT NOT NULL,
    nodetask_id TEXT NOT NULL, contact_id INTEGER NOT NULL, status TEXT NOT NULL, send_time REAL NOT NULL);
CREATE INDEX IF NOT EXISTS waba_task ON waba_messages (workflow_id, task_id);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, due_at REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_due ON events (due_at, id);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, workflow_id TEXT, url TEXT, payload TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL,
    created_at REAL NOT NULL, history TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS webhook_targets (scope TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (scope, kind));
"""


log = logging.getLogger("airudder_mock")


def private_file(path: str) -> None:
    """Make the database file readable by its owner only (0600): it holds APPSecrets and live tokens. A new file is
    created so; an existing one (and its -wal and -shm files, which SQLite creates with the file's mode) loses any
    access by others."""
    if path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError:
        return  # SQLite says why it cannot open it
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        try:
            mode = os.stat(name).st_mode
        except FileNotFoundError:
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            os.chmod(name, stat.S_IMODE(mode) & ~(stat.S_IRWXG | stat.S_IRWXO))
            log.warning("%s could be read by other users; it holds secrets, so it is now chmod 600", name)


class Store:
    """One SQLite connection shared by the server's threads, serialised by a re-entrant lock.

    Callers hold `store.lock` across a read-modify-write so the simulation and requests never interleave.
    """

    def __init__(self, path: str | None) -> None:
        self.lock = threading.RLock()
        if path:
            private_file(path)
        self.db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and commit everything inside as one transaction (rolled back on error).

        A transaction opened inside another (same thread) joins it: the outermost one commits.
        """
        with self.lock:
            if self.db.in_transaction:
                yield self.db
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
            return row

    def scalar(self, sql: str, *args: Any) -> Any:
        row = self.one(sql, *args)
        return None if row is None else row[0]

    def close(self) -> None:
        with self.lock:
            self.db.close()
