"""A small app with the five mistakes of issue 12, each on a line marked with a `mistake:` comment.

tests/client/test_typing.py runs `mypy --strict` on this file: each marked line must be reported, and no other.
The unmarked lines are the right ways to do the same things, so they show the types are not merely loose.
"""

from __future__ import annotations

import airudder
from airudder import webhooks
from airudder_api.api.waba import get_waba_task_details
from airudder_api.api.workflows import list_workflow_tasks
from airudder_api.models import WorkflowListCompletionNotification, WorkflowStatusChangeNotification


def app(client: airudder.Client) -> None:
    for task in client.workflows.list(start_time="2024-01-01T00:00:00Z"):
        print(task.workflow_id, task.status)
        print(task.workflow_idd)  # mistake: misspelt attribute of a listed task
    for item in airudder.paginate(list_workflow_tasks, client=client):
        print(item)
    for detail in airudder.paginate(get_waba_task_details, client=client):  # mistake: paginate over a non-paged op
        print(detail)
    client.workflows.create(workflow_template_id=1, name="july", end_time="2026-12-31 23:59:59+07:00")
    client.workflows.create(workflow_template_id=1, nam="july", end_time="2026-12-31")  # mistake: misspelt keyword
    details = client.waba.task_details(workflow_id="w", task_id="t")
    print(details.total)


receiver = webhooks.WebhookReceiver()


@receiver.on("workflow_status_changed")
def changed(event: WorkflowStatusChangeNotification) -> None:
    print(event.workflow_id)


@receiver.on("workflow_status_change")  # mistake: receiver.on() with a misspelt kind
def misspelt(event: WorkflowStatusChangeNotification) -> None:
    print(event.workflow_id)


@receiver.on("workflow_status_changed")  # mistake: a handler typed for the wrong payload model
def wrong_model(event: WorkflowListCompletionNotification) -> None:
    print(event.workflow_id)


def parsed(body: bytes) -> str:
    event = webhooks.parse("workflow_status_changed", body)
    return event.workflow_id
