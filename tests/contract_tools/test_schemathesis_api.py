"""What the contract suite reads from schemathesis, so an upgrade that drops it fails here, loudly, and not as
a report that silently counts nothing. pyproject pins schemathesis to the 4.x line these names exist in. (That
`Transition.id` is the link's full name, as `links.names` spells it, the suite itself asserts on every run.)"""

from __future__ import annotations

import inspect

import schemathesis
from schemathesis.generation.stateful.state_machine import StepInput, Transition

import airudder_spec


def test_a_case_tells_its_phase_through_the_public_meta() -> None:
    schema = schemathesis.openapi.from_dict(airudder_spec.load())
    operation = schema["/service/cloud/workflow/instancelist"]["GET"]
    case = operation.Case(query={"page": 1})
    assert "meta" in dir(type(case)) and isinstance(inspect.getattr_static(type(case), "meta"), property)
    assert case.meta is None or hasattr(case.meta.phase.name, "value")


def test_a_step_names_the_link_it_followed() -> None:
    assert {"case", "transition"} <= set(StepInput.__slots__)
    assert isinstance(inspect.getattr_static(StepInput, "is_applied"), property)
    assert "id" in Transition.__slots__
    assert callable(getattr(schemathesis.BaseSchema, "as_state_machine", None))
