"""The spec's links, read from the document itself: their names as schemathesis reports them, and one document
per source operation for the stateful phase.

Schemathesis starts its sequences only at operations it judges likely to succeed with random data; an operation
whose body names a resource nothing in the spec creates (`create_workflow_task`'s template) is never a start
while another one is, so its links would never be followed. A state machine per source operation, built from
the spec with only that operation's links, starts every sequence there.
"""

from __future__ import annotations

import copy
from typing import Any

from airudder_spec import HTTP_METHODS


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (METHOD, path, definition)."""
    found = {}
    for path, item in document.get("paths", {}).items():
        for method in (m for m in item if m in HTTP_METHODS):
            found[item[method]["operationId"]] = (method.upper(), path, item[method])
    return found


def names(document: dict[str, Any]) -> dict[str, str]:
    """Every link's full name (`GET /a -> [200] Name -> POST /b`, as schemathesis' transitions name them) ->
    the operationId of its source."""
    operations = _operations(document)
    found = {}
    for operation_id, (method, path, definition) in operations.items():
        for status, response in definition.get("responses", {}).items():
            for name, link in response.get("links", {}).items():
                target = operations.get(link.get("operationId", ""))
                if target is not None:
                    found[f"{method} {path} -> [{status}] {name} -> {target[0]} {target[1]}"] = operation_id
    return found


def sources(document: dict[str, Any]) -> list[str]:
    """The operations links start from, in the spec's order."""
    return list(dict.fromkeys(names(document).values()))


def only_links_of(document: dict[str, Any], source: str) -> dict[str, Any]:
    """A copy of `document` whose only links are those of the operation `source`."""
    copied = copy.deepcopy(document)
    for operation_id, (_, _, definition) in _operations(copied).items():
        if operation_id != source:
            for response in definition.get("responses", {}).values():
                response.pop("links", None)
    return copied
