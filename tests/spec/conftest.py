"""Shared look-ups over spec/openapi.yaml for the spec tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT.parent / "shared" / "api-facts" / "README.md"


def located_items() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(`METHOD path` or `webhook name`, its JSON pointer, definition) for every operation and webhook."""
    spec = airudder_spec.load()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in airudder_spec.HTTP_METHODS:
                yield f"{method.upper()} {path}", airudder_spec.pointer("paths", path, method), op
    for name, item in spec["webhooks"].items():
        yield f"webhook {name}", airudder_spec.pointer("webhooks", name, "post"), item["post"]


def documented_items() -> Iterator[tuple[str, dict[str, Any]]]:
    """(`METHOD path` or `webhook name`, definition) for every operation and webhook in the spec."""
    for where, _, op in located_items():
        yield where, op


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return airudder_spec.load()
