"""Routes of the admin API under `/_mock/`: every operation of spec/mock-admin.yaml, validated like AIRudder's.

Stop, cancel and adding contacts are AIRudder operations whose paths the docs do not show; the mock offers
them here, outside AIRudder's path space, rather than invent paths under /service/. The admin spec's
references resolve in an `airudder_spec.Schemas` registry of its own, as AIRudder's do in airudder_spec's.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
from starlette.requests import Request
from starlette.routing import Route

from airudder_spec import HTTP_METHODS, Schemas, pointer, read_yaml

from ..config import MAX_BODY
from ..errors import BadInput
from ..handlers import Handler
from ..validator import Parameter, RequestValidator
from .pipeline import Guard, Operation, endpoint, path_routes

JSON = "application/json"


def admin_spec_path() -> Path:
    """The admin spec shipped in the wheel, or the repository's spec/mock-admin.yaml in an editable install."""
    bundled = resources.files("airudder_mock").joinpath("mock-admin.yaml")
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[3] / "spec" / "mock-admin.yaml"


@functools.cache
def admin_spec() -> dict[str, Any]:
    """The parsed admin spec (once per process; read-only)."""
    return read_yaml(admin_spec_path())


@functools.cache
def admin_schemas() -> Schemas:
    """The admin spec in a registry of its own, resolved and compiled as airudder_spec does AIRudder's."""
    return Schemas(admin_spec())


def validator_at(location: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for the schema at a JSON pointer of the admin spec."""
    return admin_schemas().validator_at(location)


def request_validator(path: str, method: str, definition: dict[str, Any]) -> RequestValidator:
    """The validator of one admin operation. Its parameters are written out in place (no `$ref`)."""
    parameters = []
    for index, p in enumerate(definition.get("parameters", [])):
        if "$ref" in p:
            raise ValueError(f"{method.upper()} {path}: write admin parameters out in place, not as $ref")
        schema = validator_at(pointer("paths", path, method, "parameters", index, "schema"))
        parameters.append(Parameter(p["name"], p["in"], p.get("required", False), p["schema"], schema))
    body, required = None, False
    if JSON in definition.get("requestBody", {}).get("content", {}):
        body = validator_at(pointer("paths", path, method, "requestBody", "content", JSON, "schema"))
        required = definition["requestBody"].get("required", False)
    return RequestValidator(parameters, body, required, json_without_content_type=True)


def admin_routes(
    handlers: dict[str, Handler], now: Callable[[], float], max_body: int = MAX_BODY, token: str | None = None
) -> list[Route]:
    """One pipeline per admin operation; handlers run in a worker thread (advancing the clock sends webhooks).

    With a `token`, every operation the admin spec does not mark open (`security: []`: the recordings, whose URLs
    the mock hands to API clients) requires it as `Authorization: Bearer <token>`.
    """
    operations = []
    spec = admin_spec()
    for path, item in spec["paths"].items():
        for method, definition in item.items():
            if method in HTTP_METHODS:
                validator = request_validator(path, method, definition)
                open_to_all = definition.get("security", spec.get("security")) == []
                guard = admin_token_guard(token) if token is not None and not open_to_all else None
                handler = handlers[definition["operationId"]]
                serve = endpoint(validator, handler, now, guard=guard, in_thread=True, max_body=max_body)
                operations.append(Operation(definition["operationId"], method, path, serve))
    return path_routes(operations)


def admin_token_guard(token: str) -> Guard:
    """Refuses (401 naming `header.Authorization`) a request without `Authorization: Bearer <token>`."""
    expected = token.encode()

    def guard(request: Request, at: float) -> None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("latin-1"), expected):
            raise BadInput(
                "header.Authorization",
                "must be `Bearer <admin token>`: this mock's admin API requires the token it was started with "
                "(--admin-token or $AIRUDDER_MOCK_ADMIN_TOKEN; a test's handle sends it: handle.admin)",
                status=401,
            )

    return guard
