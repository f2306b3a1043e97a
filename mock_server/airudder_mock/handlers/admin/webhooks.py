"""Admin: where webhooks go, and every delivery with its attempts."""

from __future__ import annotations

from typing import Any

from ...delivery import ANY_KIND, Deliveries
from ...errors import BadInput
from ...repository import Repository
from ..call import Call
from ..lookups import require_workflow


class WebhookHandlers:
    def __init__(self, repo: Repository, deliveries: Deliveries) -> None:
        self.repo, self.deliveries = repo, deliveries

    def list_webhook_targets(self, call: Call) -> Any:
        return [t.as_json() for t in self.deliveries.targets()]

    def set_webhook_target(self, call: Call) -> Any:
        """Send one webhook kind (or `*`: every kind) to a URL, for one workflow or (no workflow_id) for all."""
        kind, workflow_id = call.body.get("kind", ANY_KIND), call.body.get("workflow_id")
        if workflow_id is not None:
            require_workflow(self.repo, workflow_id, "body.workflow_id")
        try:
            self.deliveries.set_target(kind, call.body["url"], workflow_id)
        except KeyError:
            raise BadInput("body.kind", "is not a webhook of the spec (or *)") from None
        return self.list_webhook_targets(call)

    def list_webhook_deliveries(self, call: Call) -> Any:
        q = call.query
        return [d.as_json() for d in self.deliveries.log(q.get("kind"), q.get("workflow_id"), q.get("status"))]
