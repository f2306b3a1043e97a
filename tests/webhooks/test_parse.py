"""parse(): validated against the spec, typed, detected from the shape where the docs show one, extras kept."""

from __future__ import annotations

import json

import pytest
from schemathesis import GenerationMode

from airudder import webhooks
from airudder_api.models import WorkflowStatusChangeNotification
from airudder_contract.webhook_cases import doc_examples, generated

STATUS = doc_examples("workflow_status_changed")[0]


@pytest.mark.parametrize("kind", webhooks.kinds())
def test_doc_examples_and_generated_payloads_parse_to_their_model_and_keep_every_field(kind: str) -> None:
    for payload in doc_examples(kind) + generated(kind, GenerationMode.POSITIVE, 10):
        parsed = webhooks.parse(kind, json.dumps(payload).encode())
        assert parsed.to_dict() == payload


def test_the_kind_is_detected_from_a_documented_shape() -> None:
    parsed = webhooks.parse(None, json.dumps(STATUS).encode())
    assert isinstance(parsed, WorkflowStatusChangeNotification) and parsed.status == "finished"
    assert webhooks.detect({**STATUS, "vendor_field": 1}) == "workflow_status_changed"


def test_unknown_and_ambiguous_shapes_are_explained() -> None:
    with pytest.raises(webhooks.UnknownWebhook, match="need their kind named"):
        webhooks.parse(None, b'{"task_id": "t"}')
    both = {**STATUS, "case_id": "c", "callee_number": "+62", "rows": []}
    with pytest.raises(webhooks.AmbiguousWebhook, match="workflow_list_completed, workflow_status_changed"):
        webhooks.detect(both)
    with pytest.raises(webhooks.UnknownWebhook):
        webhooks.parse("no_such_kind", b"{}")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "body"),
        (b"{not json", "body"),
        (b"[]", "body"),
        (b"NaN", "body"),
        (json.dumps(STATUS).encode()[:-1] + b', "score": Infinity}', "body"),  # not JSON, though Python reads it
        (json.dumps(STATUS).encode()[:-1] + b', "score": 1e999}', "score"),  # overflows to infinity: not storable
        (json.dumps(STATUS).encode()[:-1] + b', "score": [-1E+400]}', "score.0"),
        (b"1e999", "body"),
        (b"[" * 100_000, "body"),  # nesting past Python's recursion limit: a 400, not a crash
        (b"[" * 101 + b"]" * 101, "body"),
        (json.dumps({k: v for k, v in STATUS.items() if k != "status"}).encode(), "status"),
        (
            json.dumps({**STATUS, "actions": [{"nodetask_id": "n", "node_type": "sms"}]}).encode(),
            "actions.0.nodetask_name",
        ),
        (json.dumps({**STATUS, "actions": [{"nodetask_id": 1}]}).encode(), "actions.0"),
        (json.dumps({**STATUS, "workflow_id": 7}).encode(), "workflow_id"),
    ],
)
def test_invalid_bodies_name_the_failing_field(body: bytes, field: str) -> None:
    with pytest.raises(webhooks.InvalidPayload) as caught:
        webhooks.parse("workflow_status_changed", body)
    assert caught.value.field.startswith(field)


def test_an_error_quotes_a_large_failing_value_only_in_part() -> None:
    with pytest.raises(webhooks.InvalidPayload) as caught:
        webhooks.parse("workflow_status_changed", json.dumps(["x" * 100_000]).encode())
    assert caught.value.field == "body" and len(caught.value.message) < 1000


def test_retried_deliveries_share_an_event_key_and_other_events_do_not() -> None:
    key = webhooks.event_key("workflow_status_changed", STATUS)
    assert key == webhooks.event_key("workflow_status_changed", json.loads(json.dumps(STATUS)))
    assert key != webhooks.event_key("workflow_status_changed", {**STATUS, "status": "cancelled"})
    assert key != webhooks.event_key("workflow_status_changed", {**STATUS, "actions": []})
    assert key == webhooks.event_key("workflow_status_changed", {**STATUS, "workflow_name": "renamed"})
    assert webhooks.event_key("call_completed", {"a": 1, "b": 2}) == webhooks.event_key(
        "call_completed", {"b": 2, "a": 1}
    )
