"""The set-up of a run against the embedded mock: the resources the spec's links lead to exist, and their ids.

The spec's links carry a workflow id from the task list to the WABA task details and to the Custom API node
push; the WABA task id, the node id and a callee are not in the list (the docs do not put them there), so a
random value would only ever meet a 404. Through the mock's admin API (`/_mock/`), the set-up gives every
template a call task, a WABA task and a Custom API node, creates workflows from them and lets them run, and
then answers, for a workflow id, the ids a client would have from creating it (`Known.inputs_for`). The
stateful phase fills those in, and only those, where a link left them random; the report counts such steps.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import httpx

from airudder import TokenAuth

from .target import Target

NODES = ({"type": "call", "name": "Voicebot Call1"}, {"type": "waba", "name": "WABA Template1"})
API_NODE = {"type": "api", "name": "Custom API1"}
END_TIME = "2099-01-01T00:00:00Z"


@dataclass
class Known:
    """What the set-up knows about the mock's workflows: per workflow id, its WABA task, API node and callee."""

    admin_url: str
    headers: dict[str, str] = field(default_factory=dict)
    """The admin token's header, when the mock requires one."""
    by_workflow: dict[str, dict[str, str]] = field(default_factory=dict)
    template_ids: list[int] = field(default_factory=list)

    def inputs_for(self, workflow_id: str) -> dict[str, str]:
        """`task_id` (its WABA task), `node_id` (its Custom API node), `callee` (one of its contacts), when known."""
        if workflow_id not in self.by_workflow:
            self.refresh()
        return self.by_workflow.get(workflow_id, {})

    def refresh(self) -> None:
        state = httpx.get(f"{self.admin_url}/state", headers=self.headers, timeout=30).raise_for_status().json()
        found: dict[str, dict[str, str]] = {}
        for node in state["nodes"]:
            mine = found.setdefault(node["workflow_id"], {})
            if node["node_type"] == "waba" and node["task_id"]:
                mine.setdefault("task_id", node["task_id"])
            elif node["node_type"] == "api":
                mine.setdefault("node_id", node["nodetask_id"])
        for contact in state["contacts"]:
            found.setdefault(contact["workflow_id"], {}).setdefault("callee", contact["callee"])
        self.by_workflow = found


def requested() -> bool:
    """`--mock-setup` (`AIRUDDER_CONTRACT_MOCK_SETUP=1`): the URL under test is an airudder-mock, to be given
    the embedded mock's set-up through its admin API. Never guessed by probing: a live run sends nothing but the
    spec's operations."""
    return os.environ.get("AIRUDDER_CONTRACT_MOCK_SETUP") == "1"


def prepare(target: Target, auth: TokenAuth) -> Known:
    """Make every template of the mock hold a WABA task and a Custom API node, create a workflow from each, and
    let them run an hour (calls placed, WABA messages sent), so the linked resources exist."""
    admin = f"{target.base_url}/_mock"
    headers = {"Authorization": f"Token {auth.token()}"}
    admin_headers = target.admin_headers
    with httpx.Client(base_url=target.base_url, headers=headers, timeout=30) as http:
        templates = http.get("/_mock/templates", headers=admin_headers).raise_for_status().json()["data"]
        for template in templates:
            kinds = {node["type"] for node in template["nodes"]}
            nodes = list(template["nodes"])
            nodes += [dict(n) for n in NODES if n["type"] not in kinds]
            if "api" not in kinds:
                nodes.insert(0, dict(API_NODE))  # a Custom API node pushes before the call, as in the docs' example
            body: dict[str, Any] = {"id": template["id"], "name": template["name"], "nodes": nodes}
            if template.get("category"):
                body["category"] = template["category"]
            http.post("/_mock/templates", json=body, headers=admin_headers).raise_for_status()
        ids = [t["id"] for t in templates]
        for template_id in ids:
            body = {"workflow_template_id": template_id, "name": f"contract-{template_id}", "end_time": END_TIME}
            http.post("/service/cloud/workflow/createinstance", json=body).raise_for_status()
        http.post("/_mock/clock", json={"advance": 3600}, headers=admin_headers).raise_for_status()
    known = Known(admin, admin_headers, template_ids=ids)
    known.refresh()
    return known


def complete(known: Known, operation_id: str, case: Any, applied: bool) -> bool:
    """Fill in what a followed link left random with the ids of the workflow it carried; True when it did.

    Only the inputs the link cannot carry are set, and only when the link did carry the workflow id.
    `create_workflow_task`, the start of a sequence, gets a template the mock has and a valid `end_time`.
    """
    if operation_id == "create_workflow_task":
        if not isinstance(case.body, dict) or not known.template_ids:
            return False
        case.body = {**case.body, "workflow_template_id": known.template_ids[0], "end_time": END_TIME}
        return True
    if not applied:
        return False
    if operation_id == "get_waba_task_details" and case.query:
        inputs = known.inputs_for(str(case.query.get("workflow_id")))
        if "task_id" in inputs:
            case.query = {**case.query, "task_id": inputs["task_id"]}
            return True
    if operation_id == "verify_custom_api_node_data_push" and isinstance(case.body, dict):
        inputs = known.inputs_for(str(case.body.get("workflow_id")))
        if "node_id" in inputs and "callee" in inputs:
            body = {k: v for k, v in case.body.items() if k != "case_id"}
            case.body = {**body, "node_id": inputs["node_id"], "callee": inputs["callee"]}
            return True
    return False
