"""The mock's rows as typed records: what the repository returns and the rest of the mock reads."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    nodes: list[dict[str, Any]]
    category: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "nodes": self.nodes, "category": self.category}


@dataclass(frozen=True)
class Workflow:
    seq: int
    workflow_id: str
    name: str
    workflow_name: str | None
    template_id: int
    template_name: str
    status: str
    auto_finish: int
    end_time: float
    start_time: float | None
    finish_time: float | None
    create_time: float
    category: str
    """The template's category (`info_check`: its calls report as Info Check calls)."""

    @property
    def display_name(self) -> str:
        return self.workflow_name or self.name


@dataclass(frozen=True)
class WorkflowSummary:
    """A workflow as the list operation shows it, with its number of contacts."""

    workflow: Workflow
    total: int


@dataclass(frozen=True)
class WorkflowContact:
    """A workflow with one of its contacts, as the workflow-id query shows them."""

    workflow_id: str
    name: str
    status: str
    create_time: float
    case_id: str
    callee: str


@dataclass(frozen=True)
class Node:
    nodetask_id: str
    workflow_id: str
    position: int
    node_type: str
    name: str
    task_id: str | None
    task_status: str


@dataclass(frozen=True)
class Contact:
    contact_id: int
    workflow_id: str
    case_id: str
    callee: str
    name: str
    gender: str
    list_name: str
    status: str
    created_at: float
    extra: dict[str, Any]


@dataclass(frozen=True)
class Call:
    call_id: str
    workflow_id: str
    nodetask_id: str
    task_id: str
    contact_id: int
    attempt: int
    status: str
    start_time: float
    duration: int
    recording: bool


@dataclass(frozen=True)
class WabaMessage:
    id: int
    workflow_id: str
    task_id: str
    nodetask_id: str
    contact_id: int
    status: str
    send_time: float


@dataclass(frozen=True)
class WabaRecipient:
    message: WabaMessage
    case_id: str
    callee: str


@dataclass(frozen=True)
class Event:
    id: int
    due_at: float
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: str
    workflow_id: str | None
    url: str | None
    payload: Any
    status: str
    attempts: int
    next_attempt_at: float
    created_at: float
    history: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "workflow_id": self.workflow_id,
            "url": self.url,
            "payload": self.payload,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at,
            "created_at": self.created_at,
            "history": self.history,
        }


@dataclass(frozen=True)
class Target:
    workflow_id: str | None
    kind: str
    url: str

    def as_json(self) -> dict[str, Any]:
        return {"workflow_id": self.workflow_id, "kind": self.kind, "url": self.url}


JSON_COLUMNS = ("body", "payload", "history", "extra", "nodes", "data")


def columns(row: sqlite3.Row) -> dict[str, Any]:
    """A row's columns by name, the JSON ones decoded."""
    values = dict(row)
    for key in JSON_COLUMNS:
        if isinstance(values.get(key), str):
            values[key] = json.loads(values[key])
    return values


def template(row: sqlite3.Row) -> Template:
    stored = json.loads(row["nodes"])
    return Template(row["id"], row["name"], stored["nodes"], stored.get("category", ""))


def workflow(row: sqlite3.Row) -> Workflow:
    values = columns(row)
    values.pop("body")
    values.pop("total", None)
    return Workflow(**values)


def node(row: sqlite3.Row) -> Node:
    return Node(**dict(row))


def contact(row: sqlite3.Row) -> Contact:
    return Contact(**columns(row))


def call(row: sqlite3.Row) -> Call:
    values = dict(row)
    return Call(**{**values, "recording": bool(values["recording"])})


def waba_message(row: sqlite3.Row) -> WabaMessage:
    return waba_message_of(dict(row))


def waba_message_of(values: dict[str, Any]) -> WabaMessage:
    """The message's own columns of `values` (a row that may hold more)."""
    return WabaMessage(**{f: values[f] for f in WabaMessage.__dataclass_fields__})


def event(row: sqlite3.Row) -> Event:
    return Event(**columns(row))


def delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(**columns(row))
