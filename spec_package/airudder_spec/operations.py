"""The spec's operations, by operationId and by route, with their `x-` extensions."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from .document import at, load, locate, validator_at
from .schemas import pointer

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
JSON = "application/json"


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation (its `$ref`, if any, followed) and where its schema sits in the spec."""

    name: str
    located_in: str
    required: bool
    schema: dict[str, Any]
    schema_pointer: str
    definition: dict[str, Any]

    @property
    def validator(self) -> jsonschema_rs.Draft202012Validator:
        """A compiled validator of this parameter's schema (its references resolve against the spec)."""
        return validator_at(self.schema_pointer)


@dataclass(frozen=True)
class Operation:
    """One operation with a known path, as the spec describes it."""

    operation_id: str
    method: str
    path: str
    definition: dict[str, Any]

    @property
    def pointer(self) -> str:
        """Where the operation sits in the spec (a JSON pointer)."""
        return pointer("paths", self.path, self.method)

    @property
    def extensions(self) -> dict[str, Any]:
        """The operation's `x-` extensions, by name."""
        return {key: value for key, value in self.definition.items() if key.startswith("x-")}

    @property
    def idempotent(self) -> bool:
        """Safe to send twice: a GET, or a read-only POST the spec marks `x-idempotent` (`{value: true, x-assumed}`:
        the docs state no idempotency, so the claim carries its reason)."""
        marked = self.definition.get("x-idempotent", False)
        return self.method == "get" or bool(marked.get("value", False) if isinstance(marked, dict) else marked)

    @property
    def pagination(self) -> dict[str, Any] | None:
        """The `x-pagination` of a paged operation: page/size parameters, where items and total live."""
        paging: dict[str, Any] | None = self.definition.get("x-pagination")
        return paging

    @property
    def secured(self) -> bool:
        """Whether a call needs credentials (the operation's `security`, else the spec's)."""
        return self.definition.get("security", load().get("security")) != []

    def parameters(self) -> list[Parameter]:
        """The operation's parameters (its `$ref`s resolved), each with where it sits in the spec."""
        found = []
        for index, raw in enumerate(self.definition.get("parameters", [])):
            definition, where = locate(raw, f"{self.pointer}/parameters/{index}")
            found.append(
                Parameter(
                    definition["name"],
                    definition["in"],
                    definition.get("required", False),
                    definition["schema"],
                    f"{where}/schema",
                    definition,
                )
            )
        return found

    def body_validator(self) -> jsonschema_rs.Draft202012Validator | None:
        """A validator for the JSON request body (None for an operation without one)."""
        if "requestBody" not in self.definition:
            return None
        body, where = locate(self.definition["requestBody"], f"{self.pointer}/requestBody")
        if JSON not in body.get("content", {}):
            return None
        return validator_at(where + pointer("content", JSON, "schema"))

    def links(self, status: str = "200") -> dict[str, Any]:
        """The links of the answer with `status` (its `$ref`, if any, followed), by name."""
        response = self.definition.get("responses", {}).get(status)
        found: dict[str, Any] = locate(response)[0].get("links", {}) if response else {}
        return found

    def response_pointer(self, status: int) -> str | None:
        """Where the JSON schema of an answer with `status` sits (exact code, then `2XX`, then `default`)."""
        return answer_pointer(self.definition, self.pointer, status)

    def response_pointer_for_key(self, key: str) -> str | None:
        """Where the JSON schema of the response `key` (`"200"`, `"4XX"`, `"default"`) sits (None: no JSON body)."""
        return answer_pointer_for_key(self.definition, self.pointer, key)


def answer_pointer(definition: dict[str, Any], where: str, status: int) -> str | None:
    """Where the JSON schema of the answer with `status` to the operation `definition` (at `where`) sits."""
    key = response_key(definition.get("responses", {}), status)
    return answer_pointer_for_key(definition, where, key) if key is not None else None


def answer_pointer_for_key(definition: dict[str, Any], where: str, key: str) -> str | None:
    """Where the JSON schema of the response `key` of the operation `definition` (at `where`) sits (None: no JSON
    body)."""
    response, located = locate(definition["responses"][key], f"{where}/responses/{key}")
    if "schema" not in response.get("content", {}).get(JSON, {}):
        return None
    return located + pointer("content", JSON, "schema")


def response_key(responses: dict[str, Any], status: int) -> str | None:
    """Which entry of an operation's `responses` answers `status`: the exact code, then its range (`4XX`), then
    `default` (None when none does)."""
    return next((k for k in (str(status), f"{status // 100}XX", "default") if k in responses), None)


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
def routes() -> dict[tuple[str, str], Operation]:
    """Every operation by (METHOD, path), the method upper-case."""
    return {(op.method.upper(), op.path): op for op in operations().values()}


def response_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    """The JSON schema of an operation's answer with this status (None when the spec has none)."""
    location = operations()[operation_id].response_pointer(status)
    if location is None:
        return None
    found: dict[str, Any] = at(location)
    return found


@functools.cache
def response_validator(operation_id: str, status: int) -> jsonschema_rs.Draft202012Validator | None:
    """A compiled validator for an operation's JSON answer with this status (None when the spec has none)."""
    location = operations()[operation_id].response_pointer(status)
    return validator_at(location) if location is not None else None
