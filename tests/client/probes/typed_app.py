"""A realistic user's app, type-checked with `mypy --strict --disallow-any-expr` (scripts/test, test_typing.py).

A Starlette service (FastAPI-like) that drives AIRudder through the client and receives its webhooks: every resource
method (sync and asyncio), the pages, and a handler of every webhook kind reading its fields. No expression in it
is `Any`, and no answer or webhook field needs narrowing from "not set": an absent optional field is `None`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

import airudder
from airudder import webhooks
from airudder_api.models import (
    CallCompletionNotification,
    ChatbotSessionEndNotification,
    CustomApiNodeDataPush,
    InfoCheckCallCompletionNotification,
    PredictiveDialerAgentStatusChange,
    PredictiveDialerContactStatusChange,
    PredictiveDialerTaskStatusChange,
    WabaMessageStatusNotification,
    WorkflowDetail,
    WorkflowListCompletionNotification,
    WorkflowStatusChangeNotification,
    WorkflowTask,
)

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
client = airudder.AsyncClient(app_key="key", app_secret="secret")
receiver = webhooks.WebhookReceiver()
seen: list[str] = []


# the client, asyncio, in request handlers ---------------------------------------------------------------------


async def start_campaign(request: Request) -> JSONResponse:
    ends = datetime.datetime.now(JAKARTA) + datetime.timedelta(days=2)
    created = await client.workflows.create(
        workflow_template_id=12,
        name="july reminders",
        end_time=ends,
        details=[WorkflowDetail(callee="+6281200000001")],
        timeout=10,
    )
    workflow_id: str = created.workflow_id or ""
    added = await client.workflows.add_lists(workflow_id=workflow_id, details=[WorkflowDetail(callee="+6281200000002")])
    answer: dict[str, object] = {"workflow_id": workflow_id, "added": added.added or 0}
    return JSONResponse(answer)


async def recent_tasks(request: Request) -> JSONResponse:
    since = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    names: list[str] = []
    async for task in client.with_options(max_retries=1).workflows.list(start_time=since, max_items=50):
        names.append(describe(task))
    async for page in client.workflows.list(page_size=20).pages():
        names.append(f"page {page.number}: {len(page.items)} of {page.total or 0}")
    answer: dict[str, object] = {"tasks": names}
    return JSONResponse(answer)


async def calls_of(request: Request) -> JSONResponse:
    workflow_id = request.query_params["workflow_id"]
    found = await client.outbound_tasks.details(workflow_id=workflow_id, size=50, extra_headers={"X-Trace": "t"})
    calls: list[dict[str, object]] = [
        {
            "call": call.call_id or "",
            "status": call.status or "",
            "seconds": call.duration or 0,
            "url": call.recording_url,
        }
        for call in found.list_ or []
    ]
    matches = await client.workflows.query_ids(
        start_time="2026-01-01 00:00:00+07:00", end_time=datetime.datetime.now(JAKARTA)
    )
    ids = [m.workflow_id or "" for m in matches.list_ or []]
    waba = await client.waba.task_details(workflow_id=workflow_id, task_id="t1")
    sent = [(r.callee or "", r.status or "", r.send_time or "") for r in waba.list_]
    pushed = await client.custom_api_node.verify_data_push(
        workflow_id=workflow_id, node_id="n1", callee="+6281200000001"
    )
    raw = await client.workflows.with_raw_response.query_ids(start_time="2026-01-01", end_time="2026-02-01")
    took: float = raw.elapsed.total_seconds()
    answer: dict[str, object] = {
        "calls": calls,
        "ids": ids,
        "waba": sent,
        "total": waba.total,
        "pushed": pushed.pushed,
        "took": took,
    }
    return JSONResponse(answer)


def describe(task: WorkflowTask) -> str:
    started = task.start_time.replace("T", " ") if task.start_time else "not started"
    return f"{task.name or '?'} ({task.status or '?'}), {task.total or 0} contacts, {started}"


# the client, sync, in a script ------------------------------------------------------------------------------------


def nightly_report(sync: airudder.Client) -> Iterator[str]:
    try:
        created = sync.workflows.create(workflow_template_id=1, name="n", end_time="2026-12-31 23:59:59+07:00")
    except airudder.ConflictError as exc:
        yield f"conflict: {exc.message} ({exc.operation})"
    else:
        yield created.workflow_id or ""
    sync.workflows.add_lists(workflow_id="w", details=[WorkflowDetail(callee="+6281200000003")], max_retries=0)
    for task in sync.workflows.list(max_items=10):
        yield describe(task)
    for page in sync.workflows.list().pages():
        yield str(page.number)
    yield str(sync.outbound_tasks.details(workflow_id="w").total or 0)
    yield str(len(sync.workflows.query_ids(start_time="2026-01-01", end_time="2026-02-01").list_ or []))
    yield str(sync.waba.task_details(workflow_id="w", task_id="t").total)
    yield str(sync.custom_api_node.verify_data_push(workflow_id="w", node_id="n", callee="+62").pushed)
    raw = sync.workflows.with_raw_response.create(workflow_template_id=1, name="n", end_time="2026-12-31")
    yield f"{raw.status_code} {raw.http_request.url} {raw.text[:20]}"


# a handler of every webhook kind --------------------------------------------------------------------------------


@receiver.on("workflow_status_changed")
def status_changed(event: WorkflowStatusChangeNotification) -> None:
    for action in event.actions:
        seen.append(f"{event.workflow_name} {event.status}: {action.nodetask_name} {action.task_status or '-'}")


@receiver.on("workflow_list_completed")
async def list_completed(event: WorkflowListCompletionNotification) -> None:
    seen.append(f"{event.case_id} {event.callee_number}: {[row.node_type for row in event.rows]}")


@receiver.on("custom_api_node_data_push")
def data_pushed(event: CustomApiNodeDataPush) -> None:
    seen.append(f"{event.node_name}: {event.callee.case_id} {event.callee.callee_number} {event.callee.extra_a}")


@receiver.on("call_completed")
def call_completed(event: CallCompletionNotification) -> None:
    seen.append(f"{event.call_id} {event.status} {event.duration or 0}s {event.recording_url or 'no recording'}")


@receiver.on("info_check_call_completed")
def info_checked(event: InfoCheckCallCompletionNotification) -> None:
    seen.append(f"{event.case_id} {event.callee} attempt {event.attempt or 1}")


@receiver.on("waba_message_status_changed")
def waba_status(event: WabaMessageStatusNotification) -> None:
    seen.append(f"{event.caseid} {event.callee} {event.status} sent {event.send_time}")


@receiver.on("chatbot_session_ended")
def session_ended(event: ChatbotSessionEndNotification) -> None:
    seen.append(f"{event.channel} {event.callee} {event.timestamp} {event.call_id or ''}")


@receiver.on("predictive_dialer_task_status_changed")
def dialer_task(event: PredictiveDialerTaskStatusChange) -> None:
    kind = event.type_.value if event.type_ else "?"
    seen.append(f"{kind} {event.task_id} {event.status} {event.time}")


@receiver.on("predictive_dialer_contact_status_changed")
def dialer_contact(event: PredictiveDialerContactStatusChange) -> None:
    seen.append(f"{event.callee} {event.call_id} {event.status} attempt {event.attempt or 1}")


@receiver.on("predictive_dialer_agent_status_changed")
async def dialer_agent(event: PredictiveDialerAgentStatusChange) -> None:
    seen.append(f"{event.agent_id} {event.call_id} {event.status}")


async def parse_by_hand(request: Request) -> JSONResponse:
    event = webhooks.parse("workflow_status_changed", await request.body())
    answer: dict[str, object] = {"workflow": event.workflow_id, "nodes": len(event.actions)}
    return JSONResponse(answer)


app = Starlette(
    routes=[
        Route("/campaigns", start_campaign, methods=["POST"]),
        Route("/tasks", recent_tasks),
        Route("/calls", calls_of),
        Route("/parse", parse_by_hand, methods=["POST"]),
        Mount("/airudder", app=receiver.app),
    ]
)
