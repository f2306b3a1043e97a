"""Every doc example in the spec validates against its schema and round-trips through the generated model."""

from __future__ import annotations

from typing import Any

import pytest

import airudder_api.models
import airudder_spec

from .conftest import located_items


def media_examples() -> list[tuple[str, str, Any]]:
    """(where, the JSON pointer of its schema, value) for every `examples` entry of every request and response
    body."""
    found = []
    for where, location, op in located_items():
        bodies = [("request", "requestBody", op.get("requestBody"))]
        bodies += [(f"response {status}", f"responses/{status}", r) for status, r in op.get("responses", {}).items()]
        for label, key, raw in bodies:
            if raw is None:
                continue
            body, at = airudder_spec.locate(raw, f"{location}/{key}")
            for media_type, media in body.get("content", {}).items():
                schema_at = at + airudder_spec.pointer("content", media_type, "schema")
                for name, example in media.get("examples", {}).items():
                    found.append((f"{where} {label} {name}", schema_at, example["value"]))
    return found


def parameter_examples() -> list[tuple[str, str, Any]]:
    found = []
    for where, location, op in located_items():
        for index, raw in enumerate(op.get("parameters", [])):
            parameter, at = airudder_spec.locate(raw, f"{location}/parameters/{index}")
            if "example" in parameter:
                found.append((f"{where} {parameter['name']}", f"{at}/schema", parameter["example"]))
    return found


EXAMPLES = media_examples()


def test_the_doc_examples_are_all_here() -> None:
    # token request and response, task list, WABA task details, status-change notification and its answer
    doc = [where for where, _, _ in EXAMPLES if where.endswith(" doc")]
    assert len(doc) == 6


def test_every_other_example_is_marked_assumed() -> None:
    """Examples the docs do not show exist for tools that serve examples (Prism); each says it is made up."""
    for where, location, op in located_items():
        bodies = [op.get("requestBody"), *op.get("responses", {}).values()]
        for raw in filter(None, bodies):
            body, _ = airudder_spec.locate(raw, location)
            for media in body.get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    assert name == "doc" or example.get("x-assumed"), f"{where} {name}"


@pytest.mark.parametrize(
    ("where", "schema_at", "value"),
    EXAMPLES + parameter_examples(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_example_validates_against_its_schema(where: str, schema_at: str, value: Any) -> None:
    validator = airudder_spec.validator_at(schema_at)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(value)]
    assert not errors, f"{where}: {errors}"


@pytest.mark.parametrize(("where", "schema_at", "value"), EXAMPLES, ids=lambda v: v if isinstance(v, str) else "")
def test_example_round_trips_through_the_generated_model(where: str, schema_at: str, value: Any) -> None:
    model = getattr(airudder_api.models, airudder_spec.schema_name(airudder_spec.at(schema_at)["$ref"]))
    assert model.from_dict(value).to_dict() == value, where
