"""Calls every operation of the spec on the mock through openapi-generator's python client (package
`openapi_client`, on PYTHONPATH), as its users would: its models, no dict in place of a model. Prints the
operationIds it called, as JSON. Usage: python calls.py BASE_URL (the mock, or a recording proxy in front of it).
"""

from __future__ import annotations

import json
import sys
import urllib.request

import openapi_client as oag  # type: ignore[import-not-found]

WINDOW = {"start_time": "2022-09-27T07:58:31Z", "end_time": "2999-12-31T23:59:59Z"}


def main(base: str) -> list[str]:
    called = []
    auth = oag.AuthApi(oag.ApiClient(oag.Configuration(host=base)))
    issued = auth.get_token(oag.TokenRequest(APPKey="mock-app-key", APPSecret="mock-app-secret"))
    called.append("get_token")
    config = oag.Configuration(host=base, api_key={"Token": issued.data.token}, api_key_prefix={"Token": "Token"})
    client = oag.ApiClient(config)
    workflows = oag.WorkflowsApi(client)

    variables = {"case_id": oag.DetailVariablesValue("py-case-1"), "amount": oag.DetailVariablesValue(1200)}
    created = workflows.create_workflow_task(
        oag.CreateWorkflowTaskRequest(
            workflow_template_id=4,
            name="py-info-check",
            end_time="2099-12-31 23:59:59+07:00",
            details=[oag.WorkflowDetail(callee="+6281200000201", variables=variables)],
        )
    )
    called.append("create_workflow_task")
    workflow_id = created.data.workflow_id

    more = [oag.WorkflowDetail(callee="+6281200000202")]
    workflows.add_workflow_lists(oag.AddWorkflowListsRequest(workflow_id=workflow_id, details=more))
    called.append("add_workflow_lists")

    page = workflows.list_workflow_tasks(page=1, size=10, **WINDOW)
    called.append("list_workflow_tasks")
    assert any(task.workflow_id == workflow_id for task in page.data.lists), "new task not listed"

    found = workflows.query_workflow_ids(oag.QueryWorkflowIdsRequest(case_id="py-case-1", **WINDOW))
    called.append("query_workflow_ids")
    assert found.code == 200, found

    details = oag.OutboundTasksApi(client).get_outbound_task_details(
        oag.OutboundTaskDetailsRequest(workflow_id=workflow_id, page=1, size=20)
    )
    called.append("get_outbound_task_details")
    assert details.code == 200, details

    # the mock's own admin API (not AIRudder's) tells the ids of the nodes the new tasks got
    waba = workflows.create_workflow_task(
        oag.CreateWorkflowTaskRequest(workflow_template_id=2, name="py-waba", end_time="2099-12-31 23:59:59+07:00")
    )
    with urllib.request.urlopen(f"{base}/_mock/state", timeout=30) as answer:
        nodes = json.load(answer)["nodes"]
    api_node = next(n for n in nodes if n["workflow_id"] == workflow_id and n["node_type"] == "api")
    waba_node = next(n for n in nodes if n["workflow_id"] == waba.data.workflow_id and n["node_type"] == "waba")

    oag.CustomApiNodeApi(client).verify_custom_api_node_data_push(
        oag.VerifyCustomApiNodeDataPushRequest(
            workflow_id=workflow_id, node_id=api_node["nodetask_id"], callee="+6281200000201"
        )
    )
    called.append("verify_custom_api_node_data_push")

    recipients = oag.WabaApi(client).get_waba_task_details(
        workflow_id=waba_node["workflow_id"], task_id=waba_node["task_id"]
    )
    called.append("get_waba_task_details")
    assert recipients.code == 200, recipients
    return sorted(called)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
