"""SQL of tokens, settings kept across restarts (clock, added credentials), resetting and dumping the state."""

from __future__ import annotations

import json
from typing import Any

from .records import columns
from .store import Store

RESET_TABLES = (
    "tokens",
    "workflows",
    "nodes",
    "contacts",
    "calls",
    "waba_messages",
    "events",
    "deliveries",
    "webhook_targets",
    "templates",
)


class AccessRows:
    store: Store

    def live_token(self, app_key: str, now: float) -> str | None:
        """The latest of the key's tokens that is still valid at `now`."""
        token = self.store.scalar(
            "SELECT token FROM tokens WHERE app_key = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1",
            app_key,
            now,
        )
        return None if token is None else str(token)

    def save_token(self, token: str, app_key: str, expires_at: float) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", (token, app_key, expires_at))

    def token_expiry(self, token: str) -> float | None:
        expires = self.store.scalar("SELECT expires_at FROM tokens WHERE token = ?", token)
        return None if expires is None else float(expires)

    def saved_clock(self) -> float | None:
        value = self._meta("clock")
        return None if value is None else float(value)

    def save_clock(self, now: float) -> None:
        self._set_meta("clock", repr(now))

    def added_credentials(self) -> dict[str, str]:
        added: dict[str, str] = json.loads(self._meta("credentials") or "{}")
        return added

    def add_credentials(self, app_key: str, app_secret: str) -> None:
        with self.store.transaction():
            self._set_meta("credentials", json.dumps({**self.added_credentials(), app_key: app_secret}))

    def clear(self) -> None:
        """Forget every workflow, token, event, delivery, target, template and added credential; ids start again."""
        with self.store.transaction() as db:
            for table in RESET_TABLES:
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence")
            db.execute("DELETE FROM meta WHERE key = 'credentials'")

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every table as a list of rows (JSON columns decoded), for the admin state dump: one consistent view."""
        with self.store.lock:
            names = self.store.all("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%'")
            return {r[0]: [columns(row) for row in self.store.all(f"SELECT * FROM {r[0]}")] for r in names}

    def _meta(self, key: str) -> str | None:
        value = self.store.scalar("SELECT value FROM meta WHERE key = ?", key)
        return None if value is None else str(value)

    def _set_meta(self, key: str, value: str) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
