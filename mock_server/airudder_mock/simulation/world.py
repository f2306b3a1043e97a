"""What the simulation's steps work on: the state, the settings, seeded ids and randomness, and the webhook
queue; plus the steps that several events share (a workflow ends, a contact finishes)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import MockConfig
from ..repository import Repository
from ..repository.records import Contact, Node, Workflow
from . import payloads

Emit = Callable[[str, dict[str, Any], str, float], None]
"""(webhook kind, payload, workflow_id, mock time) -> queue the delivery."""
RUNNING = "running"


@dataclass
class World:
    repo: Repository
    config: MockConfig
    emit: Emit
    public_url: str = ""
    """Base URL the recording links point at; set by the server once it knows its port."""

    def make_id(self, *parts: object) -> str:
        """An id derived from the seed and `parts`: the same seed and calls give the same ids."""
        return hashlib.sha256(":".join(map(str, (self.config.seed, *parts))).encode()).hexdigest()[:32]

    def rng(self, *parts: object) -> random.Random:
        return random.Random(self.make_id(*parts))

    def schedule(self, at: float, kind: str, **data: Any) -> None:
        """Queue an event of `kind` (a key of `events.EVENTS`) for mock time `at`."""
        self.repo.schedule(at, kind, data)

    def active(self, contact_id: int, position: int) -> tuple[Contact, Node, Workflow] | None:
        """The contact, its node at `position` and its workflow, if the workflow runs and the contact is live."""
        contact = self.repo.contact(contact_id)
        if contact is None or contact.status == "cancelled":
            return None
        workflow = self.repo.workflow(contact.workflow_id)
        if workflow is None or workflow.status != RUNNING:
            return None
        return contact, self.repo.nodes(contact.workflow_id)[position], workflow

    def finish(self, workflow_id: str, status: str, at: float) -> None:
        """End a workflow and its tasks with `status`, sending the status webhooks."""
        self.repo.set_workflow_status(workflow_id, status, at)
        workflow = self.repo.workflow(workflow_id)
        assert workflow is not None, workflow_id
        nodes = self.repo.nodes(workflow_id)
        for node in nodes:
            if node.node_type == "call":
                self.dialer_task_status(workflow, node, status, at)
        self.emit("workflow_status_changed", payloads.workflow_status_changed(workflow, status, nodes), workflow_id, at)

    def maybe_complete(self, workflow_id: str, at: float) -> None:
        """auto_finish 1: the workflow finishes once no contact is left to process (otherwise at end_time)."""
        workflow = self.repo.workflow(workflow_id)
        if workflow is not None and workflow.auto_finish == 1 and not self.repo.has_open_contacts(workflow_id):
            self.finish(workflow_id, "finished", at)

    def dialer_task_status(self, workflow: Workflow, node: Node, status: str, at: float) -> None:
        payload = payloads.dialer_task_status(workflow, node, status, at)
        self.emit("predictive_dialer_task_status_changed", payload, workflow.workflow_id, at)
