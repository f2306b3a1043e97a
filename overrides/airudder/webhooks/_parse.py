"""Parse a webhook body into its generated model, after validating it against the spec's schema.

openapi-python-client ignores `webhooks:`, but each payload is a component schema with a generated model. The
JSON is decoded once and checked by a validator compiled once per kind; unknown extra fields are kept (the
models' `additional_properties`), since the docs show only part of most payloads.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

import airudder_api.models
import airudder_spec
from airudder_api.spec_table import DOCUMENT

from .._exceptions import AIRudderError
from .._operations import WEBHOOKS, webhook_validator


class WebhookError(AIRudderError):
    """A webhook body that cannot be taken; `field` is where (`body`, `actions.0.node_type`, ...)."""

    def __init__(self, message: str, field: str = "body", kind: str | None = None) -> None:
        super().__init__(f"{kind or 'webhook'}: {field}: {message}")
        self.message, self.field, self.kind = message, field, kind


class InvalidPayload(WebhookError):
    """Not JSON, or not what the webhook's schema allows."""


class UnknownWebhook(WebhookError):
    """No webhook kind matches (or the kind named is not one of the spec's)."""


class AmbiguousWebhook(WebhookError):
    """More than one webhook kind matches; name the kind (a URL per kind does that)."""


UNCLASSIFIED = "unclassified"
"""The kind the receiver gives a body that is JSON but matches no webhook kind (posted to the kind-less URL)."""


@dataclass(frozen=True)
class UnclassifiedEvent:
    """A webhook body that is JSON but fits no kind's shape: kept whole, since its kind cannot be told."""

    payload: Any
    """The JSON value as received (an object, in practice)."""

    def to_dict(self) -> Any:
        """The payload, as a model's `to_dict()` gives its fields."""
        return self.payload


def kinds() -> list[str]:
    """Every webhook kind the spec names (`workflow_status_changed`, ...): the `kind` of `parse` and the receiver."""
    return list(WEBHOOKS)


@functools.cache
def shaped_kinds() -> tuple[str, ...]:
    """The kinds whose schema requires fields: the only ones a payload's shape can tell apart."""
    schemas = DOCUMENT["components"]["schemas"]
    return tuple(kind for kind, name in WEBHOOKS.items() if schemas[name].get("required"))


@functools.cache
def model(kind: str) -> Any:
    return getattr(airudder_api.models, WEBHOOKS[kind])


MAX_MESSAGE = 300
"""Validation messages quote the failing value: cut there, so an answer never echoes a whole large body."""


def decode(body: bytes) -> Any:
    """The JSON value of a body: strict JSON (no NaN or Infinity, at most `airudder_spec.strict_json.MAX_DEPTH`
    levels deep) that can be stored and printed as it came.

    A key given twice in an object is refused, naming it. Numbers beyond a double (`1e999`, which Python reads as
    infinity, which no JSON can hold) or beyond 64 bits, and lone surrogates, are refused too, naming the field:
    the mock's check, `airudder_spec.unstorable`.
    """
    try:
        payload = airudder_spec.decode(body)
    except airudder_spec.JSONProblem as exc:  # a key given twice is named by its path
        raise InvalidPayload(exc.message, exc.field or "body") from None
    return storable(payload, body)


def storable(payload: Any, body: bytes | None = None) -> Any:
    """The payload, unless a value in it cannot be stored and printed as it came: InvalidPayload naming it.
    `body`, the text it was decoded from, lets a text that cannot hold such a value skip the walk."""
    for problem in airudder_spec.unstorable(payload, raw=body):
        field = problem["field"].removeprefix("body.") if problem["field"] != "body" else "body"
        raise InvalidPayload(problem["message"], field)
    return payload


def check(kind: str, payload: Any) -> None:
    """Raise InvalidPayload naming the first failing field, if `payload` is not a valid `kind` payload."""
    if kind not in WEBHOOKS:
        raise UnknownWebhook(f"is not a webhook of the spec (known: {', '.join(kinds())})", "kind", kind)
    for error in webhook_validator(kind).iter_errors(payload):
        path = list(error.instance_path)
        if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required):
            path.append(error.kind.property)  # name the missing field itself, not the object lacking it
        message = error.message if len(error.message) <= MAX_MESSAGE else error.message[:MAX_MESSAGE] + "..."
        raise InvalidPayload(message, ".".join(map(str, path)) or "body", kind)


def detect(payload: Any) -> str:
    """The kind of a payload, from its shape; only kinds with required fields can be told apart."""
    matches = [k for k in shaped_kinds() if webhook_validator(k).is_valid(payload)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousWebhook(f"matches several webhooks: {', '.join(matches)}; name the kind")
    open_kinds = sorted(set(kinds()) - set(shaped_kinds()))
    raise UnknownWebhook(
        f"matches no webhook whose shape is documented ({', '.join(shaped_kinds())}); the others "
        f"({', '.join(open_kinds)}) have undocumented payloads and need their kind named"
    )


def event_of(kind: str, payload: Any) -> Any:
    """What a handler of `kind` is given for a stored, already checked payload."""
    return UnclassifiedEvent(payload) if kind == UNCLASSIFIED else model(kind).from_dict(payload)


def parse(kind: str | None, body: bytes | str | Mapping[str, object]) -> Any:
    """The generated model of a webhook body; `kind=None` detects the kind from the payload's shape.

    The body is the request's bytes, the same as text, or an object already decoded (`await request.json()`);
    anything else is a TypeError naming its type.
    """
    return parse_payload(kind, decoded(body))[1]


def decoded(body: bytes | str | Mapping[str, object]) -> Any:
    """A webhook body's JSON value: bytes or text decoded (and checked) by `decode`, a mapping taken as it is."""
    if isinstance(body, bytes | bytearray | memoryview):
        return decode(bytes(body))
    if isinstance(body, str):
        return decode(body.encode("utf-8", "surrogatepass"))
    if isinstance(body, Mapping):
        return storable(dict(body))
    kind = type(body)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    raise TypeError(f"parse() takes a webhook body as bytes, str or an already decoded dict, not {name}")


def parse_payload(kind: str | None, payload: Any) -> tuple[str, Any]:
    """(kind, model) of a decoded payload."""
    kind = classify(kind, payload)
    return kind, model(kind).from_dict(payload)


def classify(kind: str | None, payload: Any) -> str:
    """The kind of a decoded payload (detected when None), checked against its schema; no model is built (a
    receiver that only stores needs none)."""
    kind = kind or detect(payload)
    check(kind, payload)
    return kind


IDENTITY: dict[str, tuple[str, ...]] = {
    "workflow_status_changed": ("workflow_id", "status", "actions"),
    "workflow_list_completed": ("workflow_id", "case_id", "callee_number"),
    "custom_api_node_data_push": ("workflow_id", "node_id", "callee.case_id", "callee.callee_number"),
}


def event_key(kind: str, payload: Any) -> str:
    """The natural identity of an event: what a retried delivery of it repeats.

    Kinds with a documented shape use their identifying fields; for the others (undocumented payloads, and
    `unclassified` events) the identity is the whole payload, canonically serialised: AIRudder's retry repeats
    the body it sent.
    """
    fields = IDENTITY.get(kind)
    if fields is None:
        material = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    else:
        material = json.dumps([_dig(payload, f) for f in fields])
    return f"{kind}:{hashlib.sha256(material.encode()).hexdigest()}"


def _dig(payload: Any, path: str) -> Any:
    for part in path.split("."):
        payload = payload.get(part) if isinstance(payload, dict) else None
    return payload
