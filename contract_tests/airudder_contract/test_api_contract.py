"""Schemathesis over the spec: every operation, every phase (examples, coverage, fuzzing, stateful), all checks.

Against the mock this proves spec == mock; against the live API (credentials set), spec == AIRudder, and what
the live answers do that the spec does not say goes to reports/live-drift.md.

`@schema.parametrize()` runs the examples, coverage and fuzzing phases in one Hypothesis test per operation
(schemathesis' pytest builder adds the examples and the coverage cases as explicit examples, fuzzing generates
the rest); the stateful phase is the state machines built from the spec's links (one per operation links start
from), run with the same seeded and bounded settings (`schemathesis.toml`: max-examples scenarios of at most
max-steps steps).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from airudder import TokenAuth

from . import drift, links, mock_setup, report
from .target import Target, build_schema, document_for, writes_allowed

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


def test_stateful_sequences_follow_the_links(
    api_schema: Any, target: Target, auth: TokenAuth, known: mock_setup.Known | None
) -> None:
    """One state machine per operation that links start from, so every link is followed (see `links.py`); on the
    embedded mock every link must be answered 2xx at least once, and anywhere a link never answered 2xx fails
    the run as a gap in coverage: a sequence that was never walked proves nothing."""
    document = document_for(target, writes=writes_allowed())
    declared = links.names(document)
    report.declare_links(list(declared))
    settings = api_schema.config.get_hypothesis_settings(phase="stateful")
    for source in links.sources(document):
        schema = build_schema(target, auth, writes=writes_allowed(), document=links.only_links_of(document, source))
        base = schema.as_state_machine()

        class Sequences(base):  # type: ignore[misc, valid-type]
            def setup(self) -> None:
                report.record_stateful_scenario()
                super().setup()

            def step(self, input: Any) -> Any:
                operation_id = input.case.operation.definition.raw.get("operationId", "")
                completed = known is not None and mock_setup.complete(known, operation_id, input.case, input.is_applied)
                output = super().step(input)
                link = input.transition.id if input.transition is not None else None
                report.record_stateful_step(link, input.is_applied, output.response.status_code, completed)
                return output

        # Without these settings run() would use Hypothesis' defaults: unseeded, 100 scenarios of up to 50 steps.
        Sequences.run(settings=settings)
    walked = report.STATEFUL.links
    unknown = sorted(set(walked) - set(declared))
    assert not unknown, f"schemathesis followed links the spec does not name as expected (naming changed?): {unknown}"
    uncovered = report.uncovered_links()
    assert not uncovered, f"links never answered 2xx (a coverage failure, see the report): {uncovered}"
