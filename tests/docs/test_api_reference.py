"""The AIRudder API reference (scripts/api_reference) shows every operation and webhook of the spec, and every
`x-assumed` reason and `x-observed` source the spec gives for them, each beside its grade."""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import pytest

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import api_reference  # noqa: E402
from api_reference.render import cell  # noqa: E402


@pytest.fixture(scope="module")
def page() -> str:
    return api_reference.markdown()


def marks(node: Any, spec: dict[str, Any], seen: set[int]) -> list[tuple[str, str]]:
    """Every (grade, reason) reachable from a node, through `$ref`s."""
    node = airudder_spec.resolve(node) if isinstance(node, dict) and "$ref" in node else node
    if id(node) in seen:
        return []
    seen.add(id(node))
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("x-assumed", "x-observed") and isinstance(value, str):
                found.append((key.removeprefix("x-"), value))
            elif key != "links":
                found += marks(value, spec, seen)
    elif isinstance(node, list):
        for item in node:
            found += marks(item, spec, seen)
    return found


def test_every_operation_and_webhook_has_its_section_and_grade(page: str) -> None:
    spec = airudder_spec.load()
    for item in [*spec["paths"].values(), *spec["webhooks"].values()]:
        for op in item.values():
            assert f"{{ #{op['operationId']} " in page
            assert f'class="grade grade-{op["x-doc-coverage"]}"' in page
    for entry in spec["info"]["x-doc-ledger"]:
        assert cell(entry["title"]) in page


def test_every_reason_the_spec_gives_is_shown_beside_its_grade(page: str) -> None:
    spec = airudder_spec.load()
    roots = [op for item in [*spec["paths"].values(), *spec["webhooks"].values()] for op in item.values()]
    found = [m for root in roots for m in marks(root, spec, set())]
    assert len(found) > 50
    missing = [
        (grade, reason)
        for grade, reason in found
        if f'grade-{grade}" title="{html.escape(reason, quote=True)}">{grade}</span>' not in page
        or f'<span class="airudder-reason">{cell(html.escape(reason))}</span>' not in page
    ]
    assert not missing, missing
