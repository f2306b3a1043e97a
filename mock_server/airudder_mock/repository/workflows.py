"""SQL of templates, workflows and their nodes."""

from __future__ import annotations

import json
from dataclasses import astuple
from typing import Any

from . import records
from .records import Node, Template, Workflow, WorkflowContact, WorkflowSummary
from .store import Store

WORKFLOW = (
    "SELECT w.*, COALESCE(json_extract(t.nodes, '$.category'), '') AS category"
    " FROM workflows w LEFT JOIN templates t ON t.id = w.template_id"
)


class WorkflowRows:
    store: Store

    def save_templates(self, templates: list[dict[str, Any]], replace: bool = True) -> None:
        """Store templates; with `replace=False` a template already stored under the same id is kept."""
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self.store.transaction() as db:
            for t in templates:
                stored = json.dumps({"nodes": t["nodes"], "category": t.get("category", "")})
                db.execute(f"{verb} INTO templates (id, name, nodes) VALUES (?, ?, ?)", (t["id"], t["name"], stored))

    def template(self, template_id: int) -> Template | None:
        row = self.store.one("SELECT * FROM templates WHERE id = ?", template_id)
        return None if row is None else records.template(row)

    def templates(self) -> list[Template]:
        return [records.template(r) for r in self.store.all("SELECT * FROM templates ORDER BY id")]

    def next_workflow_seq(self) -> int:
        return int(self.store.scalar("SELECT COALESCE(MAX(seq), 0) FROM workflows")) + 1

    def insert_workflow(
        self,
        seq: int,
        workflow_id: str,
        body: dict[str, Any],
        template: Template,
        end_time: float,
        now: float,
        auto_finish: int,
    ) -> None:
        """A workflow task exactly as accepted (its body kept), running from `now`; `auto_finish` is the one in
        force (the body's, or the mock's default)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO workflows (seq, workflow_id, name, workflow_name, template_id, template_name, status,"
                " auto_finish, end_time, start_time, create_time, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    *(seq, workflow_id, body["name"], body.get("workflow_name"), template.id, template.name),
                    *("running", auto_finish, end_time, now, now, json.dumps(body)),
                ),
            )

    def insert_node(self, node: Node) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT INTO nodes VALUES (?,?,?,?,?,?,?)", astuple(node))

    def workflow(self, workflow_id: str) -> Workflow | None:
        row = self.store.one(f"{WORKFLOW} WHERE w.workflow_id = ?", workflow_id)
        return None if row is None else records.workflow(row)

    def set_workflow_status(self, workflow_id: str, status: str, at: float) -> None:
        """End a workflow: it and its nodes take `status`, from `at`."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE workflows SET status = ?, finish_time = ? WHERE workflow_id = ?", (status, at, workflow_id)
            )
            db.execute("UPDATE nodes SET task_status = ? WHERE workflow_id = ?", (status, workflow_id))

    def page_workflows(
        self, window: tuple[float | None, float | None], size: int, page: int
    ) -> tuple[int, list[WorkflowSummary]]:
        """Newest first: the number of workflows created in `window`, and one page of them."""
        where, args = _window("w.create_time", window)
        with self.store.lock:  # the count and the page from the same state
            count = int(self.store.scalar(f"SELECT COUNT(*) FROM workflows w WHERE {where}", *args))
            rows = self.store.all(
                f"SELECT x.*, (SELECT COUNT(*) FROM contacts c WHERE c.workflow_id = x.workflow_id) AS total"
                f" FROM ({WORKFLOW} WHERE {where}) x ORDER BY x.seq DESC LIMIT ? OFFSET ?",
                *args,
                size,
                min((page - 1) * size, count),
            )
        return count, [WorkflowSummary(records.workflow(r), int(r["total"])) for r in rows]

    def workflows_of_contacts(
        self, window: tuple[float | None, float | None], case_id: str | None, callee: str | None
    ) -> list[WorkflowContact]:
        """Newest first: each workflow created in `window` with each of its contacts matching the filters."""
        where, args = _window("w.create_time", window)
        for column, value in (("c.case_id", case_id), ("c.callee", callee)):
            if value is not None:
                where, args = f"{where} AND {column} = ?", [*args, value]
        rows = self.store.all(
            "SELECT DISTINCT w.workflow_id, w.name, w.status, w.create_time, c.case_id, c.callee FROM workflows w"
            f" JOIN contacts c ON c.workflow_id = w.workflow_id WHERE {where} ORDER BY w.seq DESC, c.contact_id",
            *args,
        )
        return [WorkflowContact(**dict(r)) for r in rows]

    def nodes(self, workflow_id: str) -> list[Node]:
        rows = self.store.all("SELECT * FROM nodes WHERE workflow_id = ? ORDER BY position", workflow_id)
        return [records.node(r) for r in rows]

    def node_by(self, workflow_id: str, node_type: str, column: str, value: str) -> Node | None:
        """The workflow's node of `node_type` whose `column` (nodetask_id or task_id) is `value`."""
        if column not in ("nodetask_id", "task_id"):
            raise ValueError(column)
        row = self.store.one(
            f"SELECT * FROM nodes WHERE workflow_id = ? AND {column} = ? AND node_type = ?",
            workflow_id,
            value,
            node_type,
        )
        return None if row is None else records.node(row)

    def node(self, nodetask_id: str) -> Node:
        row = self.store.one("SELECT * FROM nodes WHERE nodetask_id = ?", nodetask_id)
        assert row is not None, nodetask_id
        return records.node(row)

    def start_node(self, nodetask_id: str) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE nodes SET task_status = 'running' WHERE nodetask_id = ?", (nodetask_id,))


def _window(column: str, window: tuple[float | None, float | None]) -> tuple[str, list[Any]]:
    """SQL for `start <= column <= end` (either bound may be absent)."""
    clause, args = "1=1", list[Any]()
    for bound, op in zip(window, (">=", "<="), strict=True):
        if bound is not None:
            clause, args = f"{clause} AND {column} {op} ?", [*args, bound]
    return clause, args
