"""Webhook payloads from the spec: its doc examples, and schemathesis-generated valid and invalid bodies.

Schemathesis tests operations, not `webhooks:`. Each webhook is a POST whose body is a component schema, so
the same webhooks are presented to schemathesis as operations of a small derived schema (one path per
webhook) and its generators produce the payloads: positive ones that conform, negative ones that do not.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

import airudder_spec


@functools.cache
def webhook_schema() -> Any:
    """The spec's webhooks as a schemathesis schema: `POST /<webhook name>` each."""
    spec = airudder_spec.load()
    document = {
        "openapi": spec["openapi"],
        "info": {"title": "AIRudder webhooks", "version": spec["info"]["version"]},
        # bodies only: a negative case must break the body, not a header the receiver is not sent here
        "paths": {f"/{name}": {"post": body_only(item["post"])} for name, item in spec["webhooks"].items()},
        "components": spec["components"],
    }
    return schemathesis.openapi.from_dict(document)


def body_only(operation: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in operation.items() if key != "parameters"}


def doc_examples(kind: str) -> list[Any]:
    """The doc examples of one webhook's payload."""
    body = airudder_spec.load()["webhooks"][kind]["post"]["requestBody"]["content"]["application/json"]
    return [example["value"] for example in body.get("examples", {}).values()]


def generated(kind: str, mode: GenerationMode, count: int) -> list[Any]:
    """Up to `count` distinct payloads for a webhook, drawn reproducibly (the same ones on every run).

    Valid ones leave out what a receiver cannot store (integers beyond 64 bits, numbers beyond a double, lone
    surrogates: `airudder_spec.unstorable`), which the open parts of the schemas allow; as for operations, a
    receiver refusing those is not refusing valid data."""
    strategy = webhook_schema()[f"/{kind}"]["POST"].as_strategy(generation_mode=mode)
    drawn: list[Any] = []

    @settings(
        max_examples=count * 4,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def collect(case: Any) -> None:
        storable = mode is not GenerationMode.POSITIVE or not airudder_spec.unstorable(case.body)
        if len(drawn) < count and case.body not in drawn and storable:
            drawn.append(case.body)

    collect()
    return drawn


def kinds() -> Iterator[str]:
    yield from airudder_spec.webhook_schemas()
