"""The AIRudder operations the mock serves: one handler per operation of the spec that has a path.

Each handler gets the validated query and body and answers `data`; `server.py` wraps them with fault
injection, authentication, validation and the envelope. Where the docs do not show a response's `data`, what
is returned here is the mock's choice (see the README).
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .clock import iso, local, parse_time
from .envelope import Failure

if TYPE_CHECKING:
    from .server import MockServer

TOKEN_LIFETIME = 24 * 3600.0
Handler = Callable[["MockServer", dict[str, Any], Any, float], Any]


def get_token(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    """A token for a configured APPKey/APPSecret; asking again while it is valid extends it by 24 h."""
    expected = mock.credentials.get(body["APPKey"])
    if expected is None or not hmac.compare_digest(expected.encode(), body["APPSecret"].encode()):
        raise Failure(401, "body.APPSecret", "APPKey and APPSecret do not match a known pair")
    with mock.store.transaction() as db:
        row = db.execute(
            "SELECT token FROM tokens WHERE app_key = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1",
            (body["APPKey"], now),
        ).fetchone()
        token = row[0] if row else base64.b64encode(secrets.token_bytes(48)).decode()
        db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", (token, body["APPKey"], now + TOKEN_LIFETIME))
    return {"token": token}


def create_workflow_task(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    try:
        end_time = parse_time(body["end_time"])
    except ValueError as exc:
        raise Failure(400, "body.end_time", f"is not a time like 2022-12-12 12:34:56+07:00 ({exc})") from None
    if end_time <= now:
        # valid data, but not now: a conflict with the clock (409), not a malformed request (400)
        raise Failure(409, "body.end_time", "is not in the future")
    try:
        workflow_id = mock.simulation.create_workflow(body, end_time, now)
    except KeyError:
        raise Failure(404, "body.workflow_template_id", "no workflow template has this id") from None
    if body.get("details"):
        mock.simulation.add_contacts(workflow_id, detail_contacts(workflow_id, body["details"], 0), "details", now)
    return {"workflow_id": workflow_id}


def add_workflow_lists(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    """`uploaddetails` (observed in public code, not in the docs): append recipients to a running workflow."""
    workflow = require_workflow(mock, body["workflow_id"], "body.workflow_id")
    known = mock.store.scalar("SELECT COUNT(*) FROM contacts WHERE workflow_id = ?", workflow["workflow_id"])
    contacts = detail_contacts(workflow["workflow_id"], body["details"], known)
    try:
        added = mock.simulation.add_contacts(workflow["workflow_id"], contacts, "details", now)
    except ValueError as exc:
        raise Failure(409, "body.workflow_id", str(exc)) from None
    return {"workflow_id": workflow["workflow_id"], "added": added}


def detail_contacts(workflow_id: str, details: list[dict[str, Any]], first: int) -> list[dict[str, Any]]:
    """Observed `details` items (`callee`, `variables`) as the simulation's contacts: a `variables.case_id`
    string is the contact's case id, otherwise one is made up (the mock's choice)."""
    contacts = []
    for i, item in enumerate(details):
        variables = item.get("variables") or {}
        case_id = variables.get("case_id")
        extra = {k: v for k, v in variables.items() if k != "case_id"}
        contacts.append(
            {
                **extra,
                "case_id": case_id if isinstance(case_id, str) else f"{workflow_id[:8]}-{first + i + 1}",
                "callee": item["callee"],
            }
        )
    return contacts


def verify_custom_api_node_data_push(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    """Push the Custom API node's data for one contact again, now."""
    workflow = require_workflow(mock, body["workflow_id"], "body.workflow_id")
    node = require_node(mock, workflow["workflow_id"], "api", ("nodetask_id", body["node_id"]), "body.node_id")
    sql = "SELECT * FROM contacts WHERE workflow_id = ? AND callee = ?"
    args = [workflow["workflow_id"], body["callee"]]
    if "case_id" in body:
        sql, args = sql + " AND case_id = ?", [*args, body["case_id"]]
    contact = mock.store.one(sql + " ORDER BY contact_id LIMIT 1", *args)
    if contact is None:
        raise Failure(404, "body.callee", "is not a contact of this workflow")
    with mock.store.transaction() as db:
        details = mock.simulation.workflow_details(db, workflow["workflow_id"])
    payload = mock.simulation.api_push_payload(details, dict(node), contact)
    mock.deliveries.enqueue("custom_api_node_data_push", payload, workflow["workflow_id"], now)
    return {
        "workflow_id": workflow["workflow_id"],
        "node_id": body["node_id"],
        "callee": body["callee"],
        "pushed": True,
    }


