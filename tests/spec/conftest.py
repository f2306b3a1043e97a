"""Shared look-ups over spec/openapi.yaml for the spec tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airudder import _spec

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT.parent / "shared" / "api-facts" / "README.md"


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (to components/responses, parameters, ...) once."""
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = _spec.load()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return resolve(target)


def documented_items() -> Iterator[tuple[str, dict[str, Any]]]:
    """(`METHOD path` or `webhook name`, definition) for every operation and webhook in the spec."""
    spec = _spec.load()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in _spec.HTTP_METHODS:
                yield f"{method.upper()} {path}", op
    for name, item in spec["webhooks"].items():
        yield f"webhook {name}", item["post"]


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return _spec.load()
