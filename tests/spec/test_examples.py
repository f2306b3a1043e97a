"""Every doc example in the spec validates against its schema and round-trips through the generated model."""

from __future__ import annotations

from typing import Any

import pytest

import airudder_api.models
from airudder import _spec

from .conftest import documented_items, resolve


def media_examples() -> list[tuple[str, dict[str, Any], Any]]:
    """(where, schema, value) for every `examples` entry of every request and response body."""
    found = []
    for where, op in documented_items():
        bodies = [("request", op.get("requestBody", {}))]
        bodies += [(f"response {status}", response) for status, response in op.get("responses", {}).items()]
        for label, body in bodies:
            for media in resolve(body).get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    found.append((f"{where} {label} {name}", media["schema"], example["value"]))
    return found


def parameter_examples() -> list[tuple[str, dict[str, Any], Any]]:
    found = []
    for where, op in documented_items():
        for parameter in map(resolve, op.get("parameters", [])):
            if "example" in parameter:
                found.append((f"{where} {parameter['name']}", parameter["schema"], parameter["example"]))
    return found


EXAMPLES = media_examples()


def test_the_doc_examples_are_all_here() -> None:
    # token request and response, task list, WABA task details, status-change notification and its answer
    doc = [where for where, _, _ in EXAMPLES if where.endswith(" doc")]
    assert len(doc) == 6


def test_every_other_example_is_marked_assumed(spec: dict[str, Any]) -> None:
    """Examples the docs do not show exist for tools that serve examples (Prism); each says it is made up."""
    for where, op in documented_items():
        bodies = [op.get("requestBody", {}), *op.get("responses", {}).values()]
        for body in map(resolve, bodies):
            for media in body.get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    assert name == "doc" or example.get("x-assumed"), f"{where} {name}"


@pytest.mark.parametrize(
    ("where", "schema", "value"),
    EXAMPLES + parameter_examples(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_example_validates_against_its_schema(where: str, schema: dict[str, Any], value: Any) -> None:
    errors = [f"{list(e.instance_path)}: {e.message}" for e in _spec.validator_for(schema).iter_errors(value)]
    assert not errors, f"{where}: {errors}"


@pytest.mark.parametrize(("where", "schema", "value"), EXAMPLES, ids=lambda v: v if isinstance(v, str) else "")
def test_example_round_trips_through_the_generated_model(where: str, schema: dict[str, Any], value: Any) -> None:
    model = getattr(airudder_api.models, _spec.schema_name(schema["$ref"]))
    assert model.from_dict(value).to_dict() == value, where
