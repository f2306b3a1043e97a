"""delivery: the mock's webhook delivery over one workflow of 10,000 contacts run to its end ({kind} routing,
concurrent sending and the delivery log in): the run's time, and the delivery rate against a plain sender posting
the same bodies to the same bare endpoint (another process) with 8 threads, one keep-alive client each (>= 0.9x).
"""

from __future__ import annotations

import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from .report import Row
from .servers import server

CONTACTS = 10_000
SENDER_THREADS = 8


def plain_sender(url: str, bodies: list[tuple[str, bytes]]) -> float:
    """Seconds for 8 threads, one keep-alive client each, to POST `bodies` (kind, body) to `url`."""
    headers = {"User-Agent": "Airudder", "Content-Type": "application/json"}

    def post_share(share: list[tuple[str, bytes]]) -> None:
        with httpx.Client(headers=headers) as client:
            for kind, body in share:
                client.post(url.replace("{kind}", kind), content=body).raise_for_status()

    shares = [bodies[i::SENDER_THREADS] for i in range(SENDER_THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(SENDER_THREADS) as pool:
        list(pool.map(post_share, shares))
    return time.perf_counter() - started


def mock_run(url: str, contacts: int = CONTACTS) -> tuple[float, float, list[tuple[str, bytes]]]:
    """One workflow of `contacts` contacts run to its end on an in-memory mock (time stopped, then moved past the
    end at once), every webhook to `url`: (the run's seconds, the seconds spent delivering, the bodies)."""
    from airudder.console import BufferedHandler
    from airudder_mock import MockConfig, MockServer

    config = MockConfig(contacts_per_workflow=contacts, webhook_urls={"*": url})
    mock = MockServer(config)
    log = logging.getLogger("airudder_mock")  # the delivery log in, through the console's own writer, to a sink
    sink = open(os.devnull, "w")  # noqa: SIM115  (closed below)
    console = BufferedHandler(sink)
    log.addHandler(console)
    log.setLevel(logging.INFO)
    delivering = 0.0
    send_all = mock.deliveries.send_all

    def timed(due: Any) -> None:
        nonlocal delivering
        started = time.perf_counter()
        send_all(due)
        delivering += time.perf_counter() - started

    mock.deliveries.send_all = timed  # type: ignore[method-assign]
    try:
        template = mock.repo.templates()[0]  # one call node: dialer, call and list webhooks per contact
        now = mock.clock.now()
        body = {"workflow_template_id": template.id, "name": "bench", "end_time": "2099-01-01T00:00:00Z"}
        started = time.perf_counter()
        workflow_id = mock.simulation.create_workflow(body, template, now + 30 * 86_400, now)
        mock.clock.advance(10 * 86_400)
        mock.pump()
        seconds = time.perf_counter() - started
        deliveries = mock.deliveries.log()
        workflow = mock.repo.workflow(workflow_id)
        if {d.status for d in deliveries} != {"delivered"} or workflow is None or workflow.status != "finished":
            raise RuntimeError("the bench workflow did not run to its end with every webhook delivered")
        bodies = [(d.kind, json.dumps(d.payload).encode()) for d in deliveries]
    finally:
        console.flush()
        log.handlers.clear()
        sink.close()
        mock.close()
    return seconds, delivering, bodies


def run() -> list[Row]:
    with server("bare") as base:
        url = base + "/hooks/{kind}"
        run_seconds, delivering, bodies = mock_run(url)
        plain = plain_sender(url, bodies)
    count = len(bodies)
    ours_rate, plain_rate = count / delivering, count / plain
    ratio = ours_rate / plain_rate
    return [
        Row(
            f"mock webhook delivery, {CONTACTS:,} contacts ({count:,} webhooks)",
            f"{ours_rate:,.0f} webhooks/s (run {run_seconds:.1f} s)",
            f"{plain_rate:,.0f} webhooks/s (8 threads)",
            ratio,
            ">= 0.9x",
            ratio >= 0.9,
        )
    ]
