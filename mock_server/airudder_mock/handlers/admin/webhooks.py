"""Admin: where webhooks go, and every delivery with its attempts."""

from __future__ import annotations

from typing import Any

from ...delivery import ANY_KIND, Deliveries
from ...errors import BadInput
from ...repository import Repository
from ..lookups import require_workflow
from ..valid_request import ValidRequest


class WebhookHandlers:
    def __init__(self, repo: Repository, deliveries: Deliveries) -> None:
        self.repo, self.deliveries = repo, deliveries

    def list_webhook_targets(self, req: ValidRequest) -> Any:
        return [t.as_json() for t in self.deliveries.targets()]

    def set_webhook_target(self, req: ValidRequest) -> Any:
        """Send one webhook kind (or `*`: every kind) to a URL, for one workflow or (no workflow_id) for all."""
        kind, workflow_id = req.body.get("kind", ANY_KIND), req.body.get("workflow_id")
        if workflow_id is not None:
            require_workflow(self.repo, workflow_id, "body.workflow_id")
        try:
            self.deliveries.set_target(kind, req.body["url"], workflow_id)
        except KeyError:
            raise BadInput("body.kind", "is not a webhook of the spec (or *)") from None
        return self.list_webhook_targets(req)

    def list_webhook_deliveries(self, req: ValidRequest) -> Any:
        q = req.query
        return [d.as_json() for d in self.deliveries.log(q.get("kind"), q.get("workflow_id"), q.get("status"))]
