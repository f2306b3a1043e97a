"""Every webhook's payloads, from the docs and generated from its schema, parse into the generated model.

openapi-python-client ignores `webhooks:`; the payloads are component schemas, so the generated models must
take every payload the spec allows and give it back unchanged (unknown extra fields included), and the
spec's schema must refuse what it does not allow.
"""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis import GenerationMode

import airudder_api.models
import airudder_spec

from . import report
from .webhook_cases import doc_examples, generated, kinds

PER_KIND = 25


def model_for(kind: str) -> Any:
    return getattr(airudder_api.models, airudder_spec.webhook_model_name(kind))


def errors(kind: str, payload: Any) -> list[str]:
    validator = airudder_spec.webhook_validator(kind)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(payload)]


@pytest.mark.parametrize("kind", list(kinds()))
def test_doc_examples_and_generated_payloads_parse_and_round_trip(kind: str, request: pytest.FixtureRequest) -> None:
    report.cell(request.node, f"webhook {kind}", "payload round-trip")
    payloads = doc_examples(kind) + generated(kind, GenerationMode.POSITIVE, PER_KIND)
    assert len(payloads) >= PER_KIND // 2, "too few distinct payloads generated to mean anything"
    for payload in payloads:
        assert not errors(kind, payload), payload
        assert model_for(kind).from_dict(payload).to_dict() == payload


@pytest.mark.parametrize("kind", list(kinds()))
def test_the_schema_refuses_generated_invalid_payloads(kind: str, request: pytest.FixtureRequest) -> None:
    report.cell(request.node, f"webhook {kind}", "invalid payload refused")
    invalid = [p for p in generated(kind, GenerationMode.NEGATIVE, PER_KIND) if not isinstance(p, bytes)]
    invalid += [[], "text", 3, None]
    for payload in invalid:
        assert errors(kind, payload), payload
