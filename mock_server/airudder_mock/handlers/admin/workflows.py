"""Admin: what AIRudder lets a user do to a running workflow but the docs give no path for: adding contacts,
stopping, cancelling, cancelling one list. Each runs what is due first and sends the webhooks it causes before
it answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...clock import MockClock
from ...errors import BadInput
from ...repository import Repository
from ...simulation import NotRunning, Simulation
from ..lookups import require_workflow
from ..valid_request import ValidRequest


class WorkflowHandlers:
    def __init__(self, repo: Repository, simulation: Simulation, clock: MockClock, pump: Callable[[], None]) -> None:
        self.repo, self.simulation, self.clock, self.pump = repo, simulation, clock, pump

    def add_contacts(self, req: ValidRequest) -> Any:
        contacts, list_name = req.body["contacts"], req.body.get("list_name", "default")
        return {
            "added": self._change(req, lambda wid, now: self.simulation.add_contacts(wid, contacts, list_name, now))
        }

    def stop_workflow(self, req: ValidRequest) -> Any:
        self._change(req, lambda wid, now: self.simulation.finish(wid, "stopped", now))
        return {"status": "stopped"}

    def cancel_workflow(self, req: ValidRequest) -> Any:
        self._change(req, lambda wid, now: self.simulation.finish(wid, "cancelled", now))
        return {"status": "cancelled"}

    def cancel_list(self, req: ValidRequest) -> Any:
        name = req.path["list_name"]
        return {"cancelled": self._change(req, lambda wid, now: self.simulation.cancel_list(wid, name, now))}

    def _change(self, req: ValidRequest, change: Callable[[str, float], Any]) -> Any:
        """Bring the workflow up to now, apply `change`, send what it caused; 404/409 naming the workflow."""
        workflow_id = require_workflow(self.repo, req.path["workflow_id"], "path.workflow_id").workflow_id
        now = self.clock.now()
        self.simulation.run_until(now)
        try:
            result = change(workflow_id, now)
        except NotRunning as exc:
            raise BadInput("path.workflow_id", str(exc), status=409) from None
        self.pump()
        return result
