"""`python -m airudder.webhooks` runs the receiver alone and prints each event once."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx

from airudder import webhooks
from airudder.serving import bound_socket
from airudder_contract.webhook_cases import doc_examples

COMMAND = [sys.executable, "-m", "airudder.webhooks"]


def read_line(stream: IO[str] | None, seconds: float = 20) -> Any:
    assert stream is not None
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "the receiver printed nothing"
    return json.loads(stream.readline())


def test_the_standalone_receiver_stores_and_prints_each_event_once(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    earlier = {"call_id": "stored before a crash, not printed yet"}
    webhooks.SQLiteEventStore(db).add("call_completed", webhooks.event_key("call_completed", earlier), earlier)
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    command = [*COMMAND, "--port", str(port), "--db", db, "--secret", "s3cret"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/s3cret/workflow_status_changed"
    payload = doc_examples("workflow_status_changed")[0]
    try:
        assert read_line(server.stdout) == {"kind": "call_completed", "event": earlier}
        deadline = time.monotonic() + 20
        while True:
            try:
                first = httpx.post(url, json=payload)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the receiver did not start"
                time.sleep(0.1)
        again = httpx.post(url, json=payload)
        assert (first.status_code, again.status_code) == (200, 200)
        assert (first.json(), again.json()) == ({}, {})  # a status change is answered `{}`, as the docs ask
        assert read_line(server.stdout) == {"kind": "workflow_status_changed", "event": payload}
    finally:
        server.terminate()
        server.wait(10)
    assert [e.state for e in webhooks.SQLiteEventStore(db).events()] == ["handled", "handled"]


def test_on_start_the_receiver_prints_an_event_a_crash_cut_off_mid_handler(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    store = webhooks.SQLiteEventStore(db)
    cut_off = {"call_id": "taken by a handler, then the process was killed"}
    event_id = store.add("call_completed", webhooks.event_key("call_completed", cut_off), cut_off)
    assert event_id is not None and store.claim(event_id)  # left `handling` for good by the crash
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*COMMAND, "--port", str(port), "--db", db], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert read_line(server.stdout) == {"kind": "call_completed", "event": cut_off}
        deadline = time.monotonic() + 20
        while store.events()[0].state != "handled":  # printed, then marked
            assert time.monotonic() < deadline, store.events()
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(10)
    assert [(e.state, e.attempts) for e in store.events()] == [("handled", 2)]


def test_bad_options_are_usage_errors_not_tracebacks(tmp_path: Path) -> None:
    for options, message in [
        (["--allow", "nonsense"], "Invalid value for '--allow'"),
        (["--db", str(tmp_path / "no" / "such" / "dir.db")], "Invalid value for --db"),
        (["--secret="], "Invalid value for '--secret'"),
        (["--secret-in", "query"], "--secret-in query needs a secret"),
        (["--secret-file", str(tmp_path / "missing")], "Invalid value for '--secret-file'"),
        (["--secret", "a/b"], "must not contain '/'"),
        (["--connection-timeout", "0"], "Invalid value for '--connection-timeout'"),
        (["--max-body", "0"], "Invalid value for '--max-body'"),
        (["worker"], "Missing option '--handlers'"),
        (["worker", "--handlers", "no_such_module_here"], "cannot import 'no_such_module_here'"),
        (["worker", "--handlers", "json:dumps"], "neither a WebhookReceiver nor a mapping"),
        (["worker", "--handlers", "json"], "has 0 WebhookReceivers"),
        (["worker", "--handlers", "airudder.webhooks.__init__:nothing"], "has no attribute 'nothing'"),
        (["--db", "postgresql://nobody@127.0.0.1:1/none"], "cannot use the PostgreSQL database"),
    ]:
        done = subprocess.run([*COMMAND, *options], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, options


def test_the_help_names_both_commands_and_the_exit_codes() -> None:
    done = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "serve" in done.stdout and "worker" in done.stdout
    assert "Exit codes: 2 a bad option" in done.stdout
    for command in ("serve", "worker"):
        done = subprocess.run([*COMMAND, command, "--help"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Exit codes" in done.stdout, command
    assert "--no-handle" in subprocess.run([*COMMAND, "serve", "--help"], capture_output=True, text=True).stdout


def start(options: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """The standalone receiver on a free port, once it answers; its stderr goes to tmp_path/stderr.log."""
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    command = [*COMMAND, "--port", str(port), "--db", str(tmp_path / "h.sqlite3"), *options]
    with (tmp_path / "stderr.log").open("w") as errors:
        server = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env={**os.environ, **(env or {})}
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.1)


def test_the_first_day_loop_one_url_a_secret_in_the_environment_every_event_printed(tmp_path: Path) -> None:
    server, base = start(["--connection-timeout", "1"], tmp_path, env={"AIRUDDER_WEBHOOK_SECRET": "s3cret"})
    unknown = {"task_id": "t-1", "note": "a kind whose payload the docs do not show"}
    status = doc_examples("workflow_status_changed")[0]
    try:
        silent = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=20)
        assert httpx.post(f"{base}/guess", json=unknown).status_code == 403
        assert httpx.post(f"{base}/s3cret", json=unknown).status_code == 200
        assert read_line(server.stdout) == {"kind": "unclassified", "event": unknown}
        assert httpx.post(f"{base}/s3cret", json=status).status_code == 200
        assert read_line(server.stdout) == {"kind": "workflow_status_changed", "event": status}
        assert silent.recv(1) == b""  # closed by the receiver after --connection-timeout
        silent.close()
    finally:
        server.terminate()
        assert server.wait(10) == -signal.SIGTERM  # a clean stop, re-raising the signal as uvicorn does
    log = (tmp_path / "stderr.log").read_text()
    assert f"give AIRudder one URL per webhook kind: {base}/<secret>/{{kind}}" in log
    assert "has no kind" in log and "refused a webhook: 403" in log and "closed the connection" in log
    assert "s3cret" not in log and "t-1" not in log


def test_the_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cret\n")
    secret_file.chmod(0o644)
    server, base = start(["--secret-file", str(secret_file)], tmp_path)
    try:
        assert httpx.post(f"{base}/s3cret", json={"a": 1}).status_code == 200
        assert httpx.post(f"{base}/s3cret%0A", json={"a": 1}).status_code == 403  # the newline is not part of it
    finally:
        server.terminate()
        server.wait(10)
    assert "can be read by other users" in (tmp_path / "stderr.log").read_text()
    both = subprocess.run(
        [*COMMAND, "--secret-file", str(secret_file)],
        env={**os.environ, "AIRUDDER_WEBHOOK_SECRET": "other"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert both.returncode == 2 and "give the secret one way" in both.stderr
    helped = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60)
    assert "AIRUDDER_WEBHOOK_SECRET" in helped.stdout and "visible to every local user" in helped.stdout
