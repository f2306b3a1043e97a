"""Recorded answers as examples (`airudder-contract --recordings DIR`): each answer the validating proxy recorded
(`airudder-mock proxy --record DIR`), held against the spec like any answer of the target. A recording of
AIRudder's traffic is the best example of its answers there is; one that the spec does not fit is a finding.

What counts as a misfit is the drift report's (`airudder_spec.drift`): an element contradicted, a status with no
answer in the spec, a `code` it does not name. A field or a value the spec does not name is not one (the spec is
open there): the proxy's drift report lists those.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from airudder_mock import Cassette, read_cassettes
from airudder_spec.drift import DriftReport

VARIABLE = "AIRUDDER_CONTRACT_RECORDINGS"


def directory() -> Path | None:
    found = os.environ.get(VARIABLE)
    return Path(found) if found else None


def by_operation(folder: Path) -> dict[str, list[Cassette]]:
    found: dict[str, list[Cassette]] = defaultdict(list)
    for cassette in read_cassettes(folder):
        found[cassette.operation_id].append(cassette)
    return dict(found)


def misfits(cassette: Cassette) -> list[str]:
    """What the spec says against one recorded answer (empty: it fits)."""
    report = DriftReport()
    content_type = next((v for k, v in cassette.headers if k.lower() == "content-type"), "")
    report.answer(cassette.operation_id, cassette.status, cassette.body, content_type)
    drift = report.operations[cassette.operation_id]
    found = [
        f"{element.at} ({pointer}): {rule}" for pointer, element in drift.elements.items() for rule in element.rules
    ]
    found += [f"status with no answer in the spec: {key}" for key in drift.tables["unnamed_statuses"]]
    found += [f"`code` not named: {key}" for key in drift.tables["codes"] if key.endswith("(not named)")]
    return found
