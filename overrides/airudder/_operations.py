"""The spec as the client sees it at run time: the table scripts/regenerate bakes into `airudder_api.spec_table`.

Reading the table instead of spec/openapi.yaml keeps `import airudder` free of YAML parsing; its schemas resolve
and compile in an `airudder_spec.Schemas` registry, as the whole spec's do.
"""

from __future__ import annotations

import functools

import jsonschema_rs

from airudder_api.spec_table import DOCUMENT, OPERATIONS, WEBHOOKS, Operation
from airudder_spec import Schemas, pointer

__all__ = ["OPERATIONS", "WEBHOOKS", "Operation", "operation_for", "response_validator", "webhook_validator"]


@functools.cache
def schemas() -> Schemas:
    return Schemas(DOCUMENT)


@functools.cache
def _by_route() -> dict[tuple[str, str], Operation]:
    return {(op.method.upper(), op.path): op for op in OPERATIONS.values()}


def operation_for(method: str, path: str) -> Operation | None:
    """The operation a request is for, by its method and path (None for a path the spec does not have).

    A base URL with a path of its own (a gateway in front of AIRudder: `https://gw.example/airudder`) puts a
    prefix before the spec's paths; the operation is then the one whose path the request's path ends with.
    """
    method = method.upper()
    found = _by_route().get((method, path))
    if found is None and path.count("/") > 1:
        for (known_method, known_path), operation in _by_route().items():
            if known_method == method and path.endswith(known_path):
                return operation
    return found


def response_validator(operation_id: str, status: int) -> jsonschema_rs.Draft202012Validator | None:
    """A validator for an operation's JSON answer with this status (None when the spec gives it no schema)."""
    location = OPERATIONS[operation_id].response_pointer(status)
    return schemas().validator_at(location) if location is not None else None


def webhook_validator(kind: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for a `kind` webhook payload."""
    return schemas().validator_at(pointer("components", "schemas", WEBHOOKS[kind]))
