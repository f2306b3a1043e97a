"""Webhook deliveries: queued by the simulation, POSTed to the configured URL, retried like AIRudder does.

AIRudder retries a delivery whose answer is not a success every minute, at most 5 tries in all. Here the
minute is on the mock clock, so advancing the clock by five minutes plays out every retry at once. Every
attempt is kept in the delivery log (`GET /_mock/webhooks/deliveries`).

The URL is looked up when an attempt is made, not when the webhook is queued: a target set or changed before
the attempt applies to it (retries included). A webhook with no target when it is due is `no_target`, for good.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

import airudder_spec

from .store import Store

RETRY_INTERVAL = 60.0
MAX_TRIES = 5
ANY_KIND = "*"


class Deliveries:
    def __init__(self, store: Store, timeout: float) -> None:
        self.store = store
        self.http = httpx.Client(
            timeout=timeout, headers={"User-Agent": "Airudder", "Content-Type": "application/json"}
        )
        with store.transaction() as db:  # an attempt cut short by a stop (--db): make it again
            db.execute("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'")

    def set_target(self, kind: str, url: str, workflow_id: str | None = None) -> None:
        """Send `kind` (or `*`: every kind) to `url`, for one workflow or (no workflow_id) for all."""
        if kind != ANY_KIND and kind not in airudder_spec.webhook_schemas():
            raise KeyError(kind)
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO webhook_targets VALUES (?, ?, ?)", (workflow_id or "", kind, url))

    def targets(self) -> list[dict[str, Any]]:
        rows = self.store.all("SELECT * FROM webhook_targets ORDER BY scope, kind")
        return [{"workflow_id": r["scope"] or None, "kind": r["kind"], "url": r["url"]} for r in rows]

    def target(self, db: Any, kind: str, workflow_id: str) -> str | None:
        """The most specific target: this workflow and kind, this workflow, all workflows and kind, any."""
        for scope, k in ((workflow_id, kind), (workflow_id, ANY_KIND), ("", kind), ("", ANY_KIND)):
            row = db.execute("SELECT url FROM webhook_targets WHERE scope = ? AND kind = ?", (scope, k)).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def enqueue(self, kind: str, payload: dict[str, Any], workflow_id: str, at: float) -> None:
        """Queue one webhook. The payload must conform to the webhook's schema: the mock never sends junk."""
        errors = [e.message for e in airudder_spec.webhook_validator(kind).iter_errors(payload)]
        if errors:
            raise AssertionError(f"the mock built an invalid {kind} payload: {errors}")
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO deliveries (kind, workflow_id, payload, status, next_attempt_at, created_at)"
                " VALUES (?, ?, ?, 'pending', ?, ?)",
                (kind, workflow_id, json.dumps(payload), at, at),
            )

    def claim_due(self, now: float) -> list[dict[str, Any]]:
        """Mark the deliveries due by `now` as being sent, to the target in force, and return them (no other
        sender will take them); those without a target become `no_target`."""
        claimed = []
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
                " ORDER BY next_attempt_at, id",
                (now,),
            ).fetchall()
            for row in rows:
                url = self.target(db, row["kind"], row["workflow_id"] or "")
                status = "sending" if url else "no_target"
                db.execute("UPDATE deliveries SET status = ?, url = ? WHERE id = ?", (status, url, row["id"]))
                if url:
                    claimed.append({**dict(row), "url": url})
        return claimed

    def send(self, delivery: dict[str, Any]) -> None:
        """POST one delivery and record the attempt; schedule the next try on failure."""
        try:
            response = self.http.post(delivery["url"], content=delivery["payload"])
            code, error = response.status_code, None
        except httpx.HTTPError as exc:
            code, error = None, f"{type(exc).__name__}: {exc}"
        ok = code is not None and 200 <= code < 300
        attempts = delivery["attempts"] + 1
        status = "delivered" if ok else ("failed" if attempts >= MAX_TRIES else "pending")
        with self.store.transaction() as db:
            row = db.execute("SELECT history FROM deliveries WHERE id = ?", (delivery["id"],)).fetchone()
            if row is None:  # reset while it was being sent
                return
            history = json.loads(row[0])
            history.append(
                {"at": delivery["next_attempt_at"], "url": delivery["url"], "status_code": code, "error": error}
            )
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, history = ? WHERE id = ?",
                (
                    status,
                    attempts,
                    delivery["next_attempt_at"] + RETRY_INTERVAL,
                    json.dumps(history),
                    delivery["id"],
                ),
            )

    def log(
        self, kind: str | None = None, workflow_id: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM deliveries WHERE 1=1", []
        for column, value in (("kind", kind), ("workflow_id", workflow_id), ("status", status)):
            if value:
                sql += f" AND {column} = ?"
                args.append(value)
        rows = self.store.all(sql + " ORDER BY id", *args)
        return [{**dict(r), "payload": json.loads(r["payload"]), "history": json.loads(r["history"])} for r in rows]

    def close(self) -> None:
        self.http.close()
