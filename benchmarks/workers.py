"""workers: handled events per second of 1, 2 and 4 worker processes (`python -m airudder.webhooks worker`, 4
handlers at once each) sharing one PostgreSQL store, with handlers taking 0, 5 and 50 ms. The workers are started
and seen beating first; then EVENTS events are stored at once and the time until every one is handled is taken.
The server runs with fsync off: this measures taking and finishing events, not the disk. No target: the figures
say how handling scales with workers on this machine.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import uuid
from collections.abc import Callable

from support.postgres_cluster import throwaway_cluster

from .report import Row
from .servers import ROOT, process

EVENTS, WORKERS, DELAYS_MS = 400, (1, 2, 4), (0, 5, 50)


def handled_per_second(url: str, workers: int, delay_ms: int) -> float:
    from airudder import webhooks
    from airudder_contract.webhook_cases import doc_examples

    status = doc_examples("workflow_status_changed")[0]
    schema = f"w_{uuid.uuid4().hex[:8]}"
    store = webhooks.PostgresEventStore(url, schema=schema)
    command = [sys.executable, "-m", "airudder.webhooks", "worker", "--db", url, "--schema", schema]
    command += ["--handlers", "benchmarks.handlers", "--concurrency", "4", "--poll", "0.05"]
    env = {**os.environ, "BENCH_HANDLER_MS": str(delay_ms)}
    try:
        with contextlib.ExitStack() as stack:
            for _ in range(workers):
                stack.enter_context(process(command, cwd=ROOT, env=env))
            wait_for(lambda: len(store.stats().workers) >= workers, 120)
            futures = [
                store.submit("workflow_status_changed", f"bench:{n}", {**status, "workflow_id": f"w{n}"})
                for n in range(EVENTS)
            ]
            started = time.perf_counter()
            for future in futures:
                future.result(60)
            wait_for(lambda: store.stats().backlog["pending"] + store.stats().backlog["handling"] == 0, 600)
            seconds = time.perf_counter() - started
            if store.stats().backlog["handled"] != EVENTS:
                raise RuntimeError(f"not every event was handled: {store.stats().backlog}")
            return EVENTS / seconds
    finally:
        store.close()


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not get there in time")
        time.sleep(0.05)


def run() -> list[Row]:
    rows = []
    with throwaway_cluster() as cluster:
        url = cluster.create_database("workers")
        for delay in DELAYS_MS:
            rates = {n: handled_per_second(url, n, delay) for n in WORKERS}
            for n in WORKERS:
                rows.append(
                    Row(
                        f"worker processes: {n}, handlers of {delay} ms",
                        f"{rates[n]:,.0f} events/s",
                        f"{rates[1]:,.0f} events/s (1 worker)",
                        rates[n] / rates[1],
                        "-",
                        True,
                    )
                )
    return rows
