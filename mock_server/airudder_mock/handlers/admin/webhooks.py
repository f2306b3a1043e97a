"""Admin: where webhooks go, and every delivery with its attempts."""

from __future__ import annotations

from typing import Any

import airudder_spec

from ...delivery import ANY_KIND, Deliveries
from ...errors import BadInput
from ...repository import Repository
from ..lookups import require_workflow
from ..valid_request import Noted, ValidRequest


class WebhookHandlers:
    def __init__(self, repo: Repository, deliveries: Deliveries) -> None:
        self.repo, self.deliveries = repo, deliveries

    def list_webhook_targets(self, req: ValidRequest) -> Any:
        return [t.as_json() for t in self.deliveries.targets()]

    def set_webhook_target(self, req: ValidRequest) -> Any:
        """Send one webhook kind (or `*`: every kind) to a URL, for one workflow or (no workflow_id) for all;
        `replace`: drop every other target first. A target that more specific ones override gets a note."""
        kind, workflow_id = req.body.get("kind", ANY_KIND), req.body.get("workflow_id")
        if req.body.get("replace"):
            if kind != ANY_KIND or workflow_id is not None:
                raise BadInput("body.replace", "replaces every target: give it with kind * and no workflow_id")
            self.deliveries.replace_targets(req.body["url"])
            return self.list_webhook_targets(req)
        if workflow_id is not None:
            require_workflow(self.repo, workflow_id, "body.workflow_id")
        try:
            self.deliveries.set_target(kind, req.body["url"], workflow_id)
        except KeyError:
            raise BadInput("body.kind", "is not a webhook of the spec (or *)") from None
        targets = self.list_webhook_targets(req)
        overridden = self.deliveries.overriding(kind, workflow_id)
        return Noted(targets, overridden_note(kind, overridden)) if overridden else targets

    def list_webhook_deliveries(self, req: ValidRequest) -> Any:
        q = req.query
        return [d.as_json() for d in self.deliveries.log(q.get("kind"), q.get("workflow_id"), q.get("status"))]


def overridden_note(kind: str, overridden: list[str]) -> str:
    every = kind == ANY_KIND and set(airudder_spec.webhook_schemas()) <= set(overridden)
    what = "This target is used by no webhook" if every else "This target does not apply to some webhooks"
    return (
        f"{what}: a more specific target wins (a kind's own over '*', a workflow's own over every workflow's), and "
        f"these have one: {', '.join(overridden)}. To send everything to this URL, PUT it with "
        '{"kind": "*", "replace": true} (MockHandle.route_webhooks does).'
    )
