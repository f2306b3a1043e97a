"""Request validation derived from the spec: parameters and JSON bodies checked against the spec's own schemas.

Built once per operation at start-up; a request is then checked with compiled jsonschema_rs validators. Every
problem names its field as `<where>.<path>` (`query.size`, `body.end_time`, `header.Authorization`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from airudder import _spec

Problem = dict[str, str]


class Invalid(Exception):
    """The request does not conform to the spec; `problems` say where and why."""

    def __init__(self, problems: list[Problem], status: int = 400) -> None:
        super().__init__("; ".join(f"{p['field']}: {p['message']}" for p in problems))
        self.problems, self.status = problems, status


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool
    schema: dict[str, Any]
    validator: jsonschema_rs.Draft202012Validator

    def coerce(self, raw: str) -> Any:
        """Query strings are text: turn them into the schema's type before validating."""
        kind = self.schema.get("type")
        if kind == "integer":
            try:
                return int(raw)
            except ValueError:
                raise Invalid([{"field": f"query.{self.name}", "message": f"{raw!r} is not an integer"}]) from None
        return raw


@dataclass(frozen=True)
class RequestValidator:
    operation: _spec.Operation
    parameters: list[Parameter] = field(default_factory=list)
    body: jsonschema_rs.Draft202012Validator | None = None

    @classmethod
    def build(cls, operation: _spec.Operation) -> RequestValidator:
        parameters = []
        for p in operation.definition.get("parameters", []):
            p = resolve(p)
            parameters.append(
                Parameter(p["name"], p.get("required", False), p["schema"], _spec.validator_for(p["schema"]))
            )
        body = None
        if "requestBody" in operation.definition:
            schema = operation.definition["requestBody"]["content"]["application/json"]["schema"]
            body = _spec.validator_for(schema)
        return cls(operation, parameters, body)

    def query(self, params: Any) -> dict[str, Any]:
        """The query parameters, typed; unknown ones are ignored, as a real API would."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for p in self.parameters:
            raw = params.getlist(p.name)
            if not raw:
                if p.required:
                    problems.append({"field": f"query.{p.name}", "message": "is required"})
                elif "default" in p.schema:
                    values[p.name] = p.schema["default"]
                continue
            if len(raw) > 1:
                problems.append({"field": f"query.{p.name}", "message": "is given more than once"})
                continue
            try:
                value = p.coerce(raw[0])
            except Invalid as exc:
                problems += exc.problems
                continue
            problems += [{"field": f"query.{p.name}", "message": e.message} for e in p.validator.iter_errors(value)]
            values[p.name] = value
        if problems:
            raise Invalid(problems)
        return values

    def json_body(self, raw: bytes, content_type: str) -> Any:
        """The parsed body, which must be JSON that conforms to the operation's body schema."""
        if self.body is None:
            return None
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise Invalid([{"field": "header.Content-Type", "message": "must be application/json"}], status=415)
        value = parse_json(raw)
        problems = storage_problems(value)
        problems += [
            {"field": ".".join(["body", *map(str, e.instance_path)]), "message": e.message}
            for e in self.body.iter_errors(value)
        ]
        if problems:
            raise Invalid(problems)
        return value


INT64 = range(-(2**63), 2**63)


def parse_json(raw: bytes, where: str = "body") -> Any:
    """Strict JSON: `NaN` and `Infinity`, which Python's parser takes, are not JSON."""
    try:
        return json.loads(raw, parse_constant=not_json)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise Invalid([{"field": where, "message": f"is not valid JSON: {exc}"}]) from None
    except RecursionError:
        raise Invalid([{"field": where, "message": "is nested too deeply"}]) from None


def not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def storage_problems(body: Any) -> list[Problem]:
    """What of a parsed body cannot be stored (see `unstorable`); a body too deep to walk is Invalid at once."""
    try:
        return unstorable(body)
    except RecursionError:
        raise Invalid([{"field": "body", "message": "is nested too deeply"}]) from None


def unstorable(value: Any, path: str = "body") -> list[Problem]:
    """What JSON allows but SQLite, UTF-8 and strict JSON do not, or the spec's open values refuse: numbers beyond
    the 64-bit integer range (`2**63`, `1e300`, `1e400`) and lone surrogates (`\\ud800`)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        # the spec bounds every open number by the 64-bit integer range; a float beyond it is refused as well
        if math.isfinite(value) and INT64[0] <= value <= INT64[-1]:
            return []
        return [{"field": path, "message": "is out of the 64-bit integer range"}]
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return [{"field": path, "message": "contains a lone surrogate, which is not valid Unicode"}]
        return []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in unstorable(key, path) + unstorable(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in unstorable(item, f"{path}.{i}")]
    return []


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a `#/components/...` reference of a parameter."""
    while "$ref" in node:
        target: Any = _spec.load()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node
