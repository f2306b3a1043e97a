"""mock: the list operation's requests/s on our mock against Prism (@stoplight/prism-cli, from package.json) on the
same spec, loaded by wrk from another process (>= 2x); both hold the 2 workflow tasks of the spec's example."""

from __future__ import annotations

import subprocess
import sys

import httpx

from .report import Row
from .servers import LIST, ROOT, free_port, need_wrk, process, requests_per_second, wait_until_up

QUERY = "?page=1&size=20"


def wrk(url: str, token: str, seconds: int = 8) -> float:
    need_wrk("mock")
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", f"Authorization: Token {token}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return requests_per_second(out, socket_errors=True)


def run() -> list[Row]:
    prism = ROOT / "node_modules" / ".bin" / "prism"  # by scripts/setup-env
    ours_port, prism_port = free_port(), free_port()
    with (
        process([sys.executable, "-m", "airudder_mock", "serve", "--port", str(ours_port), "--speed", "0"]),
        process([str(prism), "mock", "-h", "127.0.0.1", "-p", str(prism_port), str(ROOT / "spec" / "openapi.yaml")]),
    ):
        ours = f"http://127.0.0.1:{ours_port}"
        wait_until_up(ours + "/_mock/clock")
        wait_until_up(f"http://127.0.0.1:{prism_port}{LIST}", headers={"Authorization": "Token x"})
        credentials = {"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"}
        token = httpx.post(ours + "/service/cloud/auth", json=credentials).json()["data"]["token"]
        for n in range(2):  # as many tasks as the example Prism answers with
            body = {"workflow_template_id": 1, "name": f"bench-{n}", "end_time": "2099-01-01T00:00:00Z"}
            httpx.post(
                ours + "/service/cloud/workflow/createinstance", json=body, headers={"Authorization": f"Token {token}"}
            ).raise_for_status()
        wrk(ours + LIST + QUERY, token, 2)  # warm up both
        wrk(f"http://127.0.0.1:{prism_port}{LIST}{QUERY}", "x", 2)
        ours_rps = wrk(ours + LIST + QUERY, token)
        prism_rps = wrk(f"http://127.0.0.1:{prism_port}{LIST}{QUERY}", "x")
    ratio = ours_rps / prism_rps
    return [
        Row(
            "mock list operation (2 tasks)",
            f"{ours_rps:,.0f} req/s",
            f"{prism_rps:,.0f} req/s (Prism)",
            ratio,
            ">= 2x",
            ratio >= 2,
        )
    ]
