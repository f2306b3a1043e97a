"""The observed "Add lists to an workflow task" operation (`uploaddetails`) and the observed `details` of create:
the mock serves them through the generated client, and the recipients they add are worked like any other."""

from __future__ import annotations

import httpx

from airudder_api import AuthenticatedClient
from airudder_api.api.workflows import add_workflow_lists, create_workflow_task, query_workflow_ids
from airudder_api.models import (
    AddWorkflowListsRequest,
    AddWorkflowListsResponse,
    CreatedWorkflowTask,
    CreateWorkflowTaskRequest,
    CreateWorkflowTaskResponse,
    DetailVariables,
    ErrorEnvelope,
    QueryWorkflowIdsRequest,
    QueryWorkflowIdsResponse,
    WorkflowDetail,
)
from airudder_mock import MockHandle

WINDOW = QueryWorkflowIdsRequest(start_time="1970-01-01 00:00:00+00:00", end_time="2999-12-31T23:59:59Z")


def create(api: AuthenticatedClient, **fields: object) -> str:
    body = CreateWorkflowTaskRequest(workflow_template_id=1, name="n", end_time="2099-12-31 23:59:59+07:00")
    for key, value in fields.items():
        setattr(body, key, value)
    created = create_workflow_task.sync(client=api, body=body)
    assert isinstance(created, CreateWorkflowTaskResponse) and isinstance(created.data, CreatedWorkflowTask)
    assert isinstance(created.data.workflow_id, str)
    return created.data.workflow_id


def callees(api: AuthenticatedClient, workflow_id: str) -> list[tuple[str, str]]:
    found = query_workflow_ids.sync(client=api, body=WINDOW)
    assert isinstance(found, QueryWorkflowIdsResponse) and found.data is not None and found.data.list_ is not None
    return [(r.case_id, r.callee) for r in found.data.list_ if r.workflow_id == workflow_id]


def test_uploaddetails_adds_the_recipients_to_the_workflow(api: AuthenticatedClient) -> None:
    workflow_id = create(api)
    before = callees(api, workflow_id)
    variables = DetailVariables.from_dict({"case_id": "loan-42", "amount": 1200})
    body = AddWorkflowListsRequest(
        workflow_id=workflow_id,
        details=[WorkflowDetail(callee="+6281200000001", variables=variables), WorkflowDetail(callee="+6281200000002")],
    )
    answer = add_workflow_lists.sync(client=api, body=body)
    assert isinstance(answer, AddWorkflowListsResponse) and answer.code == 200
    assert answer.data is not None and answer.data.added == 2
    added = [c for c in callees(api, workflow_id) if c not in before]
    assert ("loan-42", "+6281200000001") in added and len(added) == 2


def test_details_on_create_are_recipients_too(api: AuthenticatedClient) -> None:
    workflow_id = create(api, details=[WorkflowDetail(callee="+6281200000009")])
    assert "+6281200000009" in [callee for _, callee in callees(api, workflow_id)]


def test_uploaddetails_names_the_field_at_fault(api: AuthenticatedClient, airudder_mock: MockHandle) -> None:
    unknown = add_workflow_lists.sync_detailed(
        client=api, body=AddWorkflowListsRequest(workflow_id="nope", details=[WorkflowDetail(callee="+628120")])
    )
    assert unknown.status_code == 404 and isinstance(unknown.parsed, ErrorEnvelope)
    headers = {"Authorization": api.get_httpx_client().headers.get("Authorization", "")}
    bad = httpx.post(
        f"{airudder_mock.base_url}/service/cloud/workflow/uploaddetails",
        json={"workflow_id": create(api), "details": [{"callee": "0812"}]},
        headers=headers,
    )
    assert bad.status_code == 400
    assert bad.json()["data"]["errors"][0]["field"] == "body.details.0.callee"


def test_uploaddetails_to_a_finished_workflow_is_a_conflict(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    workflow_id = create(api)
    airudder_mock.admin.post(f"/workflows/{workflow_id}/stop").raise_for_status()
    answer = add_workflow_lists.sync_detailed(
        client=api, body=AddWorkflowListsRequest(workflow_id=workflow_id, details=[WorkflowDetail(callee="+628120")])
    )
    assert answer.status_code == 409


def post(api: AuthenticatedClient, mock: MockHandle, path: str, body: object) -> httpx.Response:
    headers = {"Authorization": api.get_httpx_client().headers.get("Authorization", "")}
    return httpx.post(f"{mock.base_url}/service/cloud/workflow/{path}", json=body, headers=headers)


def test_a_field_the_spec_does_not_name_is_taken_whatever_it_holds(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    """The request schemas declare no `additionalProperties`: an extra field may hold any JSON value, even a
    number no 64-bit integer holds (the body is kept as JSON text, without loss)."""
    extra = {"contacts": [{"callee": "+6281200000003", "score": 2**70, "ratio": 1e300}]}
    body = {"workflow_template_id": 1, "name": "n", "end_time": "2099-12-31 23:59:59+07:00", **extra}
    answer = post(api, airudder_mock, "createinstance", body)
    assert answer.status_code == 200, answer.text


def test_variables_hold_strings_and_64_bit_numbers_only(api: AuthenticatedClient, airudder_mock: MockHandle) -> None:
    """`details[].variables` go on to webhook receivers: each is a string or a number in the 64-bit range."""
    workflow_id = create(api)
    for wrong in ({"case_id": {"nested": 1}}, {"amount": 2**63}, {"flag": True}):
        answer = post(
            api,
            airudder_mock,
            "uploaddetails",
            {"workflow_id": workflow_id, "details": [{"callee": "+6281200000004", "variables": wrong}]},
        )
        assert answer.status_code == 400, (wrong, answer.text)
        assert answer.json()["data"]["errors"][0]["field"].startswith("body.details.0.variables"), answer.text


def test_the_bounds_of_the_request_schemas(api: AuthenticatedClient, airudder_mock: MockHandle) -> None:
    """At most 10,000 recipients in one request, and no empty id (each x-assumed in the spec)."""
    workflow_id = create(api)
    too_many = [{"callee": f"+628120{i:07d}"} for i in range(10_001)]
    answer = post(api, airudder_mock, "uploaddetails", {"workflow_id": workflow_id, "details": too_many})
    assert answer.status_code == 400 and answer.json()["data"]["errors"][0]["field"] == "body.details"
    empty = post(api, airudder_mock, "uploaddetails", {"workflow_id": "", "details": []})
    assert empty.status_code == 400 and empty.json()["data"]["errors"][0]["field"] == "body.workflow_id"
    headers = {"Authorization": api.get_httpx_client().headers.get("Authorization", "")}
    waba = httpx.get(
        f"{airudder_mock.base_url}/service/cloud/workflow/wabataskdetail?workflow_id&task_id", headers=headers
    )
    assert waba.status_code == 400
    assert {e["field"] for e in waba.json()["data"]["errors"]} == {"query.workflow_id", "query.task_id"}
    page = httpx.get(
        f"{airudder_mock.base_url}/service/cloud/workflow/instancelist?page=99999999999999999999999", headers=headers
    )
    assert page.status_code == 400 and page.json()["data"]["errors"][0]["field"] == "query.page"
