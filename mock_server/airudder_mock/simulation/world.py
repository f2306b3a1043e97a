"""What the simulation's steps work on: the state, the settings, seeded ids and randomness, and the webhook
queue; plus the steps that several events share (a workflow ends, a contact finishes)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..config import MockConfig
from ..repository import Repository
from ..repository.records import Contact, Node, Workflow
from . import payloads
from .scenario import Scenario, Script

RUNNING = "running"


class Emit(Protocol):
    def __call__(self, kind: str, payload: dict[str, Any], workflow_id: str, at: float, fail_first: int = 0) -> None:
        """Queue the delivery of a webhook due at mock time `at`; its first `fail_first` attempts fail."""


class FaultSwitch(Protocol):
    def __call__(self, operation_id: str, options: dict[str, Any] | None) -> None:
        """Put an API fault rule in force (`options`), or clear the operation's rule (None)."""


def no_faults(operation_id: str, options: dict[str, Any] | None) -> None:
    raise RuntimeError("this world has no API faults to switch")


@dataclass(frozen=True)
class Held:
    """A webhook held back by an `out_of_order` fault until the next one of its workflow."""

    kind: str
    payload: dict[str, Any]
    at: float
    copies: int
    fail_first: int


@dataclass
class World:
    repo: Repository
    config: MockConfig
    emit: Emit
    public_url: str = ""
    """Base URL the recording links point at; set by the server once it knows its port."""
    scenario: Scenario = field(default_factory=Scenario)
    switch_fault: FaultSwitch = no_faults
    held: dict[str, Held] = field(default_factory=dict)
    """workflow_id -> the webhook an `out_of_order` fault holds back (in memory: a restart sends it in order)."""

    def script(self, contact: Contact, workflow: Workflow) -> Script | None:
        """The contact's scripted outcomes (a scenario's rule, or its magic number), or None: random odds."""
        return self.scenario.script_for(contact, workflow)

    def send(self, kind: str, payload: dict[str, Any], workflow: Workflow, at: float, contact: Contact | None) -> None:
        """Queue a webhook about `contact` (None: about the whole workflow) with the faults a scenario scripts."""
        script = self.script(contact, workflow) if contact else self.scenario.workflow_script(workflow)
        faults = [f for f in (script.webhooks if script else ()) if f.applies_to(kind)]
        if any(f.never for f in faults):
            return
        at += sum(f.late for f in faults)
        copies = 2 if any(f.twice for f in faults) else 1
        this = Held(kind, payload, at, copies, max((f.fail_first for f in faults), default=0))
        held = self.held.pop(workflow.workflow_id, None)
        if any(f.out_of_order for f in faults):
            self.held[workflow.workflow_id] = this
        else:
            self._queue(this, workflow.workflow_id)
        if held is not None:  # the one held back goes right after this one
            self._queue(replace(held, at=max(held.at, at)), workflow.workflow_id)

    def _queue(self, webhook: Held, workflow_id: str) -> None:
        for _ in range(webhook.copies):
            self.emit(webhook.kind, webhook.payload, workflow_id, webhook.at, webhook.fail_first)

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
        payload = payloads.workflow_status_changed(workflow, status, nodes)
        self.send("workflow_status_changed", payload, workflow, at, None)

    def maybe_complete(self, workflow_id: str, at: float) -> None:
        """auto_finish 1: the workflow finishes once no contact is left to process (otherwise at end_time)."""
        workflow = self.repo.workflow(workflow_id)
        if workflow is not None and workflow.auto_finish == 1 and not self.repo.has_open_contacts(workflow_id):
            self.finish(workflow_id, "finished", at)

    def dialer_task_status(self, workflow: Workflow, node: Node, status: str, at: float) -> None:
        payload = payloads.dialer_task_status(workflow, node, status, at)
        self.send("predictive_dialer_task_status_changed", payload, workflow, at, None)
