"""What happened in a workflow's tasks: the calls of its call tasks, the messages of its WABA tasks."""

from __future__ import annotations

from typing import Any

from ...clock import local
from ...errors import BadInput
from ...repository import Repository
from ...repository.contacts import CALL_FILTERS
from ...simulation import Simulation
from ..lookups import paging, require_node, require_workflow
from ..valid_request import ValidRequest


class Details:
    def __init__(self, repo: Repository, simulation: Simulation) -> None:
        self.repo, self.simulation = repo, simulation

    def get_outbound_task_details(self, req: ValidRequest) -> Any:
        """The calls of a workflow's call tasks, filtered by whichever of the known keys the body holds."""
        page, size = paging(req.body)
        filters = {}
        for key in CALL_FILTERS:
            if key in req.body:
                if not isinstance(req.body[key], str):
                    raise BadInput(f"body.{key}", "must be a string")
                filters[key] = req.body[key]
        if "workflow_id" in filters:
            require_workflow(self.repo, filters["workflow_id"], "body.workflow_id")
        with self.repo.lock:  # the calls and their details from the same state
            total, calls = self.repo.search_calls(filters, size, page)
            details = [self.simulation.call_detail(c) for c in calls]
        return {"list": details, "total": total}

    def get_waba_task_details(self, req: ValidRequest) -> Any:
        workflow = require_workflow(self.repo, req.query["workflow_id"], "query.workflow_id")
        match = ("task_id", req.query["task_id"])
        node = require_node(self.repo, workflow.workflow_id, "waba", match, "query.task_id")
        recipients = [
            {
                "comments": "",
                "caseid": r.case_id,
                "send_time": local(r.message.send_time),
                "waba_template_name": node.name,
                "waba_template_id": node.nodetask_id,
                "channel_id": "mock-waba-channel",
                "callee": r.callee,
                "status": r.message.status,
            }
            for r in self.repo.waba_recipients(workflow.workflow_id, req.query["task_id"])
        ]
        return {"list": recipients, "total": len(recipients)}
