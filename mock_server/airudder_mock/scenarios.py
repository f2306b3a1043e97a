"""Reading a scenario: a YAML or JSON file, or its document, checked against spec/mock-admin.yaml's `Scenario`
(and each API fault's operation and options), into the simulation's `Scenario`. Errors name the field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

import airudder_spec

from .errors import BadInput
from .faults import Fault, FaultError
from .router import admin_validator_at
from .simulation.scenario import Scenario

SCHEMA = "/components/schemas/Scenario"


def read_scenario(source: Mapping[str, Any] | str | Path) -> Scenario:
    """A scenario from its document or from a `.yaml`/`.yml`/`.json` file; BadInput (400) naming the field at
    fault (`body.contacts.0.calls.1`), or the file, otherwise."""
    if isinstance(source, Mapping):
        document: Any = dict(source)
    else:
        path = Path(source)
        try:
            text = path.read_text()
            document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise BadInput("scenario", f"cannot read {path}: {exc}") from None
    errors = list(admin_validator_at(SCHEMA).iter_errors(document))
    if errors:
        first = errors[0]
        field = ".".join(["body", *map(str, first.instance_path)])
        raise BadInput(field, first.message)
    kinds = {"*", *airudder_spec.webhook_kinds()}
    for index, rule in enumerate(document.get("contacts", [])):
        for number, fault in enumerate(rule.get("webhooks", [])):
            if fault.get("kind", "*") not in kinds:
                field = f"body.contacts.{index}.webhooks.{number}.kind"
                raise BadInput(field, f"is not a webhook kind ({', '.join(sorted(kinds))})")
    for index, fault in enumerate(document.get("api_faults", [])):
        field = f"body.api_faults.{index}"
        if fault["operation_id"] not in airudder_spec.operations():
            raise BadInput(f"{field}.operation_id", "is not an operation of the spec")
        try:
            Fault.from_options({k: v for k, v in fault.items() if k not in ("operation_id", "at", "until")})
        except FaultError as exc:
            raise BadInput(f"{field}.{exc.field}" if exc.field else field, exc.message) from None
    return Scenario.parse(document)
