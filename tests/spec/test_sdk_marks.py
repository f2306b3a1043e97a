"""The spec's marks for the SDK: which models a user reads (`x-sdk-absent-as-none`: an absent optional field is
`None`) and which schemas are times (`x-sdk-datetime`: a method takes a datetime for them too)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import airudder_api.models

ABSENT_AS_NONE = "x-sdk-absent-as-none"


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def reachable(spec: dict[str, Any], roots: list[str]) -> set[str]:
    """The component schemas that `roots` (references) lead to, through responses and other schemas."""
    components = spec["components"]
    found: set[str] = set()
    pending = list(roots)
    while pending:
        ref = pending.pop()
        kind, name = ref.split("/")[-2:]
        if kind == "responses":
            pending += references(components["responses"][name])
        elif kind == "schemas" and name not in found:
            found.add(name)
            pending += references(components["schemas"][name])
    return found


def read_and_sent(spec: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(schemas of answers and webhook payloads, schemas of request bodies)."""
    answers: list[str] = []
    requests: list[str] = []
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                answers += references(operation["responses"])
                requests += references(operation.get("requestBody", {}))
    for item in spec["webhooks"].values():
        answers += references(item["post"]["requestBody"])
    return reachable(spec, answers), reachable(spec, requests)


def test_every_model_a_user_reads_is_marked_and_no_request_model_is(spec: dict[str, Any]) -> None:
    read, sent = read_and_sent(spec)
    schemas = spec["components"]["schemas"]
    assert not read & sent, "a schema both read and sent: it cannot be None-for-absent and Unset-for-not-sent"
    with_fields = {n for n in read if schemas[n].get("properties") or schemas[n].get("allOf")}
    assert {n for n in with_fields if not schemas[n].get(ABSENT_AS_NONE)} == set()
    assert {n for n in schemas if schemas[n].get(ABSENT_AS_NONE)} <= read


def test_marked_models_read_an_absent_field_as_none_and_request_models_keep_unset(spec: dict[str, Any]) -> None:
    task = airudder_api.models.WorkflowTask.from_dict({"workflow_id": "w"})
    assert (task.workflow_id, task.name, task.start_time) == ("w", None, None)
    assert task.to_dict() == {"workflow_id": "w"}  # absent stays absent on the way back
    request = airudder_api.models.QueryWorkflowIdsRequest.from_dict({"start_time": "a", "end_time": "b"})
    assert isinstance(request.case_id, airudder_api.types.Unset)


@pytest.mark.parametrize("name", ["DocTime", "EndTime"])
def test_the_time_schemas_are_strings_marked_for_datetimes(spec: dict[str, Any], name: str) -> None:
    schema = spec["components"]["schemas"][name]
    assert schema["type"] == "string" and schema["x-sdk-datetime"] is True
