"""Recorded answers (`--recordings DIR`, see `recorded`): every one must fit the spec, per operation."""

from __future__ import annotations

import pytest

import airudder_spec

from . import recorded, report

FOLDER = recorded.directory()
RECORDED = recorded.by_operation(FOLDER) if FOLDER is not None else {}


@pytest.mark.parametrize("operation_id", sorted(RECORDED))
def test_recorded_answers_fit_the_spec(operation_id: str, request: pytest.FixtureRequest) -> None:
    operation = airudder_spec.operations()[operation_id]
    report.cell(request.node, f"{operation.method.upper()} {operation.path}", "recorded answers")
    found = {cassette.path.name: recorded.misfits(cassette) for cassette in RECORDED[operation_id]}
    assert {name: problems for name, problems in found.items() if problems} == {}
