"""The workflow lifecycle on the mock clock: contacts go through the template's nodes, calls and WABA messages
happen, and every step schedules the webhooks AIRudder would send.

The simulation is a queue of timed events in the store. `run_until(t)` applies, in time order, every event
due by mock time `t`; each event may schedule more. Outcomes come from RNGs seeded by the server seed and the
entity (workflow, contact, attempt), so the same seed and the same calls give the same history.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

from .clock import iso, local
from .config import MockConfig
from .store import Store

Emit = Callable[[str, dict[str, Any], str, float], None]
"""(webhook kind, payload, workflow_id, mock time) -> queue the delivery."""

CALL_OUTCOMES = (("answered", 0.55), ("no_answer", 0.25), ("busy", 0.12), ("failed", 0.08))
WABA_STEPS = {"wait": "sent", "sent": "delivered", "delivered": "read"}
RUNNING = "running"


class Simulation:
    def __init__(self, store: Store, config: MockConfig, emit: Emit) -> None:
        self.store, self.config, self.emit = store, config, emit
        self.public_url = ""
        """Base URL the recording links point at; set by the server once it knows its port."""

    # ids and randomness -------------------------------------------------------------------------------

    def make_id(self, *parts: object) -> str:
        return hashlib.sha256(":".join(map(str, (self.config.seed, *parts))).encode()).hexdigest()[:32]

    def rng(self, *parts: object) -> random.Random:
        return random.Random(self.make_id(*parts))

    # templates ----------------------------------------------------------------------------------------

    def seed_templates(self, templates: list[dict[str, Any]], replace: bool = True) -> None:
        """Store templates; with `replace=False` a template already stored under the same id is kept."""
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self.store.transaction() as db:
            for t in templates:
                db.execute(
                    f"{verb} INTO templates (id, name, nodes) VALUES (?, ?, ?)",
                    (
                        t["id"],
                        t["name"],
                        json.dumps({"nodes": t["nodes"], "category": t.get("category", "")}),
                    ),
                )

    def template(self, template_id: int) -> dict[str, Any] | None:
        row = self.store.one("SELECT * FROM templates WHERE id = ?", template_id)
        if row is None:
            return None
        return {"id": row["id"], "name": row["name"], **json.loads(row["nodes"])}

    # workflows ----------------------------------------------------------------------------------------

    def create_workflow(self, body: dict[str, Any], end_time: float, now: float) -> str:
        """Store a workflow task exactly as accepted, with synthesised contacts, and schedule its run."""
        template = self.template(body["workflow_template_id"])
        if template is None:
            raise KeyError(body["workflow_template_id"])
        with self.store.transaction() as db:
            seq = (db.execute("SELECT COALESCE(MAX(seq), 0) FROM workflows").fetchone()[0] or 0) + 1
            workflow_id = self.make_id("workflow", seq)
            db.execute(
                "INSERT INTO workflows (seq, workflow_id, name, workflow_name, template_id, template_name, status,"
                " auto_finish, end_time, start_time, create_time, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    seq,
                    workflow_id,
                    body["name"],
                    body.get("workflow_name"),
                    template["id"],
                    template["name"],
                    RUNNING,
                    body.get("auto_finish", 2),
                    end_time,
                    now,
                    now,
                    json.dumps(body),
                ),
            )
            for position, node in enumerate(template["nodes"]):
                has_task = node["type"] in ("call", "waba")
                db.execute(
                    "INSERT INTO nodes VALUES (?,?,?,?,?,?,?)",
                    (
                        self.make_id("node", workflow_id, position),
                        workflow_id,
                        position,
                        node["type"],
                        f"{node['name']}_{self.make_id('suffix', workflow_id, position)[:6]}",
                        self.make_id("task", workflow_id, position) if has_task else None,
                        "waiting",
                    ),
                )
            self.schedule(db, end_time, "end", workflow_id=workflow_id)
            synthetic = [
                {
                    "case_id": f"case-{seq}-{i + 1}",
                    "callee": f"+6281{self.rng('callee', seq, i).randrange(10**8):08d}",
                }
                for i in range(self.config.contacts_per_workflow)
            ]
            self.add_contacts(workflow_id, synthetic, "default", now)  # the same transaction: all or nothing
        return workflow_id

    def add_contacts(self, workflow_id: str, contacts: list[dict[str, Any]], list_name: str, now: float) -> int:
        """Add contacts to a running workflow; each starts the first node a few seconds apart."""
        with self.store.transaction() as db:
            if self._status(db, workflow_id) != RUNNING:
                raise ValueError(f"workflow {workflow_id} is not running")
            for i, c in enumerate(contacts):
                extra = {k: v for k, v in c.items() if k not in ("case_id", "callee", "name", "gender")}
                cursor = db.execute(
                    "INSERT INTO contacts (workflow_id, case_id, callee, name, gender, list_name, status, created_at,"
                    " extra) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        workflow_id,
                        str(c["case_id"]),
                        str(c["callee"]),
                        str(c.get("name", "")),
                        str(c.get("gender", "")),
                        list_name,
                        "pending",
                        now,
                        json.dumps(extra),
                    ),
                )
                self.schedule(db, now + 10 * i, "node", contact_id=cursor.lastrowid, position=0)
        return len(contacts)

    def finish(self, workflow_id: str, status: str, now: float) -> None:
        """End a workflow (`stopped`, `cancelled`, or `finished` at end_time): nothing further happens in it."""
        with self.store.transaction() as db:
            if self._status(db, workflow_id) != RUNNING:
                raise ValueError(f"workflow {workflow_id} is not running")
            self._finish(db, workflow_id, status, now)

    def cancel_list(self, workflow_id: str, list_name: str, now: float) -> int:
        """Cancel the contacts of one list that have not finished; returns how many."""
        with self.store.transaction() as db:
            if self._status(db, workflow_id) != RUNNING:
                raise ValueError(f"workflow {workflow_id} is not running")
            cursor = db.execute(
                "UPDATE contacts SET status = 'cancelled' WHERE workflow_id = ? AND list_name = ?"
                " AND status IN ('pending', 'in_progress')",
                (workflow_id, list_name),
            )
            self._maybe_complete(db, workflow_id, now)
            return cursor.rowcount

    # the event loop -------------------------------------------------------------------------------------

    def run_until(self, now: float) -> None:
        """Apply every event due by `now`, in order, each at its own scheduled time."""
        if self.store.one("SELECT 1 FROM events WHERE due_at <= ? LIMIT 1", now) is None:
            return  # the common case, kept off the write lock's path
        while True:
            with self.store.transaction() as db:
                event = db.execute(
                    "SELECT * FROM events WHERE due_at <= ? ORDER BY due_at, id LIMIT 1", (now,)
                ).fetchone()
                if event is None:
                    return
                db.execute("DELETE FROM events WHERE id = ?", (event["id"],))
                handler = getattr(self, f"_on_{event['kind']}")
                handler(db, event["due_at"], **json.loads(event["data"]))

    def schedule(self, db: Any, at: float, kind: str, **data: Any) -> None:
        db.execute("INSERT INTO events (due_at, kind, data) VALUES (?, ?, ?)", (at, kind, json.dumps(data)))

    def _on_end(self, db: Any, at: float, workflow_id: str) -> None:
        if self._status(db, workflow_id) == RUNNING:
            self._finish(db, workflow_id, "finished", at)

    def _on_node(self, db: Any, at: float, contact_id: int, position: int) -> None:
        contact, node, workflow = self._context(db, contact_id, position)
        if contact is None or workflow["status"] != RUNNING or contact["status"] == "cancelled":
            return
        db.execute("UPDATE contacts SET status = 'in_progress' WHERE contact_id = ?", (contact_id,))
        if node["task_status"] == "waiting":
            db.execute("UPDATE nodes SET task_status = 'running' WHERE nodetask_id = ?", (node["nodetask_id"],))
            if node["node_type"] == "call":
                self._dialer_task_status(workflow, node, "running", at)
        if node["node_type"] == "call":
            self.schedule(db, at, "dial", contact_id=contact_id, position=position, attempt=1)
        elif node["node_type"] == "waba":
            cursor = db.execute(
                "INSERT INTO waba_messages (workflow_id, task_id, nodetask_id, contact_id, status, send_time)"
                " VALUES (?,?,?,?,?,?)",
                (workflow["workflow_id"], node["task_id"], node["nodetask_id"], contact_id, "wait", at),
            )
            self.schedule(db, at + 30, "waba", message_id=cursor.lastrowid, position=position)
        else:
            self._api_push(workflow, node, contact, at)
            self.schedule(db, at, "node_done", contact_id=contact_id, position=position)

    def _on_dial(self, db: Any, at: float, contact_id: int, position: int, attempt: int) -> None:
        contact, node, workflow = self._context(db, contact_id, position)
        if contact is None or workflow["status"] != RUNNING or contact["status"] == "cancelled":
            return
        rng = self.rng("dial", contact_id, position, attempt)
        outcome = rng.choices([o for o, _ in CALL_OUTCOMES], [w for _, w in CALL_OUTCOMES])[0]
        answered = outcome == "answered"
        duration = rng.randint(20, 180) if answered else 0
        call_id = self.make_id("call", contact_id, position, attempt)
        db.execute(
            "INSERT INTO calls VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                call_id,
                workflow["workflow_id"],
                node["nodetask_id"],
                node["task_id"],
                contact_id,
                attempt,
                outcome,
                at,
                duration,
                int(answered),
            ),
        )
        self.emit(
            "predictive_dialer_contact_status_changed",
            {
                "task_id": node["task_id"],
                "workflow_id": workflow["workflow_id"],
                "case_id": contact["case_id"],
                "callee": contact["callee"],
                "call_id": call_id,
                "status": outcome,
                "attempt": attempt,
                "time": iso(at),
            },
            workflow["workflow_id"],
            at,
        )
        if answered and rng.random() < 0.3:
            self._agent_status(workflow, node, call_id, "busy", at)
            self._agent_status(workflow, node, call_id, "idle", at + duration)
        if not answered and attempt <= self.config.max_redials:
            self.schedule(
                db,
                at + self.config.redial_interval,
                "dial",
                contact_id=contact_id,
                position=position,
                attempt=attempt + 1,
            )
            return
        kind = "info_check_call_completed" if workflow["category"] == "info_check" else "call_completed"
        self.emit(kind, self._call_payload(db, call_id), workflow["workflow_id"], at + duration)
        self.schedule(db, at + duration, "node_done", contact_id=contact_id, position=position)

    def _on_waba(self, db: Any, at: float, message_id: int, position: int) -> None:
        message = db.execute("SELECT * FROM waba_messages WHERE id = ?", (message_id,)).fetchone()
        contact, node, workflow = self._context(db, message["contact_id"], position)
        if contact is None or workflow["status"] != RUNNING or contact["status"] == "cancelled":
            return
        rng = self.rng("waba", message_id, message["status"])
        status = "failed" if message["status"] == "wait" and rng.random() < 0.1 else WABA_STEPS[message["status"]]
        db.execute("UPDATE waba_messages SET status = ? WHERE id = ?", (status, message_id))
        self.emit(
            "waba_message_status_changed",
            {
                "workflow_id": workflow["workflow_id"],
                "task_id": node["task_id"],
                "nodetask_id": node["nodetask_id"],
                "caseid": contact["case_id"],
                "callee": contact["callee"],
                "status": status,
                "send_time": local(message["send_time"]),
                "time": iso(at),
            },
            workflow["workflow_id"],
            at,
        )
        if status in WABA_STEPS:
            self.schedule(db, at + 60, "waba", message_id=message_id, position=position)
            return
        if status == "read" and rng.random() < 0.5:
            self.emit(
                "chatbot_session_ended",
                {  # the ten fields and `call_id` the docs show; their values are the mock's
                    "workflow_id": workflow["workflow_id"],
                    "workflow_name": workflow["display_name"],
                    "nodetask_id": node["nodetask_id"],
                    "nodetask_name": node["name"],
                    "waba_task_id": node["task_id"],
                    "wfdetail_uuid": self.make_id("wfdetail", contact["contact_id"]),
                    "timestamp": int(at + 120),
                    "channel": "whatsapp",
                    "channel_id": "mock-waba-channel",
                    "callee": contact["callee"],
                    "call_id": self.make_id("session", message_id),
                },
                workflow["workflow_id"],
                at + 120,
            )
        self.schedule(db, at, "node_done", contact_id=contact["contact_id"], position=position)

    def _on_node_done(self, db: Any, at: float, contact_id: int, position: int) -> None:
        contact, _, workflow = self._context(db, contact_id, position)
        if contact is None or workflow["status"] != RUNNING or contact["status"] == "cancelled":
            return
        nodes = self._nodes(db, workflow["workflow_id"])
        if position + 1 < len(nodes):
            self.schedule(db, at, "node", contact_id=contact_id, position=position + 1)
            return
        db.execute("UPDATE contacts SET status = 'done' WHERE contact_id = ?", (contact_id,))
        self.emit(
            "workflow_list_completed",
            {
                "workflow_id": workflow["workflow_id"],
                "workflow_name": workflow["display_name"],
                "case_id": contact["case_id"],
                "callee_number": contact["callee"],
                "rows": [self._row(n) for n in nodes],
            },
            workflow["workflow_id"],
            at,
        )
        self._maybe_complete(db, workflow["workflow_id"], at)

    # helpers --------------------------------------------------------------------------------------------

    def _maybe_complete(self, db: Any, workflow_id: str, at: float) -> None:
        """auto_finish 1: the workflow finishes once no contact is left to process (otherwise at end_time)."""
        workflow = db.execute("SELECT * FROM workflows WHERE workflow_id = ?", (workflow_id,)).fetchone()
        open_contacts = db.execute(
            "SELECT COUNT(*) FROM contacts WHERE workflow_id = ? AND status IN ('pending', 'in_progress')",
            (workflow_id,),
        ).fetchone()[0]
        if workflow["auto_finish"] == 1 and open_contacts == 0:
            self._finish(db, workflow_id, "finished", at)

    def _finish(self, db: Any, workflow_id: str, status: str, at: float) -> None:
        db.execute(
            "UPDATE workflows SET status = ?, finish_time = ? WHERE workflow_id = ?",
            (status, at, workflow_id),
        )
        db.execute("UPDATE nodes SET task_status = ? WHERE workflow_id = ?", (status, workflow_id))
        workflow = self.workflow_details(db, workflow_id)
        nodes = self._nodes(db, workflow_id)
        for node in nodes:
            if node["node_type"] == "call":
                self._dialer_task_status(workflow, node, status, at)
        self.emit(
            "workflow_status_changed",
            {
                "workflow_id": workflow_id,
                "workflow_name": workflow["display_name"],
                "status": status,
                "actions": [
                    {**self._row(n), "task_status": n["task_status"]} if n["task_id"] else self._row(n) for n in nodes
                ],
            },
            workflow_id,
            at,
        )

    def _status(self, db: Any, workflow_id: str) -> str | None:
        row = db.execute("SELECT status FROM workflows WHERE workflow_id = ?", (workflow_id,)).fetchone()
        return None if row is None else str(row[0])

    def workflow_details(self, db: Any, workflow_id: str) -> dict[str, Any]:
        row = dict(db.execute("SELECT * FROM workflows WHERE workflow_id = ?", (workflow_id,)).fetchone())
        template = db.execute("SELECT nodes FROM templates WHERE id = ?", (row["template_id"],)).fetchone()
        row["category"] = json.loads(template["nodes"]).get("category", "") if template else ""
        row["display_name"] = row["workflow_name"] or row["name"]
        return row

    def _nodes(self, db: Any, workflow_id: str) -> list[dict[str, Any]]:
        rows = db.execute("SELECT * FROM nodes WHERE workflow_id = ? ORDER BY position", (workflow_id,))
        return [dict(r) for r in rows]

    def _context(self, db: Any, contact_id: int, position: int) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        contact = db.execute("SELECT * FROM contacts WHERE contact_id = ?", (contact_id,)).fetchone()
        if contact is None:
            return None, {}, {}
        return (
            contact,
            self._nodes(db, contact["workflow_id"])[position],
            self.workflow_details(db, contact["workflow_id"]),
        )

    @staticmethod
    def _row(node: dict[str, Any]) -> dict[str, Any]:
        row = {
            "nodetask_id": node["nodetask_id"],
            "nodetask_name": node["name"],
            "node_type": node["node_type"],
        }
        return {**row, "task_id": node["task_id"]} if node["task_id"] else row

    def call_detail(self, db: Any, call_id: str) -> dict[str, Any]:
        """One call as taskdetail returns it and call completion reports it (the mock's choice of fields)."""
        return self._call_payload(db, call_id)

    def _call_payload(self, db: Any, call_id: str) -> dict[str, Any]:
        call = db.execute("SELECT * FROM calls WHERE call_id = ?", (call_id,)).fetchone()
        contact = db.execute("SELECT * FROM contacts WHERE contact_id = ?", (call["contact_id"],)).fetchone()
        node = db.execute("SELECT * FROM nodes WHERE nodetask_id = ?", (call["nodetask_id"],)).fetchone()
        workflow = self.workflow_details(db, call["workflow_id"])
        return {
            "workflow_id": workflow["workflow_id"],
            "workflow_name": workflow["display_name"],
            "nodetask_id": node["nodetask_id"],
            "nodetask_name": node["name"],
            "task_id": call["task_id"],
            "case_id": contact["case_id"],
            "callee": contact["callee"],
            "call_id": call_id,
            "status": call["status"],
            "attempt": call["attempt"],
            "start_time": iso(call["start_time"]),
            "duration": call["duration"],
            "recording_url": f"{self.public_url}/_mock/recordings/{call_id}.wav" if call["recording"] else None,
        }

    def _api_push(self, workflow: dict[str, Any], node: dict[str, Any], contact: Any, at: float) -> None:
        self.emit(
            "custom_api_node_data_push",
            self.api_push_payload(workflow, node, contact),
            workflow["workflow_id"],
            at,
        )

    def api_push_payload(self, workflow: dict[str, Any], node: dict[str, Any], contact: Any) -> dict[str, Any]:
        extra = json.loads(contact["extra"])
        return {
            "workflow_id": workflow["workflow_id"],
            "workflow_name": workflow["display_name"],
            "node_id": node["nodetask_id"],
            "node_name": node["name"],
            "callee": {
                "case_id": contact["case_id"],
                "callee_name": contact["name"],
                "callee_gender": contact["gender"],
                "callee_number": contact["callee"],
                "platform_name": "airudder-mock",
                "extra_a": str(extra.get("extra_a", "")),
            },
        }

    def _dialer_task_status(self, workflow: dict[str, Any], node: dict[str, Any], status: str, at: float) -> None:
        self.emit(
            "predictive_dialer_task_status_changed",
            {
                "task_id": node["task_id"],
                "workflow_id": workflow["workflow_id"],
                "nodetask_id": node["nodetask_id"],
                "status": status,
                "time": iso(at),
            },
            workflow["workflow_id"],
            at,
        )

    def _agent_status(
        self, workflow: dict[str, Any], node: dict[str, Any], call_id: str, status: str, at: float
    ) -> None:
        self.emit(
            "predictive_dialer_agent_status_changed",
            {
                "task_id": node["task_id"],
                "workflow_id": workflow["workflow_id"],
                "agent_id": "mock-agent-1",
                "call_id": call_id,
                "status": status,
                "time": iso(at),
            },
            workflow["workflow_id"],
            at,
        )
