"""Clients that nobody here wrote read the spec cleanly: openapi-generator's typescript-fetch and python clients
are generated with no ERROR line, the TypeScript compiles with `tsc --strict`, and each client calls all eight
operations on the mock with no type workaround, sending every body field once, under the spec's own name.

The clients talk to the mock through a small recording proxy on loopback, which keeps each request body exactly
as it arrived (a repeated key, which a JSON parser would silently merge, is caught there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

import airudder_spec

from .conftest import ROOT
from .test_tools import BIN, NODE_BIN, SPEC, free_port, openapi_generator, run, serving, tool

pytestmark = pytest.mark.timeout(900)

HERE = Path(__file__).parent / "other_generators"


class Recorder(ThreadingHTTPServer):
    """Forwards every request to `upstream` and keeps (method, path, raw body) of each."""

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), Forward)
        self.upstream = upstream
        self.seen: list[tuple[str, str, bytes]] = []
        self.seen_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Forward(BaseHTTPRequestHandler):
    server: Recorder

    def forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.seen_lock:
            self.server.seen.append((self.command, self.path.split("?")[0], body))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        answer = httpx.request(self.command, self.server.upstream + self.path, content=body, headers=headers)
        self.send_response(answer.status_code)
        for key in ("Content-Type",):
            if key in answer.headers:
                self.send_header(key, answer.headers[key])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = forward

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    port = free_port()
    mock = [str(BIN / "airudder-mock"), "serve", "--port", str(port), "--speed", "0", "--quiet"]
    with serving(mock, f"http://127.0.0.1:{port}/service/cloud/auth", 0) as _:
        server = Recorder(f"http://127.0.0.1:{port}")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            server.server_close()


def body_keys(raw: bytes) -> list[list[str]]:
    """The keys of every object in a JSON body, in order and with repeats, as sent."""
    found: list[list[str]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found.append([key for key, _ in pairs])
        return dict(pairs)

    json.loads(raw, object_pairs_hook=hook)
    return found


def declared_names() -> set[str]:
    """Every property name the spec's request bodies declare, at any depth."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node = airudder_spec.resolve(node) if "$ref" in node else node
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operation in airudder_spec.operations().values():
        body = operation.definition.get("requestBody")
        if body:
            walk(airudder_spec.resolve(body))
    return names


def check_bodies(seen: list[tuple[str, str, bytes]], since: int) -> set[str]:
    """The paths called since `since`; each JSON body sent every key once, under a name the spec declares
    (`variables` holds the caller's own names)."""
    declared = declared_names()
    paths = set()
    for method, path, raw in seen[since:]:
        if path.startswith("/_mock/"):  # the mock's admin API, which the scripts read node ids from
            continue
        paths.add(f"{method} {path}")
        if not raw:
            continue
        for keys in body_keys(raw):
            assert len(keys) == len(set(keys)), f"{path}: a key sent twice in {raw!r}"
            if not set(keys) <= {"case_id", "amount"}:  # the variables the scripts send
                assert set(keys) <= declared, f"{path}: {sorted(set(keys) - declared)} are not the spec's names"
    return paths


def every_operation_path() -> set[str]:
    return {f"{op.method.upper()} {op.path}" for op in airudder_spec.operations().values()}


def generate(generator: str, into: Path) -> None:
    result = run([openapi_generator(), "generate", "-i", str(SPEC), "-g", generator, "-o", str(into)])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    errors = [line for line in output.splitlines() if "ERROR" in line]
    assert errors == [], errors


def test_typescript_fetch_compiles_strict_and_calls_every_operation(recorder: Recorder, tmp_path: Path) -> None:
    tsc = tool(NODE_BIN / "tsc", "typescript (npm)")
    node = tool(shutil.which("node"), "Node.js")
    generate("typescript-fetch", tmp_path / "client")
    (tmp_path / "calls.ts").write_text((HERE / "calls.ts").read_text())
    # the project's own type definitions (@types/node, for `process`), found from the scratch folder
    config = (HERE / "tsconfig.json").read_text().replace("TYPE_ROOTS", str(ROOT / "node_modules" / "@types"))
    (tmp_path / "tsconfig.json").write_text(config)
    compiled = subprocess.run([tsc, "-p", str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert compiled.returncode == 0, compiled.stdout[-4000:] + compiled.stderr[-2000:]
    since = len(recorder.seen)
    called = subprocess.run(
        [node, str(tmp_path / "out" / "calls.js"), recorder.url],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert called.returncode == 0, called.stdout[-4000:] + called.stderr[-4000:]
    assert json.loads(called.stdout.splitlines()[-1]) == sorted(airudder_spec.operations())
    assert check_bodies(recorder.seen, since) == every_operation_path()


def test_openapi_generator_python_calls_every_operation(recorder: Recorder, tmp_path: Path) -> None:
    generate("python", tmp_path / "client")
    since = len(recorder.seen)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "client")}
    script = str(HERE / "calls.py")
    called = subprocess.run(
        [sys.executable, script, recorder.url], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env
    )
    assert called.returncode == 0, called.stdout[-4000:] + called.stderr[-4000:]
    assert json.loads(called.stdout.splitlines()[-1]) == sorted(airudder_spec.operations())
    assert check_bodies(recorder.seen, since) == every_operation_path()


def test_the_body_check_catches_a_key_sent_twice_or_renamed() -> None:
    """What typescript-fetch did while request schemas allowed any other field: each key twice, once renamed."""
    doubled = b'{"workflowTemplateId": 4, "workflow_template_id": 4, "name": "n"}'
    with pytest.raises(AssertionError, match="not the spec's names"):
        check_bodies([("POST", "/service/cloud/workflow/createinstance", doubled)], 0)
    repeated = b'{"APPKey": "k", "APPSecret": "s", "APPSecret": "s"}'
    with pytest.raises(AssertionError, match="sent twice"):
        check_bodies([("POST", "/service/cloud/auth", repeated)], 0)
    once = b'{"APPKey": "k", "APPSecret": "s"}'
    assert check_bodies([("POST", "/service/cloud/auth", once)], 0) == {"POST /service/cloud/auth"}
