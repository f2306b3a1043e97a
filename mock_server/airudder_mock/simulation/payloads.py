"""The webhook payloads the simulation sends, built from records. Each conforms to its schema in the spec
(`Deliveries.enqueue` checks); fields the docs do not show are the mock's choice (see docs/mock.md)."""

from __future__ import annotations

from typing import Any

from ..clock import iso, local
from ..repository.records import Call, Contact, Node, Workflow


def node_row(node: Node) -> dict[str, Any]:
    """A node as the workflow webhooks list it."""
    row = {"nodetask_id": node.nodetask_id, "nodetask_name": node.name, "node_type": node.node_type}
    return {**row, "task_id": node.task_id} if node.task_id else row


def workflow_status_changed(workflow: Workflow, status: str, nodes: list[Node]) -> dict[str, Any]:
    actions = [{**node_row(n), "task_status": n.task_status} if n.task_id else node_row(n) for n in nodes]
    return {
        "workflow_id": workflow.workflow_id,
        "workflow_name": workflow.display_name,
        "status": status,
        "actions": actions,
    }


def workflow_list_completed(workflow: Workflow, contact: Contact, nodes: list[Node]) -> dict[str, Any]:
    return {
        "workflow_id": workflow.workflow_id,
        "workflow_name": workflow.display_name,
        "case_id": contact.case_id,
        "callee_number": contact.callee,
        "rows": [node_row(n) for n in nodes],
    }


def dialer_task_status(workflow: Workflow, node: Node, status: str, at: float) -> dict[str, Any]:
    return {
        "task_id": node.task_id,
        "workflow_id": workflow.workflow_id,
        "nodetask_id": node.nodetask_id,
        "status": status,
        "time": iso(at),
    }


def dialer_contact_status(workflow: Workflow, node: Node, contact: Contact, call: Call) -> dict[str, Any]:
    return {
        "task_id": node.task_id,
        "workflow_id": workflow.workflow_id,
        "case_id": contact.case_id,
        "callee": contact.callee,
        "call_id": call.call_id,
        "status": call.status,
        "attempt": call.attempt,
        "time": iso(call.start_time),
    }


def dialer_agent_status(workflow: Workflow, node: Node, call_id: str, status: str, at: float) -> dict[str, Any]:
    return {
        "task_id": node.task_id,
        "workflow_id": workflow.workflow_id,
        "agent_id": "mock-agent-1",
        "call_id": call_id,
        "status": status,
        "time": iso(at),
    }


def call_detail(workflow: Workflow, node: Node, contact: Contact, call: Call, public_url: str) -> dict[str, Any]:
    """One call as taskdetail returns it and call completion reports it (the mock's choice of fields)."""
    recording = f"{public_url}/_mock/recordings/{call.call_id}.wav" if call.recording else None
    return {
        "workflow_id": workflow.workflow_id,
        "workflow_name": workflow.display_name,
        "nodetask_id": node.nodetask_id,
        "nodetask_name": node.name,
        "task_id": call.task_id,
        "case_id": contact.case_id,
        "callee": contact.callee,
        "call_id": call.call_id,
        "status": call.status,
        "attempt": call.attempt,
        "start_time": iso(call.start_time),
        "duration": call.duration,
        "recording_url": recording,
    }


def waba_message_status_changed(
    workflow: Workflow, node: Node, contact: Contact, status: str, send_time: float, at: float
) -> dict[str, Any]:
    return {
        "workflow_id": workflow.workflow_id,
        "task_id": node.task_id,
        "nodetask_id": node.nodetask_id,
        "caseid": contact.case_id,
        "callee": contact.callee,
        "status": status,
        "send_time": local(send_time),
        "time": iso(at),
    }


def chatbot_session_ended(
    workflow: Workflow, node: Node, contact: Contact, session_id: str, at: float
) -> dict[str, Any]:
    """The ten fields and `call_id` the docs show (their values are the mock's)."""
    return {
        "workflow_id": workflow.workflow_id,
        "workflow_name": workflow.display_name,
        "nodetask_id": node.nodetask_id,
        "nodetask_name": node.name,
        "waba_task_id": node.task_id or "",
        "wfdetail_uuid": f"{workflow.workflow_id[:16]}{contact.contact_id:016x}",
        "timestamp": int(at),
        "channel": "whatsapp",
        "channel_id": "mock-waba-channel",
        "callee": contact.callee,
        "call_id": session_id,
    }


def custom_api_node_data_push(workflow: Workflow, node: Node, contact: Contact) -> dict[str, Any]:
    return {
        "workflow_id": workflow.workflow_id,
        "workflow_name": workflow.display_name,
        "node_id": node.nodetask_id,
        "node_name": node.name,
        "callee": {
            "case_id": contact.case_id,
            "callee_name": contact.name,
            "callee_gender": contact.gender,
            "callee_number": contact.callee,
            "platform_name": "airudder-mock",
            "extra_a": str(contact.extra.get("extra_a", "")),
        },
    }
