"""Request validation derived from an OpenAPI document: parameters and JSON bodies checked against its schemas.

Built once per operation at start-up, from the AIRudder spec (airudder_spec) or the admin spec alike; a request
is then checked with compiled jsonschema_rs validators, its body read by airudder_spec's strict JSON decoder.
Every problem names its field as `<where>.<path>` (`query.size`, `path.workflow_id`, `body.end_time`,
`body.contacts.0.callee`). A message never quotes the value of a secret (`APPSecret`, a token): answers are
logged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

import airudder_spec

from ..errors import BadInput, Problem


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    schema: dict[str, Any]
    validator: jsonschema_rs.Draft202012Validator

    def coerce(self, raw: str) -> Any:
        """Query and path values are text: turn them into the schema's type before validating."""
        kind = self.schema.get("type")
        try:
            if kind == "integer":
                return int(raw)
            if kind == "number":
                return float(raw)
        except ValueError:
            raise BadInput(
                f"{self.where}.{self.name}", f"{raw!r} is not {'an integer' if kind == 'integer' else 'a number'}"
            ) from None
        return raw


@dataclass(frozen=True)
class RequestValidator:
    parameters: list[Parameter] = field(default_factory=list)
    body: jsonschema_rs.Draft202012Validator | None = None
    body_required: bool = False
    json_without_content_type: bool = False
    """Take a body sent without a Content-Type as JSON (the admin API, which curl users call by hand)."""
    body_schema: dict[str, Any] | None = None
    """When given, a number beyond the 64-bit range is refused only where this schema declares the field: one it
    does not name is kept as sent (the body is stored as JSON text), as the spec allows."""

    @classmethod
    def of(cls, operation: airudder_spec.Operation) -> RequestValidator:
        """The validator of one of AIRudder's operations."""
        parameters = [
            Parameter(p.name, p.located_in, p.required, p.schema, p.validator)
            for p in operation.parameters()
            if p.located_in in ("query", "path")
        ]
        body = operation.definition.get("requestBody")
        required = bool(body is not None and airudder_spec.resolve(body).get("required", False))
        schema = (
            airudder_spec.resolve(body).get("content", {}).get("application/json", {}).get("schema") if body else None
        )
        return cls(parameters, operation.body_validator(), required, body_schema=schema)

    def parameters_of(self, query: Any, path: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The query and path parameters, typed; unknown query parameters are ignored, as a real API would."""
        values: dict[str, dict[str, Any]] = {"query": {}, "path": {}}
        problems: list[Problem] = []
        for p in self.parameters:
            raw = query.getlist(p.name) if p.where == "query" else [path[p.name]] if p.name in path else []
            name = f"{p.where}.{p.name}"
            if not raw:
                if p.required:
                    problems.append({"field": name, "message": "is required"})
                elif "default" in p.schema:
                    values[p.where][p.name] = p.schema["default"]
                continue
            if len(raw) > 1:
                problems.append({"field": name, "message": "is given more than once"})
                continue
            try:
                value = p.coerce(raw[0])
            except BadInput as exc:
                problems += exc.problems
                continue
            problems += [{"field": name, "message": message(e)} for e in p.validator.iter_errors(value)]
            values[p.where][p.name] = value
        if problems:
            raise BadInput.of(problems)
        return values["query"], values["path"]

    def json_body(self, raw: bytes, content_type: str) -> Any:
        """The parsed body, which must be JSON that conforms to the operation's body schema.

        An empty body is `{}` when the body is optional (then its schema decides whether `{}` will do).
        """
        if self.body is None:
            return None
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != "application/json" and (media_type or not self.json_without_content_type):
            raise BadInput("header.Content-Type", "must be application/json", status=415)
        if not raw.strip() and not self.body_required:
            value: Any = {}
        else:
            try:
                value = airudder_spec.decode(raw)
            except airudder_spec.JSONProblem as exc:
                raise BadInput(".".join(filter(None, ["body", exc.field])), exc.message) from None
        # refused before the schema check, which cannot read them (a lone surrogate is no UTF-8 string)
        unstorable = airudder_spec.unstorable(value)
        if unstorable and self.body_schema is not None:
            # a number beyond 64 bits is kept without loss in a field the spec does not name (the body is stored
            # as JSON text); where the spec types a field, the 64-bit range holds
            typed = airudder_spec.unstorable(declared_parts(value, self.body_schema))
            unstorable = [p for p in unstorable if p["message"] != OUT_OF_INT64 or p in typed]
        if unstorable:
            raise BadInput.of(unstorable)
        problems = [problem for e in self.body.iter_errors(value) for problem in named(e, "body")]
        if problems:
            raise BadInput.of(problems)
        return value


OUT_OF_INT64 = "is out of the 64-bit integer range"


def declared_parts(value: Any, schema: dict[str, Any]) -> Any:
    """`value` without the object fields `schema` does not declare (in `properties`, or by an
    `additionalProperties` schema), at any depth; list items and kept fields stay where they were, so a problem
    found in the result names the same field in `value`."""
    schema = airudder_spec.resolve(schema)
    branches = [schema, *(airudder_spec.resolve(s) for k in ("allOf", "anyOf", "oneOf") for s in schema.get(k, []))]
    if isinstance(value, list):
        items = [b["items"] for b in branches if isinstance(b.get("items"), dict)]
        return [declared_parts(item, items[0]) for item in value] if items else []
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, child in value.items():
        named_here = [b["properties"][key] for b in branches if key in b.get("properties", {})]
        others = [b["additionalProperties"] for b in branches if isinstance(b.get("additionalProperties"), dict)]
        if named_here or others:
            kept[key] = declared_parts(child, (named_here or others)[0])
    return kept


def named(error: jsonschema_rs.ValidationError, where: str) -> list[Problem]:
    """A schema violation as problems naming the field: a missing or unexpected property is named itself."""
    path = ".".join([where, *map(str, error.instance_path)])
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return [{"field": f"{path}.{kind.property}", "message": "is required"}]
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return [{"field": f"{path}.{name}", "message": "is not a known field"} for name in kind.unexpected]
    if SECRET.search(str(error.instance_path[-1]) if error.instance_path else ""):
        return [{"field": path, "message": withheld(error)}]
    return [{"field": path, "message": message(error)}]


SECRET = re.compile("secret|token|password", re.IGNORECASE)
"""The names of fields whose value a message must not quote."""


def withheld(error: jsonschema_rs.ValidationError) -> str:
    """The message of a schema violation without the value it quotes (`is not of type "string"`)."""
    try:
        quoted = json.dumps(error.instance, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        quoted = None
    if quoted is not None and error.message.startswith(quoted + " "):
        return error.message[len(quoted) + 1 :] + " (the value is a secret: not shown)"
    return f"does not fit its schema ({type(error.kind).__name__}; the value is a secret: not shown)"


def message(error: jsonschema_rs.ValidationError) -> str:
    """What is wrong, in words: where the failing schema of the spec says what it expects (`x-expected`), that,
    never the pattern it checks with (a regex of hundreds of characters helps nobody)."""
    location = list(map(str, error.schema_path))[:-1]
    expected = None
    if location[:1] == ["components"]:  # the spec's own schemas ($refs followed)
        try:
            schema = airudder_spec.at("/" + "/".join(location))
        except (LookupError, TypeError, ValueError, jsonschema_rs.ReferencingError):  # not a place of that spec
            schema = None
        expected = schema.get("x-expected") if isinstance(schema, dict) else None
    if not expected:
        return error.message  # the spec gives every pattern its `x-expected` (tests/spec holds that)
    words, _, example = str(expected).partition(": ")
    return f"{json.dumps(error.instance)} is not {words}" + (f": expected {example}" if example else "")
