"""Finding what a request names, or a 4xx naming the field that names it."""

from __future__ import annotations

from typing import Any

from ..clock import parse_time
from ..errors import BadInput
from ..repository import Repository
from ..repository.records import Node, Workflow

NODE_NAMES = {"api": "a Custom API node", "waba": "a WABA task", "call": "a call task"}


def require_workflow(repo: Repository, workflow_id: str, field: str) -> Workflow:
    workflow = repo.workflow(workflow_id)
    if workflow is None:
        raise BadInput(field, "no workflow task has this id", status=404)
    return workflow


def require_node(repo: Repository, workflow_id: str, node_type: str, match: tuple[str, str], field: str) -> Node:
    """The workflow's node of `node_type` whose `match` column has the given value, or a 404 naming `field`."""
    node = repo.node_by(workflow_id, node_type, *match)
    if node is None:
        raise BadInput(field, f"is not {NODE_NAMES[node_type]} of this workflow", status=404)
    return node


def time_of(values: dict[str, Any], where: str, key: str) -> float:
    """`values[key]` as a time, in either of the docs' formats."""
    try:
        return parse_time(values[key])
    except ValueError as exc:
        raise BadInput(f"{where}.{key}", f"is not a time like 2022-12-12 12:34:56+07:00 ({exc})") from None


def time_window(values: dict[str, Any], where: str) -> tuple[float | None, float | None]:
    """The start_time/end_time window of a query or body (either bound may be absent)."""
    start, end = (time_of(values, where, key) if key in values else None for key in ("start_time", "end_time"))
    return start, end


def paging(body: dict[str, Any]) -> tuple[int, int]:
    """`page` and `size` in a POST body (the mock's choice; same rules as the documented query parameters)."""
    values = []
    for key, default, top in (("page", 1, None), ("size", 20, 200)):
        value = body.get(key, default)
        if isinstance(value, float) and value.is_integer():  # JSON Schema's integers include `18.0`
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1 or (top and value > top):
            raise BadInput(f"body.{key}", f"must be an integer from 1{f' to {top}' if top else ''}")
        values.append(value)
    return values[0], values[1]
