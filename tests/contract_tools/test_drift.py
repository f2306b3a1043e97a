"""The live drift report names exactly the fields the spec does not."""

from __future__ import annotations

from pathlib import Path

from airudder_contract import drift

TASK_LIST = {"$ref": "#/components/schemas/WorkflowTaskListResponse"}


def test_documented_fields_are_not_drift() -> None:
    body = {
        "data": {"lists": [{"workflow_id": "w1", "status": "finished"}], "count": 1},
        "status": "OK",
        "code": 200,
    }
    assert drift.undocumented_fields(TASK_LIST, body) == []


def test_undocumented_fields_are_named_by_path_at_any_depth() -> None:
    body = {
        "data": {"lists": [{"workflow_id": "w1", "agent": "a"}, {"queue": 3}], "count": 2, "cursor": "x"},
        "status": "OK",
        "code": 200,
        "trace_id": "t",
    }
    assert drift.undocumented_fields(TASK_LIST, body) == [
        "data.cursor",
        "data.lists[].agent",
        "data.lists[].queue",
        "trace_id",
    ]


def test_every_field_of_an_undocumented_data_object_is_drift() -> None:
    body = {"data": {"workflow_id": "w1"}, "status": "OK", "code": 200}
    assert drift.undocumented_fields({"$ref": "#/components/schemas/Envelope"}, body) == ["data.workflow_id"]


def test_the_report_lists_each_operation(tmp_path: Path) -> None:
    drift.record("GET /x", TASK_LIST, {"data": {"lists": [], "count": 0, "next": 1}, "status": "OK", "code": 200})
    drift.write(tmp_path / "drift.md")
    assert "| GET /x | - | - | data.next |" in (tmp_path / "drift.md").read_text()


def test_answers_are_checked_against_the_response_the_spec_gives_for_their_status(tmp_path: Path) -> None:
    responses = {
        "200": {"$ref": "#/components/responses/QueryWorkflowIdsResponse"},
        "4XX": {"$ref": "#/components/responses/Error"},
    }
    drift.record_response("POST /q", responses, 200, {"data": {"rows": []}, "status": "OK", "code": 200})
    drift.record_response("POST /q", responses, 404, {"data": {}, "status": "Not Found", "code": 404, "hint": "x"})
    drift.record_response("POST /q", responses, 302, None)
    drift.write(tmp_path / "drift.md")
    assert "| POST /q | 200 x1, 302 x1, 404 x1 | 302 | data.rows, hint |" in (tmp_path / "drift.md").read_text()


UPLOAD = "POST /service/cloud/workflow/uploaddetails"


def test_an_observed_operation_is_confirmed_only_by_a_successful_live_answer(tmp_path: Path) -> None:
    assert UPLOAD in drift.observed_operations()
    operation = drift.observed_operations()[UPLOAD]
    assert drift.confirmation(UPLOAD, operation) == "not tested (a write, sent only with --live-writes)"
    responses = operation.definition["responses"]
    drift.record_response(UPLOAD, responses, 404, {"status": "Not Found", "code": 404})
    assert drift.confirmation(UPLOAD, operation).startswith("not confirmed: the live API does not serve this path")
    drift.record_response(UPLOAD, responses, 200, {"status": "Unauthorized", "code": 401})  # in-band error
    assert drift.confirmation(UPLOAD, operation).startswith("not confirmed: no successful answer")
    drift.record_response(UPLOAD, responses, 200, {"data": {}, "status": "OK", "code": 200})
    assert drift.confirmation(UPLOAD, operation).startswith("confirmed")
    drift.write(tmp_path / "drift.md")
    assert f"| {UPLOAD} | 200 x2, 404 x1 | confirmed" in (tmp_path / "drift.md").read_text()
