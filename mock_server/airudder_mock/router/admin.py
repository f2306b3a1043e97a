"""Routes of the admin API under `/_mock/`: every operation of spec/mock-admin.yaml, validated like AIRudder's.

Stop, cancel and adding contacts are AIRudder operations whose paths the docs do not show; the mock offers
them here, outside AIRudder's path space, rather than invent paths under /service/.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from starlette.routing import Route

from ..handlers import Handler
from ..validator import RequestValidator
from .pipeline import Operation, endpoint, path_routes

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def admin_spec_path() -> Path:
    """The admin spec shipped in the wheel, or the repository's spec/mock-admin.yaml in an editable install."""
    bundled = resources.files("airudder_mock").joinpath("mock-admin.yaml")
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[3] / "spec" / "mock-admin.yaml"


@functools.cache
def admin_spec() -> dict[str, Any]:
    """The parsed admin spec (once per process; read-only)."""
    with admin_spec_path().open("rb") as stream:
        document: dict[str, Any] = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return document


def admin_routes(handlers: dict[str, Handler], now: Callable[[], float]) -> list[Route]:
    """One route per admin operation; handlers run in a worker thread (advancing the clock sends webhooks)."""
    operations = []
    for path, item in admin_spec()["paths"].items():
        for method, definition in item.items():
            if method not in HTTP_METHODS:
                continue
            validator = RequestValidator.build(admin_spec(), definition, json_without_content_type=True)
            serve = endpoint(validator, handlers[definition["operationId"]], now, in_thread=True)
            operations.append(Operation(definition["operationId"], method, path, serve))
    return path_routes(operations)
