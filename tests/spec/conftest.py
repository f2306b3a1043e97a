"""Shared look-ups over spec/openapi.yaml for the spec tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT.parent / "shared" / "api-facts" / "README.md"
# The facts sit beside a checkout of the project (and always beside CI's clone): elsewhere the tests that read them
# skip, but in CI a missing shared/ must fail them, not skip them.
needs_facts = pytest.mark.skipif(
    not FACTS.is_file() and os.environ.get("CI") != "true", reason="../shared/api-facts is not beside this checkout"
)


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
