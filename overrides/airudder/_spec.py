"""The OpenAPI spec the package was built from: found, parsed once, and its schemas compiled into validators.

Everything that checks data at run time (the webhook parser, the mock server, the pager's view of which
operations are paged) reads the spec through here, so there is one copy of every schema: the spec's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def spec_path() -> Path:
    """The spec shipped in the wheel, or the repository's spec/openapi.yaml in an editable install."""
    bundled = resources.files("airudder").joinpath("openapi.yaml")
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"


@functools.cache
def load() -> dict[str, Any]:
    """The parsed spec (parsed once per process; treat it as read-only)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with spec_path().open("rb") as stream:
        spec: dict[str, Any] = yaml.load(stream, Loader=loader)
    return spec


@dataclass(frozen=True)
class Operation:
    """One operation with a known path, as the spec describes it."""

    operation_id: str
    method: str
    path: str
    definition: dict[str, Any]

    @property
    def idempotent(self) -> bool:
        """Safe to send twice: a GET, or a read-only POST the spec marks `x-idempotent`."""
        return self.method == "get" or bool(self.definition.get("x-idempotent", False))

    @property
    def pagination(self) -> dict[str, Any] | None:
        """The `x-pagination` of a paged operation: page/size parameters, where items and total live."""
        paging: dict[str, Any] | None = self.definition.get("x-pagination")
        return paging


@functools.cache
def operations() -> dict[str, Operation]:
    """Every operation with a path, by operationId."""
    found: dict[str, Operation] = {}
    for path, item in load().get("paths", {}).items():
        for method, definition in item.items():
            if method in HTTP_METHODS:
                found[definition["operationId"]] = Operation(definition["operationId"], method, path, definition)
    return found


@functools.cache
def _by_route() -> dict[tuple[str, str], Operation]:
    return {(op.method.upper(), op.path): op for op in operations().values()}


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


@functools.cache
def response_validator(operation_id: str, status: int) -> jsonschema_rs.Draft202012Validator | None:
    """A compiled validator for an operation's JSON answer with this status (None when the spec has none)."""
    responses = operations()[operation_id].definition.get("responses", {})
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
    if response is None:
        return None
    if "$ref" in response:
        response = load()["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return validator_for(schema) if schema is not None else None


def schema_name(ref: str) -> str:
    """`#/components/schemas/Name` -> `Name`."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"not a component schema reference: {ref}")
    return ref[len(prefix) :]


@functools.cache
def webhook_schemas() -> dict[str, str]:
    """Every webhook's name -> the component schema of its payload."""
    return {
        name: schema_name(item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        for name, item in load().get("webhooks", {}).items()
    }


def resolvable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the spec's components beside it, so its `#/components/...` references resolve."""
    return {**schema, "components": load()["components"]}


def validator_for(schema: dict[str, Any]) -> jsonschema_rs.Draft202012Validator:
    """A compiled validator for a schema taken from the spec (its references resolve against the spec)."""
    return jsonschema_rs.Draft202012Validator(resolvable(schema))


@functools.cache
def validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """A compiled validator for the component schema `name` (compiled once per process)."""
    if name not in load()["components"]["schemas"]:
        raise KeyError(f"no component schema named {name!r} in the spec")
    return validator_for({"$ref": f"#/components/schemas/{name}"})
