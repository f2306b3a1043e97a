"""Schemathesis over the spec: every operation, every phase (examples, coverage, fuzzing, stateful), all checks.

Against the mock this proves spec == mock; against the live API (credentials set), spec == AIRudder, and what
the live answers do that the spec does not say goes to reports/live-drift.md.

`@schema.parametrize()` runs the examples, coverage and fuzzing phases in one Hypothesis test per operation
(schemathesis' pytest builder adds the examples and the coverage cases as explicit examples, fuzzing generates
the rest); the stateful phase is the state machine built from the spec's links, run with the same seeded and
bounded settings (`schemathesis.toml`: max-examples scenarios of at most max-steps steps).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from . import drift, report
from .target import Target

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms_to_the_spec(case: Any, target: Target) -> None:
    response = case.call()
    if target.live:  # before the checks, so an answer that fails one is in the drift report too
        try:
            body = response.json()
        except ValueError:
            body = None
        drift.record_response(
            case.operation.label, case.operation.definition.raw["responses"], response.status_code, body
        )
    case.validate_response(response)


def spec_links(api_schema: Any, machine: Any) -> list[str]:
    return [link.full_name for t in machine._transitions.operations.values() for link in t.outgoing]


def test_stateful_sequences_follow_the_links(api_schema: Any, target: Target) -> None:
    base = api_schema.as_state_machine()
    report.declare_links(spec_links(api_schema, base))

    class Sequences(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            report.record_stateful_scenario()
            super().setup()

        def step(self, input: Any) -> Any:
            output = super().step(input)
            link = input.transition.id if input.transition is not None else None
            report.record_stateful_step(link, input.is_applied, output.response.status_code)
            return output

    # Without these settings run() would use Hypothesis' defaults: unseeded, 100 scenarios of up to 50 steps.
    Sequences.run(settings=api_schema.config.get_hypothesis_settings(phase="stateful"))
    if target.live:
        return  # the live account may have no task to follow a link from
    # Every link out of an operation a scenario starts with must have been walked with its value: otherwise
    # the phase tested operations one at a time, not sequences.
    roots = base._root_labels
    expected = [name for name in spec_links(api_schema, base) if name.split(" -> ")[0] in roots]
    walked = report.STATEFUL.links
    assert expected, f"no link starts at an operation the stateful phase calls first ({sorted(roots)})"
    assert all(walked[name]["applied"] for name in expected), {name: dict(walked[name]) for name in expected}
