"""Schemathesis over the mock's admin API (spec/mock-admin.yaml): every operation, every phase (examples,
coverage, fuzzing, stateful), the default checks, against an embedded mock with workflows, calls and webhooks.

The admin API exists only on the mock, so this runs against a mock of its own (its resets, faults and clock moves
must not disturb the AIRudder contract run), and only in a run whose target is the embedded mock:
`airudder-contract --base-url` leaves it out, as it says nothing about the URL under test. Every webhook target
schemathesis sets is pointed at a local receiver before the call: the mock POSTs webhooks to its targets, and
nothing may leave the machine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from starlette.applications import Starlette
from starlette.routing import Route

import airudder_spec
from airudder.serving import serve
from airudder_mock import MockConfig, WebhookSink, admin_spec_path, running_mock

from . import mock_setup
from .target import HERE, Target, token_auth

# Valid by the schema, refused by state the schema cannot know: a clock moved past year 9000, a webhook kind or
# an operationId that the AIRudder spec does not have, in a fault or a scenario (each a 400 naming the field); an
# unknown workflow (404).
ADMIN_CONFIG = """
[[operations]]
include-operation-id = ["move_clock", "set_webhook_target", "set_fault", "set_scenario"]
checks.positive_data_acceptance.expected-statuses = [200, 400, 404]
"""
URL = re.compile(r"^https?://")


@pytest.fixture(scope="module")
def admin_mock() -> Iterator[tuple[str, str, dict[str, str]]]:
    """A mock (time stopped) with seeded workflows, every webhook sent to a local receiver: (base URL, receiver,
    the admin token's header)."""
    sink = WebhookSink()
    receiver = Starlette(routes=[Route("/{kind}", sink.receive, methods=["POST"])])
    with serve(receiver) as base_url:
        receiver_url = f"{base_url}/hook"
        with running_mock(MockConfig(speed=0, webhook_urls={"*": receiver_url})) as mock:
            target = Target("mock", mock.base_url, mock.app_key, mock.app_secret, mock.admin_token)
            with token_auth(target) as auth:
                mock_setup.prepare(target, auth)
            yield mock.base_url, receiver_url, mock.admin_headers


@pytest.fixture(scope="module")
def admin_schema(admin_mock: tuple[str, str, dict[str, str]]) -> Any:
    config = schemathesis.Config.from_str((HERE / "schemathesis.toml").read_text() + ADMIN_CONFIG)
    schema = schemathesis.openapi.from_path(admin_spec_path(), config=config)
    schema.config.update(base_url=admin_mock[0], headers=admin_mock[2])

    @schema.hook("filter_body")
    def storable_body(context: Any, body: Any) -> bool:
        """Open parts of the bodies (a contact's extra fields) take any JSON; the mock refuses what it cannot store
        (integers beyond 64 bits) with a 400, which would read as valid data refused."""
        return not airudder_spec.unstorable(body)

    return schema


def local_targets(case: Any, receiver_url: str) -> None:
    """A webhook target schemathesis chose (any http(s) URL) becomes the local receiver: still a valid URL."""
    body, operation_id = case.body, case.operation.definition.raw.get("operationId")
    if operation_id == "set_webhook_target" and isinstance(body, dict) and URL.match(str(body.get("url"))):
        case.body = {**body, "url": receiver_url}


schema = schemathesis.pytest.from_fixture("admin_schema")


@schema.parametrize()
def test_admin_operation_conforms_to_its_spec(case: Any, admin_mock: tuple[str, str, dict[str, str]]) -> None:
    local_targets(case, admin_mock[1])
    case.call_and_validate()


def test_admin_stateful_sequences_follow_the_links(
    admin_schema: Any, admin_mock: tuple[str, str, dict[str, str]]
) -> None:
    receiver_url, linked = admin_mock[1], Counter[int]()

    class Sequences(admin_schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            local_targets(case, receiver_url)

        def step(self, input: Any) -> Any:
            output = super().step(input)
            if input.transition is not None and input.is_applied:
                linked[output.response.status_code] += 1
            return output

    Sequences.run(settings=admin_schema.config.get_hypothesis_settings(phase="stateful"))
    # the links were walked with their values, and some reached a live workflow or an existing recording
    assert sum(n for status, n in linked.items() if status < 300) > 0, linked
    with httpx.Client(base_url=admin_mock[0], headers=admin_mock[2]) as http:  # and the mock is still whole
        assert http.get("/_mock/clock").status_code == 200
