"""Admin: workflow templates and the APPKey/APPSecret pairs the mock accepts."""

from __future__ import annotations

from typing import Any

from ...repository import Repository
from ..call import Call


class SetupHandlers:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def list_templates(self, call: Call) -> Any:
        return [t.as_json() for t in self.repo.templates()]

    def save_template(self, call: Call) -> Any:
        """Add a template, or replace the one with the same id; answers every template."""
        self.repo.save_templates([call.body])
        return self.list_templates(call)

    def add_credentials(self, call: Call) -> Any:
        """Accept another pair until the next reset (kept in the store, so `--db` keeps it across restarts)."""
        self.repo.add_credentials(call.body["app_key"], call.body["app_secret"])
        return {"app_key": call.body["app_key"]}
