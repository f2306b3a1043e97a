"""Request validation derived from the spec: parameters and JSON bodies checked against the spec's own schemas.

Built once per operation at start-up; a request is then checked with compiled jsonschema_rs validators. Every
problem names its field as `<where>.<path>` (`query.size`, `body.end_time`, `header.Authorization`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

import airudder_spec

Problem = airudder_spec.Problem


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
    operation: airudder_spec.Operation
    parameters: list[Parameter] = field(default_factory=list)
    body: jsonschema_rs.Draft202012Validator | None = None

    @classmethod
    def build(cls, operation: airudder_spec.Operation) -> RequestValidator:
        parameters = [Parameter(p.name, p.required, p.schema, p.validator) for p in operation.parameters()]
        return cls(operation, parameters, operation.body_validator())

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


def parse_json(raw: bytes, where: str = "body") -> Any:
    """Strict JSON (airudder_spec's decoder): `NaN`, `Infinity` and deep nesting are refused."""
    try:
        return airudder_spec.decode(raw)
    except airudder_spec.JSONProblem as exc:
        raise Invalid([{"field": where, "message": exc.message}]) from None


def storage_problems(body: Any) -> list[Problem]:
    """What of a parsed body cannot be stored: integers beyond 64 bits, numbers beyond a double, lone surrogates."""
    return airudder_spec.unstorable(body)
