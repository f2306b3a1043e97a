"""Admin: workflow templates and the APPKey/APPSecret pairs the mock accepts."""

from __future__ import annotations

from typing import Any

from ...repository import Repository
from ..valid_request import ValidRequest


class SetupHandlers:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def list_templates(self, req: ValidRequest) -> Any:
        return [t.as_json() for t in self.repo.templates()]

    def save_template(self, req: ValidRequest) -> Any:
        """Add a template, or replace the one with the same id; answers every template."""
        self.repo.save_templates([req.body])
        return self.list_templates(req)

    def add_credentials(self, req: ValidRequest) -> Any:
        """Accept another pair until the next reset (kept in the store, so `--db` keeps it across restarts)."""
        self.repo.add_credentials(req.body["app_key"], req.body["app_secret"])
        return {"app_key": req.body["app_key"]}