def list_workflow_tasks(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    where, args = time_window(query, "query", "create_time")
    with mock.store.lock:  # the count and the page from the same state
        count = mock.store.scalar(f"SELECT COUNT(*) FROM workflows WHERE {where}", *args)
        rows = mock.store.all(
            f"SELECT w.*, (SELECT COUNT(*) FROM contacts c WHERE c.workflow_id = w.workflow_id) AS total"
            f" FROM workflows w WHERE {where} ORDER BY seq DESC LIMIT ? OFFSET ?",
            *args,
            query["size"],
            offset(count, query["page"], query["size"]),
        )
    lists = [
        {
            "workflow_id": r["workflow_id"],
            "name": r["name"],
            "template_name": r["template_name"],
            "start_time": iso(r["start_time"]) if r["start_time"] is not None else None,
            "end_time": iso(r["finish_time"] if r["finish_time"] is not None else r["end_time"]),
            "total": r["total"],
            "status": r["status"],
            "create_time": iso(r["create_time"]),
        }
        for r in rows
    ]
    return {"lists": lists, "count": count}


def get_outbound_task_details(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    """The calls of a workflow's call tasks, filtered by whichever of the known keys the body holds."""
    page, size = paging(body)
    sql = "SELECT c.call_id FROM calls c JOIN contacts k ON k.contact_id = c.contact_id WHERE 1=1"
    args: list[Any] = []
    for key, column in (
        ("workflow_id", "c.workflow_id"),
        ("task_id", "c.task_id"),
        ("nodetask_id", "c.nodetask_id"),
        ("call_id", "c.call_id"),
        ("case_id", "k.case_id"),
        ("callee", "k.callee"),
    ):
        if key in body:
            if not isinstance(body[key], str):
                raise Failure(400, f"body.{key}", "must be a string")
            sql, args = sql + f" AND {column} = ?", [*args, body[key]]
    with mock.store.lock:  # the total and the page from the same state
        total = mock.store.scalar(sql.replace("SELECT c.call_id", "SELECT COUNT(*)"), *args)
        ids = mock.store.all(
            sql + " ORDER BY c.start_time DESC, c.call_id LIMIT ? OFFSET ?", *args, size, offset(total, page, size)
        )
        calls = [mock.simulation.call_detail(mock.store.db, r[0]) for r in ids]
    return {"list": calls, "total": total}


def query_workflow_ids(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    where, args = time_window(body, "body", "w.create_time")
    for key, column in (("case_id", "c.case_id"), ("callee", "c.callee")):
        if key in body:
            where, args = where + f" AND {column} = ?", [*args, body[key]]
    rows = mock.store.all(
        "SELECT DISTINCT w.workflow_id, w.name, w.status, w.create_time, c.case_id, c.callee FROM workflows w"
        f" JOIN contacts c ON c.workflow_id = w.workflow_id WHERE {where} ORDER BY w.seq DESC, c.contact_id",
        *args,
    )
    found = [
        {
            "workflow_id": r["workflow_id"],
            "name": r["name"],
            "status": r["status"],
            "case_id": r["case_id"],
            "callee": r["callee"],
            "create_time": iso(r["create_time"]),
        }
        for r in rows
    ]
    return {"list": found, "total": len(found)}


def get_waba_task_details(mock: MockServer, query: dict[str, Any], body: Any, now: float) -> Any:
    workflow = require_workflow(mock, query["workflow_id"], "query.workflow_id")
    node = require_node(mock, workflow["workflow_id"], "waba", ("task_id", query["task_id"]), "query.task_id")
    rows = mock.store.all(
        "SELECT m.*, c.case_id, c.callee FROM waba_messages m JOIN contacts c ON c.contact_id = m.contact_id"
        " WHERE m.workflow_id = ? AND m.task_id = ? ORDER BY m.id",
        workflow["workflow_id"],
        query["task_id"],
    )
    recipients = [
        {
            "comments": "",
            "caseid": r["case_id"],
            "send_time": local(r["send_time"]),
            "waba_template_name": node["name"],
            "waba_template_id": node["nodetask_id"],
            "channel_id": "mock-waba-channel",
            "callee": r["callee"],
            "status": r["status"],
        }
        for r in rows
    ]
    return {"list": recipients, "total": len(recipients)}


HANDLERS: dict[str, Handler] = {
    "get_token": get_token,
    "create_workflow_task": create_workflow_task,
    "add_workflow_lists": add_workflow_lists,
    "verify_custom_api_node_data_push": verify_custom_api_node_data_push,
    "list_workflow_tasks": list_workflow_tasks,
    "get_outbound_task_details": get_outbound_task_details,
    "query_workflow_ids": query_workflow_ids,
    "get_waba_task_details": get_waba_task_details,
}


def require_workflow(mock: MockServer, workflow_id: str, field: str) -> Any:
    workflow = mock.store.one("SELECT * FROM workflows WHERE workflow_id = ?", workflow_id)
    if workflow is None:
        raise Failure(404, field, "no workflow task has this id")
    return workflow


NODE_NAMES = {"api": "a Custom API node", "waba": "a WABA task", "call": "a call task"}


def require_node(mock: MockServer, workflow_id: str, node_type: str, match: tuple[str, str], field: str) -> Any:
    """The workflow's node of `node_type` whose `match` column has the given value, or a 404 naming `field`."""
    column, value = match
    node = mock.store.one(
        f"SELECT * FROM nodes WHERE workflow_id = ? AND {column} = ? AND node_type = ?",
        workflow_id,
        value,
        node_type,
    )
    if node is None:
        raise Failure(404, field, f"is not {NODE_NAMES[node_type]} of this workflow")
    return node


def time_window(values: dict[str, Any], where: str, column: str) -> tuple[str, list[Any]]:
    """SQL for a start_time/end_time window on `column`, in either of the docs' time formats."""
    clause, args = "1=1", list[Any]()
    for key, op in (("start_time", ">="), ("end_time", "<=")):
        if key not in values:
            continue
        try:
            bound = parse_time(values[key])
        except ValueError as exc:
            raise Failure(400, f"{where}.{key}", f"is not a time like 2022-12-12 12:34:56+07:00 ({exc})") from None
        clause, args = f"{clause} AND {column} {op} ?", [*args, bound]
    return clause, args


def offset(count: int, page: int, size: int) -> int:
    """Rows to skip for a page; a page past the end (however large its number) starts at the end."""
    return min((page - 1) * size, count)


def paging(body: dict[str, Any]) -> tuple[int, int]:
    """`page` and `size` in a POST body (the mock's choice; same rules as the documented query parameters)."""
    values = []
    for key, default, top in (("page", 1, None), ("size", 20, 200)):
        value = body.get(key, default)
        if isinstance(value, float) and value.is_integer():  # JSON Schema's integers include `18.0`
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1 or (top and value > top):
            raise Failure(400, f"body.{key}", f"must be an integer from 1{f' to {top}' if top else ''}")
        values.append(value)
    return values[0], values[1]
