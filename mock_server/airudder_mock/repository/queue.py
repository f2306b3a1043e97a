"""SQL of what is queued: the simulation's timed events and the webhook deliveries with their targets."""

from __future__ import annotations

import json
from typing import Any

from . import records
from .records import Delivery, Event, Target
from .store import Store


class QueueRows:
    store: Store

    def schedule(self, at: float, kind: str, data: dict[str, Any]) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT INTO events (due_at, kind, data) VALUES (?, ?, ?)", (at, kind, json.dumps(data)))

    def any_event_due(self, now: float) -> bool:
        return self.store.one("SELECT 1 FROM events WHERE due_at <= ? LIMIT 1", now) is not None

    def take_next_event(self, now: float) -> Event | None:
        """Remove and return the first event due by `now` (call inside a transaction that applies it)."""
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM events WHERE due_at <= ? ORDER BY due_at, id LIMIT 1", (now,)).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM events WHERE id = ?", (row["id"],))
        return records.event(row)

    def set_target(self, kind: str, url: str, workflow_id: str | None) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO webhook_targets VALUES (?, ?, ?)", (workflow_id or "", kind, url))

    def clear_targets(self) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM webhook_targets")

    def targets(self) -> list[Target]:
        rows = self.store.all("SELECT * FROM webhook_targets ORDER BY scope, kind")
        return [Target(r["scope"] or None, r["kind"], r["url"]) for r in rows]

    def target_url(self, scopes: list[tuple[str, str]]) -> str | None:
        """The URL of the first (workflow_id or "", kind) of `scopes` that has a target."""
        with self.store.lock:
            for scope, kind in scopes:
                url = self.store.scalar("SELECT url FROM webhook_targets WHERE scope = ? AND kind = ?", scope, kind)
                if url is not None:
                    return str(url)
        return None

    def insert_delivery(self, kind: str, payload: dict[str, Any], workflow_id: str, at: float) -> int:
        """Queue a delivery; returns its id."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO deliveries (kind, workflow_id, payload, status, next_attempt_at, created_at)"
                " VALUES (?, ?, ?, 'pending', ?, ?)",
                (kind, workflow_id, json.dumps(payload), at, at),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def due_deliveries(self, now: float, limit: int) -> list[Delivery]:
        rows = self.store.all(
            "SELECT * FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id LIMIT ?",
            now,
            limit,
        )
        return [records.delivery(r) for r in rows]

    def set_delivery_status(self, delivery_id: int, status: str, url: str | None) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE deliveries SET status = ?, url = ? WHERE id = ?", (status, url, delivery_id))

    def record_attempt(self, delivery: Delivery, status: str, attempt: dict[str, Any], next_at: float) -> None:
        """Add one attempt to a delivery's history (as claimed) and set its status (nothing if it was reset
        meanwhile: no row has its id any more)."""
        history = json.dumps([*delivery.history, attempt])
        with self.store.transaction() as db:
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, history = ? WHERE id = ?",
                (status, delivery.attempts + 1, next_at, history, delivery.id),
            )

    def requeue_interrupted_deliveries(self) -> None:
        """An attempt cut short by a stop (with --db): make it again."""
        with self.store.transaction() as db:
            db.execute("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'")

    def deliveries(self, kind: str | None, workflow_id: str | None, status: str | None) -> list[Delivery]:
        sql, args = "SELECT * FROM deliveries WHERE 1=1", list[Any]()
        for column, value in (("kind", kind), ("workflow_id", workflow_id), ("status", status)):
            if value:
                sql, args = f"{sql} AND {column} = ?", [*args, value]
        return [records.delivery(r) for r in self.store.all(sql + " ORDER BY id", *args)]
