"""The spec's webhooks by kind: the component schema of each payload, which is also its generated model's name.

openapi-python-client ignores `webhooks:`, but each payload is a component schema, so `airudder_api.models` has a
class of that name for every kind.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs

from .document import at, load, schema, schema_name, validator, validator_at
from .operations import answer_pointer
from .schemas import pointer


@functools.cache
def webhook_schemas() -> dict[str, str]:
    """Every webhook's kind -> the component schema of its payload (and the name of its generated model)."""
    return {
        name: schema_name(item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        for name, item in load().get("webhooks", {}).items()
    }


def webhook_kinds() -> list[str]:
    """Every webhook's name (`workflow_status_changed`, ...), in the spec's order."""
    return list(webhook_schemas())


def webhook_model_name(kind: str) -> str:
    """The class in `airudder_api.models` that a `kind` payload parses into."""
    return webhook_schemas()[kind]


def webhook_schema(kind: str) -> dict[str, Any]:
    """The component schema of the webhook `kind`'s payload."""
    return schema(webhook_schemas()[kind])


def webhook_validator(kind: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for a `kind` payload (compiled once per process)."""
    return validator(webhook_schemas()[kind])


def webhook_answer_schema(kind: str, status: int = 200) -> dict[str, Any] | None:
    """The JSON schema of the answer AIRudder expects from the integrator to a `kind` webhook with `status`
    (`EmptyObject` for `workflow_status_changed`: the docs show `{}`); None when the spec gives no JSON body."""
    location = _answer_pointer(kind, status)
    if location is None:
        return None
    found: dict[str, Any] = at(location)
    return found


@functools.cache
def webhook_answer_validator(kind: str, status: int = 200) -> jsonschema_rs.Draft202012Validator | None:
    """A compiled validator for the answer to a `kind` webhook with `status` (None when the spec gives none)."""
    location = _answer_pointer(kind, status)
    return validator_at(location) if location is not None else None


def _answer_pointer(kind: str, status: int) -> str | None:
    if kind not in webhook_schemas():
        raise KeyError(f"no webhook named {kind!r} in the spec")
    return answer_pointer(load()["webhooks"][kind]["post"], pointer("webhooks", kind, "post"), status)
