"""The simulation's event table: what each kind of timed event does. `EVENTS` maps the kind stored with an event
to its handler; a handler may change the state, send webhooks and schedule further events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..repository.records import Call, Contact, Node, Workflow
from . import payloads
from .world import RUNNING, World

CALL_OUTCOMES = (("answered", 0.55), ("no_answer", 0.25), ("busy", 0.12), ("failed", 0.08))
WABA_STEPS = {"wait": "sent", "sent": "delivered", "delivered": "read"}


def on_end(world: World, at: float, workflow_id: str) -> None:
    """A workflow's end_time: it finishes, if it still runs."""
    workflow = world.repo.workflow(workflow_id)
    if workflow is not None and workflow.status == RUNNING:
        world.finish(workflow_id, "finished", at)


def on_node(world: World, at: float, contact_id: int, position: int) -> None:
    """A contact reaches the node at `position`: a call is dialled, a WABA message queued or the API pushed."""
    active = world.active(contact_id, position)
    if active is None:
        return
    contact, node, workflow = active
    world.repo.set_contact_status(contact_id, "in_progress")
    if node.task_status == "waiting":
        world.repo.start_node(node.nodetask_id)
        if node.node_type == "call":
            world.dialer_task_status(workflow, node, "running", at)
    if node.node_type == "call":
        world.schedule(at, "dial", contact_id=contact_id, position=position, attempt=1)
    elif node.node_type == "waba":
        assert node.task_id is not None
        message_id = world.repo.insert_waba_message(
            workflow.workflow_id, node.task_id, node.nodetask_id, contact_id, at
        )
        world.schedule(at + 30, "waba", message_id=message_id, position=position)
    else:
        payload = payloads.custom_api_node_data_push(workflow, node, contact)
        world.send("custom_api_node_data_push", payload, workflow, at, contact)
        world.schedule(at, "node_done", contact_id=contact_id, position=position)


def on_dial(world: World, at: float, contact_id: int, position: int, attempt: int) -> None:
    """One call attempt: its outcome is drawn; unanswered, it is redialled until the redials run out."""
    active = world.active(contact_id, position)
    if active is None:
        return
    contact, node, workflow = active
    rng = world.rng("dial", contact_id, position, attempt)
    script = world.script(contact, workflow)
    if script is not None:  # a magic number or a scenario: no dice
        outcome = script.call_status(attempt)
        answered = outcome == "answered"
        duration, recorded = (script.duration, script.recording) if answered else (0, False)
        redial = not answered and script.redials(attempt, world.config.max_redials)
        redial_after = script.redial_after or world.config.redial_interval
    else:
        outcome = rng.choices([o for o, _ in CALL_OUTCOMES], [w for _, w in CALL_OUTCOMES])[0]
        answered = outcome == "answered"
        duration, recorded = (rng.randint(20, 180), True) if answered else (0, False)
        redial, redial_after = not answered and attempt <= world.config.max_redials, world.config.redial_interval
    call_id = world.make_id("call", contact_id, position, attempt)
    assert node.task_id is not None
    call = Call(
        *(call_id, workflow.workflow_id, node.nodetask_id, node.task_id, contact_id, attempt, outcome),
        *(at, duration, recorded),
    )
    world.repo.insert_call(call)
    payload = payloads.dialer_contact_status(workflow, node, contact, call)
    world.send("predictive_dialer_contact_status_changed", payload, workflow, at, contact)
    if answered and script is None and rng.random() < 0.3:
        for status, when in (("busy", at), ("idle", at + duration)):
            payload = payloads.dialer_agent_status(workflow, node, call_id, status, when)
            world.send("predictive_dialer_agent_status_changed", payload, workflow, when, contact)
    if redial:
        next_try = at + redial_after
        world.schedule(next_try, "dial", contact_id=contact_id, position=position, attempt=attempt + 1)
        return
    kind = "info_check_call_completed" if workflow.category == "info_check" else "call_completed"
    payload = payloads.call_detail(workflow, node, contact, call, world.public_url)
    world.send(kind, payload, workflow, at + duration, contact)
    world.schedule(at + duration, "node_done", contact_id=contact_id, position=position)


def on_waba(world: World, at: float, message_id: int, position: int) -> None:
    """A WABA message moves one step (sent, delivered, read; or failed); a read one may end a chatbot session."""
    message = world.repo.waba_message(message_id)
    active = world.active(message.contact_id, position)
    if active is None:
        return
    contact, node, workflow = active
    rng = world.rng("waba", message_id, message.status)
    script = world.script(contact, workflow)
    if script is None:
        status = "failed" if message.status == "wait" and rng.random() < 0.1 else WABA_STEPS[message.status]
        session = rng.random() < 0.5
    else:  # scripted: on to its end, or failed at once
        status = "failed" if script.waba == "failed" else WABA_STEPS[message.status]
        session = script.waba == "chatbot_session"
    last = script is not None and status == {"chatbot_session": "read"}.get(script.waba, script.waba)
    world.repo.set_waba_status(message_id, status)
    payload = payloads.waba_message_status_changed(workflow, node, contact, status, message.send_time, at)
    world.send("waba_message_status_changed", payload, workflow, at, contact)
    if status in WABA_STEPS and not last:
        world.schedule(at + 60, "waba", message_id=message_id, position=position)
        return
    if status == "read" and session:
        _chatbot_session_ended(world, workflow, node, contact, message_id, at + 120)
    world.schedule(at, "node_done", contact_id=contact.contact_id, position=position)


def _chatbot_session_ended(
    world: World, workflow: Workflow, node: Node, contact: Contact, message_id: int, at: float
) -> None:
    payload = payloads.chatbot_session_ended(workflow, node, contact, world.make_id("session", message_id), at)
    world.send("chatbot_session_ended", payload, workflow, at, contact)


def on_node_done(world: World, at: float, contact_id: int, position: int) -> None:
    """A contact is through a node: on to the next one, or done with the workflow."""
    active = world.active(contact_id, position)
    if active is None:
        return
    contact, _, workflow = active
    nodes = world.repo.nodes(workflow.workflow_id)
    if position + 1 < len(nodes):
        world.schedule(at, "node", contact_id=contact_id, position=position + 1)
        return
    world.repo.set_contact_status(contact_id, "done")
    payload = payloads.workflow_list_completed(workflow, contact, nodes)
    world.send("workflow_list_completed", payload, workflow, at, contact)
    world.maybe_complete(workflow.workflow_id, at)


def on_api_fault(world: World, at: float, operation_id: str, options: dict[str, Any] | None) -> None:
    """A scenario's API fault comes into force (`options`), or ends (None)."""
    world.switch_fault(operation_id, options)


EventHandler = Callable[..., None]
"""(world, due time, **the event's data) -> None"""

EVENTS: dict[str, EventHandler] = {
    "end": on_end,
    "node": on_node,
    "dial": on_dial,
    "waba": on_waba,
    "node_done": on_node_done,
    "api_fault": on_api_fault,
}
"""Event kind (as stored in the events table) -> its handler."""


def apply(world: World, kind: str, at: float, data: dict[str, Any]) -> None:
    EVENTS[kind](world, at, **data)
