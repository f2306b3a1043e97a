"""The first-day loop, as docs/mock.md gives it: `airudder-mock serve` and `python -m airudder.webhooks` as processes
on loopback, every kind delivered and printed; `airudder-mock trigger`; `serve --forward-to` with its console."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder_spec
from airudder import webhooks
from airudder.serving import bound_socket, serve
from airudder_mock.cli import main
from airudder_mock.handle import WebhookSink

from ..waiting import wait_listening

MOCK = [sys.executable, "-m", "airudder_mock", "serve", "--port", "0", "--speed", "0", "--seed", "0"]  # every kind
RECEIVER = [sys.executable, "-m", "airudder.webhooks"]
KINDS = set(airudder_spec.webhook_kinds())
HOUR = 3600
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def lines_until(stream: IO[str] | None, done: object, seconds: float = 30) -> list[str]:
    """Lines read from `stream` until `done(lines)` is true; fails naming what was read if it never is."""
    assert stream is not None and callable(done)
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while not done(lines):
        left = deadline - time.monotonic()
        ready, _, _ = select.select([stream], [], [], max(left, 0))
        assert ready and left > 0, f"gave up waiting; read {len(lines)} lines, the last: {lines[-3:]}"
        line = stream.readline()
        assert line, f"the process ended; read so far: {lines}"
        lines.append(line.rstrip("\n"))
    return lines


@contextmanager
def mock_process(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`airudder-mock serve` on a free port; yields its base URL and the process (its log on stderr)."""
    process = subprocess.Popen([*MOCK, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        first = lines_until(process.stdout, lambda lines: bool(lines))[0]
        assert first.startswith("airudder-mock on http://127.0.0.1:"), first
        base_url = first.split()[2]
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base_url}/_mock/clock").raise_for_status()
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the mock did not start"
                time.sleep(0.1)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(20)


def run_every_template(base_url: str) -> list[dict[str, object]]:
    """A workflow of each default template, run to its end (they finish once every contact is done); returns
    the mock's delivery log."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        token = http.post("/service/cloud/auth", json={"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"})
        headers = {"Authorization": f"Token {token.json()['data']['token']}"}
        for template_id in (1, 2, 3, 4):
            body = {"workflow_template_id": template_id, "name": "first day", "end_time": "2099-01-01T00:00:00Z"}
            http.post("/service/cloud/workflow/createinstance", json=body, headers=headers).raise_for_status()
        http.post("/_mock/clock", json={"advance": 2 * HOUR}).raise_for_status()
        deliveries: list[dict[str, object]] = http.get("/_mock/webhooks/deliveries").json()["data"]
    return deliveries


def test_the_readme_pairing_delivers_every_kind_and_the_receiver_prints_each(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cret\n")
    secret_file.chmod(0o600)
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    db = str(tmp_path / "hooks.sqlite3")
    receiver = subprocess.Popen(
        [*RECEIVER, "--port", str(port), "--db", db, "--secret-file", str(secret_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
    )  # fmt: skip
    target = f"http://127.0.0.1:{port}/s3cret/{{kind}}"
    try:
        wait_listening(port, receiver)  # the mock's first delivery must find it listening (else a retry)
        with mock_process("--webhook-url", target, "--auto-finish", "1") as (base_url, _):
            deliveries = run_every_template(base_url)
            printed = lines_until(receiver.stdout, lambda lines: {json.loads(x)["kind"] for x in lines} >= KINDS)
    finally:
        receiver.terminate()
        receiver.wait(20)
    assert {d["kind"] for d in deliveries} == KINDS
    assert {(d["status"], d["attempts"]) for d in deliveries} == {("delivered", 1)}  # none refused or retried
    assert {d["url"] for d in deliveries} == {target.format(kind=kind) for kind in KINDS}
    assert {json.loads(line)["kind"] for line in printed} == KINDS  # each kind at its own path: classified
    assert len(webhooks.SQLiteEventStore(db).events()) == len(
        {webhooks.event_key(str(d["kind"]), d["payload"]) for d in deliveries}
    )
    assert webhooks.SQLiteEventStore(db).dead_letters() == []


def sink_with_refusals(sink: WebhookSink, refused: str) -> Starlette:
    """The sink, except that `refused` webhooks are answered 404."""

    async def receive(request: Request) -> JSONResponse:
        if request.path_params["kind"] == refused:
            return JSONResponse({"error": "no such route"}, status_code=404)
        return await sink.receive(request)

    return Starlette(routes=[Route("/{kind}", receive, methods=["POST"])])


def test_forward_to_sends_every_webhook_to_the_app_and_logs_each_delivery_and_request() -> None:
    sink = WebhookSink()
    with serve(sink_with_refusals(sink, "chatbot_session_ended")) as served:
        app_url = f"{served}/{{kind}}"
        with mock_process("--forward-to", app_url) as (base_url, mock):
            deliveries = run_every_template(base_url)
            httpx.post(f"{base_url}/_mock/clock", json={"advance": "soon"})
            mock.terminate()
            _, log = mock.communicate(timeout=20)
    delivered = [d for d in deliveries if d["kind"] != "chatbot_session_ended"]
    assert {d["status"] for d in delivered} == {"delivered"}
    assert sorted(kind for kind, _ in sink.received) == sorted(str(d["kind"]) for d in delivered)
    for d in delivered:
        assert f"webhook {d['kind']} -> {app_url.format(kind=d['kind'])} 200 (attempt 1/5)" in log
    assert f"webhook chatbot_session_ended -> {app_url.format(kind='chatbot_session_ended')} 404 (attempt 1/5)" in log
    assert "POST /service/cloud/workflow/createinstance 200" in log
    assert "POST /_mock/clock 400" in log and "body.advance: " in log  # a refusal names its first field


def test_quiet_turns_the_request_log_off_but_not_the_delivery_log() -> None:
    sink = WebhookSink()
    with serve(sink.app()) as served:
        app_url = f"{served}/{{kind}}"
        with mock_process("--forward-to", app_url, "--quiet") as (base_url, mock):
            run_every_template(base_url)
            mock.terminate()
            _, log = mock.communicate(timeout=20)
    assert "webhook call_completed -> " in log
    assert "/service/cloud/workflow/createinstance" not in log


def test_trigger_sends_one_webhook_of_each_kind_and_prints_the_answer() -> None:
    sink = WebhookSink()
    with serve(sink.app()) as served:
        url = f"{served}/{{kind}}"
        for kind in sorted(KINDS):
            result = CliRunner().invoke(main, ["trigger", kind, "--to", url, "--workflow", "wf-1"])
            assert result.exit_code == 0, result.output
            assert "200 OK" in result.output
    assert sorted(kind for kind, _ in sink.received) == sorted(KINDS)
    for kind, payload in sink.received:
        assert list(airudder_spec.webhook_validator(kind).iter_errors(payload)) == []
        assert payload.get("workflow_id", "wf-1") == "wf-1"


def test_trigger_exit_codes() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["trigger", "no_such_kind", "--to", "http://127.0.0.1:9/x"]).exit_code == 2
    assert runner.invoke(main, ["trigger", "call_completed", "--to", "ftp://x"]).exit_code == 2
    with bound_socket("127.0.0.1") as closed:  # bound, not listening: the connection is refused
        refused = runner.invoke(
            main, ["trigger", "call_completed", "--to", f"http://127.0.0.1:{closed.getsockname()[1]}"]
        )
    assert refused.exit_code == 1 and "ConnectError" in refused.output
    sink = WebhookSink()
    with serve(sink_with_refusals(sink, "call_completed")) as served:
        url = f"{served}/{{kind}}"
        answered = runner.invoke(main, ["trigger", "call_completed", "--to", url])
    assert answered.exit_code == 1 and "404" in answered.output


def test_serve_exits_1_when_its_port_is_taken() -> None:
    with bound_socket("127.0.0.1") as taken:
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "airudder_mock", "serve", "--port", port], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1 and "cannot listen" in result.stderr
