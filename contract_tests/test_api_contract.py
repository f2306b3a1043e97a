"""Schemathesis over the spec: every operation, every phase (examples, coverage, fuzzing, stateful), all checks.

Against the mock this proves spec == mock; against the live API (credentials set), spec == AIRudder, and the
fields the live answers have but the spec does not name go to reports/live-drift.md.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from . import drift
from .conftest import Target

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms_to_the_spec(case: Any, target: Target) -> None:
    response = case.call_and_validate()
    if target.live and response.status_code == 200:
        success = case.operation.definition.raw["responses"]["200"]
        media = success.get("content", {}).get("application/json", {})
        if "schema" in media:
            drift.record(case.operation.label, media["schema"], response.json())


def test_stateful_sequences_follow_the_links(api_schema: Any) -> None:
    api_schema.as_state_machine().run()
