"""The traffic the proxy's tests send: what an app's staging sends AIRudder in a day, in small."""

from __future__ import annotations

from typing import Any

import httpx

PHONE = "+6281234567890"
NAME = "Budi Santoso"
CASE_ID = "case-real-0042"


def staging_day(base_url: str, app_key: str, app_secret: str) -> dict[str, httpx.Response]:
    """A token, a workflow task with a contact, the task list, a query by number and a task's details."""
    answers: dict[str, httpx.Response] = {}
    with httpx.Client(base_url=base_url, timeout=30) as http:
        answers["get_token"] = http.post("/service/cloud/auth", json={"APPKey": app_key, "APPSecret": app_secret})
        auth = {"Authorization": f"Token {answers['get_token'].json()['data']['token']}"}
        contact: dict[str, Any] = {"callee": PHONE, "variables": {"name": NAME}, "case_id": CASE_ID}
        answers["create_workflow_task"] = http.post(
            "/service/cloud/workflow/createinstance",
            json={
                "workflow_template_id": 1,
                "name": "july",
                "end_time": "2030-12-31 23:59:59+07:00",
                "details": [contact],
            },
            headers=auth,
        )
        answers["list_workflow_tasks"] = http.get(
            "/service/cloud/workflow/instancelist", params={"page": 1, "size": 20}, headers=auth
        )
        answers["query_workflow_ids"] = http.post(
            "/service/cloud/workflow/detailinstances",
            json={"start_time": "2024-01-01 00:00:00+07:00", "end_time": "2031-01-01 00:00:00+07:00", "callee": PHONE},
            headers=auth,
        )
        answers["get_outbound_task_details"] = http.post(
            "/service/cloud/workflow/taskdetail", json={"case_id": CASE_ID, "callee": PHONE}, headers=auth
        )
    return answers
