"""Workflow operations: create a task, list tasks, find tasks by contact, push a Custom API node's data again.

Where the docs do not show a response's `data`, what is returned here is the mock's choice (see docs/mock.md).
"""

from __future__ import annotations

from typing import Any

from ...clock import iso
from ...errors import BadInput
from ...repository import Repository
from ...simulation import Simulation
from ..lookups import require_node, require_workflow, time_of, time_window
from ..valid_request import ValidRequest


class Workflows:
    def __init__(self, repo: Repository, simulation: Simulation) -> None:
        self.repo, self.simulation = repo, simulation

    def create_workflow_task(self, req: ValidRequest) -> Any:
        end_time = time_of(req.body, "body", "end_time")
        if end_time <= req.now:
            # valid data, but not now: a conflict with the clock (409), not a malformed request (400)
            raise BadInput("body.end_time", "is not in the future", status=409)
        template = self.repo.template(req.body["workflow_template_id"])
        if template is None:
            raise BadInput("body.workflow_template_id", "no workflow template has this id", status=404)
        workflow_id = self.simulation.create_workflow(req.body, template, end_time, req.now)
        if req.body.get("details"):  # observed in public code: recipients given with the create call
            contacts = detail_contacts(workflow_id, req.body["details"], req.now)
            self.simulation.add_contacts(workflow_id, contacts, "details", req.now)
        return {"workflow_id": workflow_id}

    def add_workflow_lists(self, req: ValidRequest) -> Any:
        """`uploaddetails` (observed in public code, not in the docs): append recipients to a running workflow."""
        workflow = require_workflow(self.repo, req.body["workflow_id"], "body.workflow_id")
        contacts = detail_contacts(workflow.workflow_id, req.body["details"], req.now)
        try:
            added = self.simulation.add_contacts(workflow.workflow_id, contacts, "details", req.now)
        except ValueError as exc:
            raise BadInput("body.workflow_id", str(exc), status=409) from None
        return {"workflow_id": workflow.workflow_id, "added": added}

    def list_workflow_tasks(self, req: ValidRequest) -> Any:
        window = time_window(req.query, "query")
        count, page = self.repo.page_workflows(window, req.query["size"], req.query["page"])
        lists = [
            {
                "workflow_id": s.workflow.workflow_id,
                "name": s.workflow.name,
                "template_name": s.workflow.template_name,
                "start_time": iso(s.workflow.start_time) if s.workflow.start_time is not None else None,
                "end_time": iso(s.workflow.finish_time if s.workflow.finish_time is not None else s.workflow.end_time),
                "total": s.total,
                "status": s.workflow.status,
                "create_time": iso(s.workflow.create_time),
            }
            for s in page
        ]
        return {"lists": lists, "count": count}

    def query_workflow_ids(self, req: ValidRequest) -> Any:
        window = time_window(req.body, "body")
        rows = self.repo.workflows_of_contacts(window, req.body.get("case_id"), req.body.get("callee"))
        found = [
            {
                "workflow_id": r.workflow_id,
                "name": r.name,
                "status": r.status,
                "case_id": r.case_id,
                "callee": r.callee,
                "create_time": iso(r.create_time),
            }
            for r in rows
        ]
        return {"list": found, "total": len(found)}

    def verify_custom_api_node_data_push(self, req: ValidRequest) -> Any:
        """Push the Custom API node's data for one contact again, now."""
        body = req.body
        workflow = require_workflow(self.repo, body["workflow_id"], "body.workflow_id")
        node = require_node(self.repo, workflow.workflow_id, "api", ("nodetask_id", body["node_id"]), "body.node_id")
        contact = self.repo.find_contact(workflow.workflow_id, body["callee"], body.get("case_id"))
        if contact is None:
            raise BadInput("body.callee", "is not a contact of this workflow", status=404)
        self.simulation.push_api_data(node, contact, req.now)
        return {
            "workflow_id": workflow.workflow_id,
            "node_id": body["node_id"],
            "callee": body["callee"],
            "pushed": True,
        }


def detail_contacts(workflow_id: str, details: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """Observed `details` items (`callee`, `variables`) as the simulation's contacts: a `variables.case_id`
    string is the contact's case id, otherwise one is made up (the mock's choice)."""
    contacts = []
    for i, item in enumerate(details):
        variables = item.get("variables") or {}
        case_id = variables.get("case_id")
        extra = {k: v for k, v in variables.items() if k != "case_id"}
        made_up = f"{workflow_id[:8]}-{round(now * 1000)}-{i + 1}"
        contacts.append(
            {**extra, "case_id": case_id if isinstance(case_id, str) else made_up, "callee": item["callee"]}
        )
    return contacts
