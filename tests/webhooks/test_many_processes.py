"""Two receiver processes and two workers on one real PostgreSQL database, one of each killed with SIGKILL mid-run:
every acknowledged event is stored once and handled, none lost."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from airudder.serving import bound_socket
from tests.webhooks.recording_handlers import RUNS_DB

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "airudder.webhooks"]
EVENTS = 5000
CONCURRENCY = 4  # handler threads of a worker: at most this many events are in its hands when it is killed
# a kind whose answer tells the event id and whether it was a duplicate (a status change is answered `{}`)
LISTED = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}


def free_port() -> int:
    with bound_socket("127.0.0.1") as probe:
        return int(probe.getsockname()[1])


def start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*COMMAND, *arguments], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.post(url, content=b"")
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{url} did not come up"
            time.sleep(0.1)


async def send_twice(urls: list[str], kill_receiver: Any) -> dict[int, list[dict[str, Any]]]:
    """Each event posted to both receivers at once; a post that finds no answer goes to the other receiver
    (a load balancer's retry), as AIRudder's retry would. Returns each event's 2xx answers."""
    answers: dict[int, list[dict[str, Any]]] = {n: [] for n in range(EVENTS)}
    gate = asyncio.Semaphore(32)
    done = [0]

    async def post(http: httpx.AsyncClient, n: int, first: int) -> None:
        body = {**LISTED, "workflow_id": f"w{n}"}
        for attempt in range(20):
            url = urls[(first + attempt) % 2]
            try:
                async with gate:
                    answer = await http.post(f"{url}/workflow_list_completed", json=body)
            except httpx.TransportError:
                continue
            if answer.status_code == 200:
                answers[n].append(answer.json()["data"])
                break
            assert answer.status_code >= 500, answer.text  # never a refusal of a valid event
        done[0] += 1
        if done[0] == EVENTS // 2:  # a quarter of the way through the 10,000 posts
            kill_receiver()

    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as http:
        order = [(n, side) for n in range(EVENTS) for side in (0, 1)]
        random.Random(14).shuffle(order)
        await asyncio.gather(*(post(http, n, side) for n, side in order))
    return answers


def test_two_receivers_and_two_workers_killed_mid_run_lose_no_event_and_handle_each_once(
    postgres_url: str,
) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE handler_runs (workflow_id text NOT NULL, pid integer NOT NULL)")
    env = {**os.environ, RUNS_DB: postgres_url, "AIRUDDER_WEBHOOKS_DB": postgres_url}
    ports = [free_port(), free_port()]
    serve = ["serve", "--no-handle", "--secret", "s3cret"]
    receivers = [start([*serve, "--port", str(port)], env) for port in ports]
    work = ["worker", "--handlers", "tests.webhooks.recording_handlers"]
    work += ["--concurrency", str(CONCURRENCY), "--reclaim-after", "3", "--poll", "0.05"]
    workers = [start(work, env) for _ in range(2)]
    processes = receivers + workers
    try:
        urls = [f"http://127.0.0.1:{port}/s3cret" for port in ports]
        for url in urls:
            wait_until_up(url)

        def kill_one_of_each() -> None:
            receivers[1].send_signal(signal.SIGKILL)
            workers[1].send_signal(signal.SIGKILL)

        answers = asyncio.run(send_twice(urls, kill_one_of_each))
        assert receivers[1].wait(10) == -signal.SIGKILL and workers[1].wait(10) == -signal.SIGKILL
        assert receivers[0].poll() is None and workers[0].poll() is None

        with psycopg.connect(postgres_url, autocommit=True) as conn:
            deadline = time.monotonic() + 90
            while True:
                (waiting,) = conn.execute(  # type: ignore[misc]
                    "SELECT count(*) FROM airudder_webhooks.events WHERE state <> 'handled'"
                ).fetchone()
                if waiting == 0:
                    break
                assert time.monotonic() < deadline, f"{waiting} events not handled"
                time.sleep(0.2)
            stored = conn.execute("SELECT id, payload->>'workflow_id', attempts FROM airudder_webhooks.events")
            stored_rows = stored.fetchall()
            runs = conn.execute("SELECT workflow_id, pid FROM handler_runs").fetchall()
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(20)

    # every event was acknowledged, exactly one acknowledgement of each kept it (the others: duplicates)
    assert all(answers[n] for n in range(EVENTS)), [n for n in range(EVENTS) if not answers[n]][:10]
    kept = {n: [a["event_id"] for a in answers[n] if not a["duplicate"]] for n in range(EVENTS)}
    assert all(len(ids) <= 1 for ids in kept.values())
    # stored once each, and every id acknowledged as kept is one of them
    assert sorted(row[1] for row in stored_rows) == sorted(f"w{n}" for n in range(EVENTS))
    assert {i for ids in kept.values() for i in ids} <= {row[0] for row in stored_rows}
    # handled: every event's handler ran; a second run only for an event the killed worker had in hand
    counts = Counter(workflow_id for workflow_id, _ in runs)
    assert set(counts) == {f"w{n}" for n in range(EVENTS)}
    killed = workers[1].pid
    again = [w for w, c in counts.items() if c > 1]
    assert all(c == 2 for c in counts.values() if c > 1), counts.most_common(3)
    assert len(again) <= CONCURRENCY, again
    assert all((w, killed) in {(r[0], r[1]) for r in runs} for w in again)
    # both workers took events: the work was shared, and the survivor took over the killed one's
    assert {pid for _, pid in runs} == {workers[0].pid, killed}
