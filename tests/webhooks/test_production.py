"""The production guide's set-up, run for real on loopback: Debian's nginx with the guide's configuration (as written,
only its ports, certificate and log paths swapped for this test's), 2 receivers with spools, 2 workers and
PostgreSQL. Under steady traffic the database is stopped for OUTAGE seconds, a receiver is killed with SIGKILL in
the middle of it and started again; every acknowledged event must end stored once and handled once.

The issue's figure is a 2-minute outage; CI runs a shorter one to stay bounded. Set AIRUDDER_OUTAGE_SECONDS=120
to run the issue's.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from airudder.serving import bound_socket
from support.postgres_cluster import Cluster, Unavailable, throwaway_cluster
from tests.waiting import wait_listening
from tests.webhooks.conftest import postgres_required
from tests.webhooks.recording_handlers import RUNS_DB
from tests.webhooks.test_metrics import promtool_check

OPENSSL = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "webhooks-production.md"
COMMAND = [sys.executable, "-m", "airudder.webhooks"]
OUTAGE = float(os.environ.get("AIRUDDER_OUTAGE_SECONDS", "20"))
SECRET = "s3cret-Path-Token"
LISTED = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}
pytestmark = pytest.mark.timeout(600 + 3 * OUTAGE)


def free_port() -> int:
    with bound_socket("127.0.0.1") as probe:
        return int(probe.getsockname()[1])


def guide_nginx_config() -> str:
    [config] = re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(), re.S)
    return str(config)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    try:
        with throwaway_cluster() as made:
            yield made
    except Unavailable as exc:
        pytest.fail(str(exc)) if postgres_required() else pytest.skip(str(exc))


class Nginx:
    """Debian's nginx running the guide's configuration on loopback, TLS with a certificate made here."""

    def __init__(self, folder: Path, receivers: list[int]) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        assert Path(nginx).exists(), "nginx is missing: apt-get install nginx"
        self.folder, self.port = folder, free_port()
        key, cert = folder / "hooks.key", folder / "hooks.crt"
        subprocess.run(
            [*OPENSSL, "-subj", "/CN=hooks.example.com", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        config = guide_nginx_config()
        for was, now in (
            ("listen 443 ssl;", f"listen 127.0.0.1:{self.port} ssl;"),
            ("127.0.0.1:8081", f"127.0.0.1:{receivers[0]}"),
            ("127.0.0.1:8082", f"127.0.0.1:{receivers[1]}"),
            ("/run/airudder-nginx.pid", str(folder / "nginx.pid")),
            ("/var/log/nginx/", f"{folder}/"),
            ("/etc/ssl/airudder/", f"{folder}/"),
        ):
            assert was in config, f"the guide's nginx configuration no longer has {was!r}"
            config = config.replace(was, now)
        (folder / "nginx.conf").write_text(config)
        check = subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")], capture_output=True)
        assert check.returncode == 0, check.stderr.decode()
        self.process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_listening(self.port, self.process)
        self.url = f"https://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def start_receiver(port: int, spool: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [*COMMAND, "serve", "--no-handle", "--port", str(port), "--spool", str(spool), "--log-format", "json"]
    with (spool.parent / "receiver.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    wait_listening(port, process)
    return process


class Traffic:
    """AIRudder's side: one new event every `every` seconds through nginx, each sent until it gets a 2xx (a
    retry a short while after a failure, as AIRudder retries, bounded)."""

    def __init__(self, url: str, every: float = 0.02) -> None:
        self.url, self.every = url, every
        self.acknowledged: dict[str, int] = {}
        self.failures: Counter[int] = Counter()
        self.running = threading.Event()
        self.running.set()

    async def send(self, http: httpx.AsyncClient, n: int) -> None:
        body = {**LISTED, "workflow_id": f"w{n}"}
        for _ in range(200):  # bounded: 200 tries 0.5 s apart
            try:
                answer = await http.post(f"{self.url}/{SECRET}/workflow_list_completed", json=body)
            except httpx.TransportError:
                self.failures[0] += 1
            else:
                if answer.status_code == 200:
                    self.acknowledged[f"w{n}"] = self.acknowledged.get(f"w{n}", 0) + 1
                    return
                assert answer.status_code >= 500, answer.text  # never a refusal of a valid event
                self.failures[answer.status_code] += 1
            await asyncio.sleep(0.5)  # AIRudder's retry interval, shortened: a pause between tries, not a wait
        raise AssertionError(f"w{n} was never acknowledged")

    async def run(self) -> int:
        async with httpx.AsyncClient(verify=False, timeout=30, limits=httpx.Limits(max_connections=32)) as http:
            tasks, n = [], 0
            while self.running.is_set():
                tasks.append(asyncio.create_task(self.send(http, n)))
                n += 1
                await asyncio.sleep(self.every)  # the steady rate of new events
            await asyncio.gather(*tasks)
            return n


def scrape(url: str) -> str:
    answer = httpx.get(f"{url}/metrics", verify=False, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.text


def gauge(text: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    assert match, f"{name} not in the exposition"
    return float(match.group(1))


def test_nginx_two_receivers_two_workers_lose_nothing_through_a_database_outage_and_a_kill_9(
    cluster: Cluster, tmp_path: Path
) -> None:
    import psycopg

    url = cluster.url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE handler_runs (workflow_id text NOT NULL, pid integer NOT NULL)")
    env = {**os.environ, RUNS_DB: url, "AIRUDDER_WEBHOOKS_DB": url, "AIRUDDER_WEBHOOK_SECRET": SECRET}
    ports = [free_port(), free_port()]
    spools = [tmp_path / f"r{i}" / "spool.sqlite3" for i in range(2)]
    for spool in spools:
        spool.parent.mkdir()
    receivers = [start_receiver(port, spool, env) for port, spool in zip(ports, spools, strict=True)]
    metric_ports = [free_port(), free_port()]
    work = [*COMMAND, "worker", "--handlers", "tests.webhooks.recording_handlers", "--poll", "0.05"]
    work += ["--retry-after", "1", "--max-retry-delay", "2", "--heartbeat", "1"]
    workers = []
    for n, port in enumerate(metric_ports):
        with (tmp_path / f"worker{n}.log").open("ab") as log:
            command = [*work, "--metrics-port", str(port)]
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log))
    nginx = Nginx(tmp_path, ports)
    try:
        for port, worker in zip(metric_ports, workers, strict=True):
            wait_listening(port, worker)
        deadline = time.monotonic() + 60
        while httpx.get(f"{nginx.url}/readyz", verify=False).status_code != 200:
            assert time.monotonic() < deadline, "the receivers did not become ready"
            time.sleep(0.1)
        traffic = Traffic(nginx.url)
        during: dict[str, str] = {}

        def outage() -> None:
            try:
                while len(traffic.acknowledged) < 100:  # steady traffic first
                    time.sleep(0.05)
                during["before"] = scrape(nginx.url)
                during["worker"] = httpx.get(f"http://127.0.0.1:{metric_ports[0]}/metrics").text
                cluster.stop()
                time.sleep(OUTAGE / 2)  # the outage's length is the test's parameter
                receivers[1].send_signal(signal.SIGKILL)  # mid-outage, its spool holding acknowledged events
                receivers[1].wait(30)
                receivers[1] = start_receiver(ports[1], spools[1], env)  # the same spool: drained when it can
                time.sleep(OUTAGE / 2)
                during["outage"] = scrape(nginx.url)
                cluster.start()
                back, deadline = len(traffic.acknowledged), time.monotonic() + 120
                while len(traffic.acknowledged) < back + 100:  # steady traffic after, too
                    assert time.monotonic() < deadline, "no traffic acknowledged after the outage"
                    time.sleep(0.05)
            finally:
                traffic.running.clear()

        thread = threading.Thread(target=outage)
        thread.start()
        sent = asyncio.run(traffic.run())
        thread.join(60)
        for port in ports:  # each spool drained
            deadline = time.monotonic() + 180
            while httpx.get(f"http://127.0.0.1:{port}/readyz").json()["data"]["spool"]["spool_events"] != 0:
                assert time.monotonic() < deadline, f"the spool of the receiver on {port} was not drained"
                time.sleep(0.2)

        with psycopg.connect(url, autocommit=True) as conn:
            deadline = time.monotonic() + 240  # a worker's pool reconnects with backoff after a long outage
            while True:
                (waiting,) = conn.execute(  # type: ignore[misc]
                    "SELECT count(*) FROM airudder_webhooks.events WHERE state <> 'handled'"
                ).fetchone()
                (kept,) = conn.execute("SELECT count(*) FROM airudder_webhooks.events").fetchone()  # type: ignore[misc]
                if waiting == 0 and kept >= len(traffic.acknowledged):
                    break
                assert time.monotonic() < deadline, f"{waiting} events not handled, {kept} kept"
                time.sleep(0.2)
            stored = [r[0] for r in conn.execute("SELECT payload->>'workflow_id' FROM airudder_webhooks.events")]
            runs = [r[0] for r in conn.execute("SELECT workflow_id FROM handler_runs")]
        after = scrape(nginx.url)
        access_log = (tmp_path / "airudder-access.log").read_text()
    finally:
        nginx.stop()
        for process in [*receivers, *workers]:
            if process.poll() is None:
                process.terminate()
        for process in [*receivers, *workers]:
            process.wait(30)

    assert sent == len(traffic.acknowledged)  # every event sent was acknowledged in the end
    assert Counter(stored) == Counter(dict.fromkeys(traffic.acknowledged, 1))  # stored once each
    assert Counter(runs) == Counter(dict.fromkeys(traffic.acknowledged, 1))  # handled once each
    assert gauge(during["outage"], "airudder_webhooks_spool_events") > 0  # the outage was met by the spool
    assert gauge(after, "airudder_webhooks_spool_events") == 0
    assert SECRET not in access_log and "/<secret>/workflow_list_completed" in access_log
    promtool_check(during["before"])
    promtool_check(during["worker"])
