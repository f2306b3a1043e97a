"""proxy: what learning from live traffic costs (#23).

- The validating proxy's latency per call, validation and recording on: one connection (wrk -c1) on the mock's
  list operation through `airudder-mock proxy --record --report` against the same mock called directly
  (<= 1.3x time per call), the mock answering after 20 ms as AIRudder, across the internet, does at best; and,
  for the proxy's own cost, against the bare local mock (no target: a Python hop costs what the mock does).
- The webhook receiver's ingest with drift reporting on (`serve --no-handle --drift-report DIR`) against the same
  receiver without it, 32 concurrent senders (>= 0.95x events/s).

Each pair runs in turns, round by round, and the round of median ratio is taken (see `timing`).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from .ingest import post_script, wrk_post
from .report import Row
from .servers import LIST, ROOT, free_port, need_wrk, process, requests_per_second, wait_until_up
from .timing import median_round

ROUNDS, SECONDS = 5, 4
UPSTREAM_MS = 20
"""A stand-in for AIRudder's own time to answer, network included (it is across the internet from any team)."""
QUERY = "?page=1&size=20"


def per_call(url: str, token: str, seconds: int = SECONDS) -> float:
    """Seconds per call on one keep-alive connection."""
    need_wrk("proxy")
    command = ["wrk", "-t1", "-c1", f"-d{seconds}s", "-H", f"Authorization: Token {token}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return 1 / requests_per_second(out)


def latency(upstream_ms: int) -> Row:
    """Per call through the proxy vs direct, the mock's list operation answering after `upstream_ms` (the
    mock's `latency_ms` fault: AIRudder is across the internet, tens of milliseconds away; 0: the bare mock)."""
    mock_port, proxy_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        mock = f"http://127.0.0.1:{mock_port}"
        mock_command = [sys.executable, "-m", "airudder_mock", "serve", "--port", str(mock_port), "--speed", "0"]
        if upstream_ms:
            mock_command += ["--fault", f"list_workflow_tasks:latency_ms={upstream_ms}"]
        stack.enter_context(process([*mock_command, "--quiet"]))
        wait_until_up(mock + "/_mock/clock")
        proxy_command = [sys.executable, "-m", "airudder_mock", "proxy", "--upstream", mock, "--port", str(proxy_port)]
        proxy_command += [
            "--report",
            str(Path(folder) / "report"),
            "--record",
            str(Path(folder) / "cassettes"),
            "--quiet",
        ]
        stack.enter_context(process(proxy_command, cwd=ROOT))
        proxy = f"http://127.0.0.1:{proxy_port}"
        wait_until_up(proxy + "/service/cloud/auth", method="POST", json={})
        credentials = {"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"}
        token = httpx.post(mock + "/service/cloud/auth", json=credentials).json()["data"]["token"]
        for n in range(2):
            body = {"workflow_template_id": 1, "name": f"bench-{n}", "end_time": "2099-01-01T00:00:00Z"}
            headers = {"Authorization": f"Token {token}"}
            httpx.post(mock + "/service/cloud/workflow/createinstance", json=body, headers=headers).raise_for_status()
        direct_url, proxied_url = mock + LIST + QUERY, proxy + LIST + QUERY
        per_call(direct_url, token, 2)  # warm up both
        per_call(proxied_url, token, 2)
        timings: dict[str, list[float]] = {"direct": [], "proxied": []}
        for _ in range(ROUNDS):
            timings["direct"].append(per_call(direct_url, token))
            timings["proxied"].append(per_call(proxied_url, token))
    proxied, direct = median_round(timings["proxied"], timings["direct"])
    upstream = f"an upstream answering in {upstream_ms} ms" if upstream_ms else "the bare local mock"
    return Row(
        f"proxy: time per call, validating and recording, 1 connection, {upstream}",
        f"{proxied * 1000:.2f} ms",
        f"{direct * 1000:.2f} ms (called directly)",
        proxied / direct,
        "<= 1.3x" if upstream_ms else "- (the proxy's own cost)",
        proxied <= direct * 1.3 or not upstream_ms,
    )


def ingest_with_drift() -> Row:
    command = [sys.executable, "-m", "airudder.webhooks", "serve", "--no-handle"]
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        script = post_script(Path(folder))
        urls = {}
        for name, extra in (("off", []), ("on", ["--drift-report", str(Path(folder) / "drift")])):
            port = free_port()
            db = str(Path(folder) / f"{name}.sqlite3")
            stack.enter_context(process([*command, "--db", db, "--port", str(port), *extra], cwd=ROOT))
            urls[name] = f"http://127.0.0.1:{port}/workflow_status_changed"
            wait_until_up(urls[name], method="POST", content=b"{}")
        for url in urls.values():
            wrk_post([url], script, 2)  # warm up
        timings: dict[str, list[float]] = {"off": [], "on": []}
        for _ in range(ROUNDS):
            for name, url in urls.items():
                timings[name].append(1 / wrk_post([url], script, SECONDS))  # seconds per event
    on, off = (1 / t for t in median_round(timings["on"], timings["off"]))
    return Row(
        "ingest with webhook drift reporting on (SQLite, 1 process)",
        f"{on:,.0f} events/s",
        f"{off:,.0f} events/s (drift off)",
        on / off,
        ">= 0.95x",
        on >= off * 0.95,
    )


def run() -> list[Row]:
    return [latency(UPSTREAM_MS), latency(0), ingest_with_drift()]
