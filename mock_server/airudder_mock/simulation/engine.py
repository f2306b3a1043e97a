"""The workflow lifecycle on the mock clock: what requests start (a workflow, contacts, a stop) and the loop that
applies the timed events of `events.EVENTS` in order.

`run_until(t)` applies, in time order, every event due by mock time `t`, each at its own scheduled time and in
its own transaction; each event may schedule more. Outcomes come from RNGs seeded by the server seed and the
entity (workflow, contact, attempt), so the same seed and the same calls give the same history.
"""

from __future__ import annotations

from typing import Any

from ..config import MockConfig
from ..repository import Repository
from ..repository.records import Call, Contact, Node, Template
from . import payloads
from .events import apply
from .world import RUNNING, Emit, World


class NotRunning(ValueError):
    """The workflow has ended: nothing can be added to it or changed in it."""

    def __init__(self, workflow_id: str) -> None:
        super().__init__(f"workflow {workflow_id} is not running")


class Simulation:
    def __init__(self, repo: Repository, config: MockConfig, emit: Emit) -> None:
        self.repo = repo
        self.world = World(repo, config, emit)

    def create_workflow(self, body: dict[str, Any], template: Template, end_time: float, now: float) -> str:
        """Store a workflow task exactly as accepted, with synthesised contacts, and schedule its run."""
        world = self.world
        with self.repo.transaction():
            seq = self.repo.next_workflow_seq()
            workflow_id = world.make_id("workflow", seq)
            auto_finish = body.get("auto_finish", world.config.auto_finish)
            self.repo.insert_workflow(seq, workflow_id, body, template, end_time, now, auto_finish)
            for position, node in enumerate(template.nodes):
                has_task = node["type"] in ("call", "waba")
                name = f"{node['name']}_{world.make_id('suffix', workflow_id, position)[:6]}"
                task_id = world.make_id("task", workflow_id, position) if has_task else None
                nodetask_id = world.make_id("node", workflow_id, position)
                self.repo.insert_node(Node(nodetask_id, workflow_id, position, node["type"], name, task_id, "waiting"))
            world.schedule(end_time, "end", workflow_id=workflow_id)
            synthetic = [
                {"case_id": f"case-{seq}-{i + 1}", "callee": f"+6281{world.rng('callee', seq, i).randrange(10**8):08d}"}
                for i in range(world.config.contacts_per_workflow)
            ]
            self.add_contacts(workflow_id, synthetic, "default", now)  # the same transaction: all or nothing
        return workflow_id

    def add_contacts(self, workflow_id: str, contacts: list[dict[str, Any]], list_name: str, now: float) -> int:
        """Add contacts to a running workflow; each starts the first node a few seconds apart."""
        with self.repo.transaction():
            self._require_running(workflow_id)
            for i, contact in enumerate(contacts):
                contact_id = self.repo.insert_contact(workflow_id, contact, list_name, now)
                self.world.schedule(now + 10 * i, "node", contact_id=contact_id, position=0)
        return len(contacts)

    def finish(self, workflow_id: str, status: str, now: float) -> None:
        """End a workflow (`stopped`, `cancelled`, or `finished` at end_time): nothing further happens in it."""
        with self.repo.transaction():
            self._require_running(workflow_id)
            self.world.finish(workflow_id, status, now)

    def cancel_list(self, workflow_id: str, list_name: str, now: float) -> int:
        """Cancel the contacts of one list that have not finished; returns how many."""
        with self.repo.transaction():
            self._require_running(workflow_id)
            cancelled = self.repo.cancel_open_contacts(workflow_id, list_name)
            self.world.maybe_complete(workflow_id, now)
        return cancelled

    def run_until(self, now: float) -> None:
        """Apply every event due by `now`, in order, each at its own scheduled time."""
        if not self.repo.any_event_due(now):
            return  # the common case, kept off the write lock's path
        while True:
            with self.repo.transaction():
                event = self.repo.take_next_event(now)
                if event is None:
                    return
                apply(self.world, event.kind, event.due_at, event.data)

    def call_detail(self, call: Call) -> dict[str, Any]:
        """One call as taskdetail returns it (and call completion reports it)."""
        workflow, contact = self.repo.workflow(call.workflow_id), self.repo.contact(call.contact_id)
        node = self.repo.node(call.nodetask_id)
        assert workflow is not None and contact is not None, call
        return payloads.call_detail(workflow, node, contact, call, self.world.public_url)

    def push_api_data(self, node: Node, contact: Contact, now: float) -> None:
        """Send the Custom API node's data for one contact again, now."""
        workflow = self.repo.workflow(node.workflow_id)
        assert workflow is not None, node
        payload = payloads.custom_api_node_data_push(workflow, node, contact)
        self.world.send("custom_api_node_data_push", payload, workflow, now, contact)

    def _require_running(self, workflow_id: str) -> None:
        workflow = self.repo.workflow(workflow_id)
        if workflow is None or workflow.status != RUNNING:
            raise NotRunning(workflow_id)
