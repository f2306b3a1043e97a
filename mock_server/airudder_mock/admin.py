"""The admin API under `/_mock/`: reset, clock, templates, credentials, contacts, stop/cancel, webhook targets
and deliveries, faults, recordings and a state dump.

Stop, cancel and adding contacts are AIRudder operations whose paths the docs do not show; the mock offers
them here, outside AIRudder's path space, rather than invent paths under /service/.
"""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airudder_spec.strict_json import INT64

from .clock import MAX_SPEED, iso
from .envelope import Failure, error, ok
from .faults import Fault, FaultError
from .validation import Invalid, parse_json, storage_problems

if TYPE_CHECKING:
    from .server import MockServer

Endpoint = Callable[[Request], Awaitable[Response]]


def routes(mock: MockServer) -> list[Route]:
    def route(path: str, method: str, action: Callable[[Request, Any], Any]) -> Route:
        async def endpoint(request: Request) -> Response:
            body: Any = None
            try:
                if method in ("POST", "PUT"):
                    raw = await request.body()
                    body = parse_json(raw) if raw.strip() else {}
                    if not isinstance(body, dict):
                        raise Failure(400, "body", "must be a JSON object")
                    problems = storage_problems(body)
                    if problems:
                        raise Invalid(problems)
                # in a worker thread: advancing the clock sends webhooks, and the event loop must go on serving
                result = await run_in_threadpool(action, request, body)
            except (Failure, Invalid) as exc:
                return error(exc.status, exc.problems)
            return result if isinstance(result, Response) else ok(result)

        return Route(f"/_mock{path}", endpoint, methods=[method])

    def reset(request: Request, body: Any) -> Any:
        mock.reset()
        return {"reset": True}

    def clock(request: Request, body: Any) -> Any:
        if body is not None:
            for key in body:
                if key not in ("advance", "speed"):
                    raise Failure(400, f"body.{key}", "is not a clock option (advance, speed)")
            speed = number(body, "speed", MAX_SPEED) if "speed" in body else None
            advance = number(body, "advance") if "advance" in body else None
            if speed is not None:
                mock.clock.set_speed(speed)
            if advance is not None:
                try:
                    mock.clock.advance(advance)
                except ValueError as exc:
                    raise Failure(400, "body.advance", str(exc)) from None
            mock.pump()
        now = mock.clock.now()
        return {"now": now, "iso": iso(now), "speed": mock.clock.speed}

    def templates(request: Request, body: Any) -> Any:
        if body is not None:
            template_id, name, nodes = body.get("id"), body.get("name"), body.get("nodes")
            if isinstance(template_id, bool) or not isinstance(template_id, int) or template_id not in INT64:
                raise Failure(400, "body.id", "must be an integer")
            if not isinstance(name, str) or not name:
                raise Failure(400, "body.name", "must be a non-empty string")
            if not valid_nodes(nodes):
                raise Failure(400, "body.nodes", "must be a non-empty list of {type: call|waba|api, name}")
            if not isinstance(body.get("category", ""), str):
                raise Failure(400, "body.category", "must be a string (info_check: Info Check call webhooks)")
            mock.simulation.seed_templates([body])
        return [mock.simulation.template(r[0]) for r in mock.store.all("SELECT id FROM templates ORDER BY id")]

    def credentials(request: Request, body: Any) -> Any:
        for field in ("app_key", "app_secret"):
            if not isinstance(body.get(field), str) or not body[field]:
                raise Failure(400, f"body.{field}", "must be a non-empty string")
        key, secret = body["app_key"], body["app_secret"]
        mock.add_credentials(key, secret)
        return {"app_key": key}

    def contacts(request: Request, body: Any) -> Any:
        items, list_name = body.get("contacts"), body.get("list_name", "default")
        if not isinstance(list_name, str) or not list_name:
            raise Failure(400, "body.list_name", "must be a non-empty string")
        if not isinstance(items, list) or not items:
            raise Failure(400, "body.contacts", "needs a non-empty list of {case_id, callee, ...}")
        for i, item in enumerate(items):
            if not (
                isinstance(item, dict) and isinstance(item.get("case_id"), str) and isinstance(item.get("callee"), str)
            ):
                raise Failure(400, f"body.contacts.{i}", "needs case_id and callee (strings)")
        return {"added": lifecycle(lambda wid, now: mock.simulation.add_contacts(wid, items, list_name, now), request)}

    def lifecycle(change: Callable[[str, float], Any], request: Request) -> Any:
        workflow_id = request.path_params["workflow_id"]
        if mock.store.one("SELECT 1 FROM workflows WHERE workflow_id = ?", workflow_id) is None:
            raise Failure(404, "path.workflow_id", "no workflow task has this id")
        now = mock.clock.now()
        mock.simulation.run_until(now)
        try:
            result = change(workflow_id, now)
        except ValueError as exc:
            raise Failure(409, "path.workflow_id", str(exc)) from None
        mock.pump()
        return result

    def stop(request: Request, body: Any) -> Any:
        lifecycle(lambda wid, now: mock.simulation.finish(wid, "stopped", now), request)
        return {"status": "stopped"}

    def cancel(request: Request, body: Any) -> Any:
        lifecycle(lambda wid, now: mock.simulation.finish(wid, "cancelled", now), request)
        return {"status": "cancelled"}

    def cancel_list(request: Request, body: Any) -> Any:
        name = request.path_params["list_name"]
        return {"cancelled": lifecycle(lambda wid, now: mock.simulation.cancel_list(wid, name, now), request)}

    def targets(request: Request, body: Any) -> Any:
        if body is not None:
            kind, url, workflow_id = body.get("kind", "*"), body.get("url"), body.get("workflow_id")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise Failure(400, "body.url", "must be an http(s) URL")
            if not isinstance(kind, str):
                raise Failure(400, "body.kind", "must be a webhook of the spec (or *)")
            if workflow_id is not None:
                if not isinstance(workflow_id, str):
                    raise Failure(400, "body.workflow_id", "must be a string (or absent: every workflow)")
                if mock.store.one("SELECT 1 FROM workflows WHERE workflow_id = ?", workflow_id) is None:
                    raise Failure(404, "body.workflow_id", "no workflow task has this id")
            try:
                mock.deliveries.set_target(kind, url, workflow_id)
            except KeyError:
                raise Failure(400, "body.kind", "is not a webhook of the spec (or *)") from None
        return mock.deliveries.targets()

    def deliveries(request: Request, body: Any) -> Any:
        q = request.query_params
        return mock.deliveries.log(q.get("kind"), q.get("workflow_id"), q.get("status"))

    def faults(request: Request, body: Any) -> Any:
        if request.method == "DELETE":
            mock.faults.clear(request.query_params.get("operation_id"))
        elif body is not None:
            operation_id = body.pop("operation_id", None)
            if not isinstance(operation_id, str):
                raise Failure(400, "body.operation_id", "must be the operationId of an operation of the spec")
            try:
                mock.faults.set(operation_id, Fault.from_options(body))
            except KeyError:
                raise Failure(400, "body.operation_id", "is not an operation of the spec") from None
            except FaultError as exc:
                raise Failure(400, f"body.{exc.field}" if exc.field else "body", exc.message) from None
        return mock.faults.rules()

    def recording(request: Request, body: Any) -> Any:
        call_id = request.path_params["call_id"]
        call = mock.store.one("SELECT duration FROM calls WHERE call_id = ? AND recording = 1", call_id)
        if call is None:
            raise Failure(404, "path.call_id", "no recording for this call")
        return Response(silent_wav(min(call["duration"], 5)), media_type="audio/wav")

    def state(request: Request, body: Any) -> Any:
        return JSONResponse(mock.store.dump())

    return [
        route("/reset", "POST", reset),
        route("/clock", "GET", clock),
        route("/clock", "POST", clock),
        route("/templates", "GET", templates),
        route("/templates", "POST", templates),
        route("/credentials", "POST", credentials),
        route("/workflows/{workflow_id}/contacts", "POST", contacts),
        route("/workflows/{workflow_id}/stop", "POST", stop),
        route("/workflows/{workflow_id}/cancel", "POST", cancel),
        route("/workflows/{workflow_id}/lists/{list_name}/cancel", "POST", cancel_list),
        route("/webhooks/targets", "GET", targets),
        route("/webhooks/targets", "PUT", targets),
        route("/webhooks/deliveries", "GET", deliveries),
        route("/faults", "GET", faults),
        route("/faults", "PUT", faults),
        route("/faults", "DELETE", faults),
        route("/recordings/{call_id}.wav", "GET", recording),
        route("/state", "GET", state),
    ]


def number(body: dict[str, Any], key: str, top: float | None = None) -> float:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (top is not None and value > top):
        raise Failure(400, f"body.{key}", f"must be a number from 0{f' to {top:.0f}' if top is not None else ''}")
    return float(value)


def valid_nodes(nodes: Any) -> bool:
    return (
        isinstance(nodes, list)
        and bool(nodes)
        and all(
            isinstance(n, dict) and n.get("type") in ("call", "waba", "api") and isinstance(n.get("name"), str)
            for n in nodes
        )
    )


def silent_wav(seconds: int) -> bytes:
    """A valid 8 kHz mono WAV of silence: a recording link that players and parsers accept."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 0) * 8000 * max(seconds, 1))
    return buffer.getvalue()
