"""client: a resource method (`client.waba.task_details(...)`, the typed data returned) against raw httpx +
json() on the same fixed server, sync and async, and sync with per-call options (timeout, extra_headers) (target
<= 1.10x time each).

Many short rounds in turns, the round of median ratio taken: the loopback timings of a shared machine vary by
more than the overhead measured, and a pair of rounds run back to back sees the same machine.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from .report import Row
from .servers import RAW_HEADERS, WABA, WABA_QUERY, server
from .timing import in_turns, median_round

CALLS, ROUNDS = 300, 31
TRACE = {"X-Request-Id": "bench"}
WORKFLOW_ID, TASK_ID = WABA_QUERY["workflow_id"], WABA_QUERY["task_id"]


def run() -> list[Row]:
    import airudder

    rows = []
    with server("fixed") as url:
        raw = httpx.Client(base_url=url, headers=RAW_HEADERS)
        ours = airudder.Client(app_key="k", app_secret="s", base_url=url)

        def raw_calls() -> None:
            for _ in range(CALLS):
                raw.get(WABA, params=WABA_QUERY).json()

        def our_calls() -> None:
            for _ in range(CALLS):
                ours.waba.task_details(workflow_id=WORKFLOW_ID, task_id=TASK_ID)

        def calls_with_options() -> None:  # per-call options travel in a context variable (airudder._call_options)
            for _ in range(CALLS):
                ours.waba.task_details(workflow_id=WORKFLOW_ID, task_id=TASK_ID, timeout=30, extra_headers=TRACE)

        our_calls()  # warm up: token, connections
        raw_calls()
        measured, baseline = median_round(*in_turns(ROUNDS, our_calls, raw_calls))
        rows.append(row_time("resource call, sync", measured / CALLS, baseline / CALLS))
        measured, baseline = median_round(*in_turns(ROUNDS, calls_with_options, raw_calls))
        rows.append(row_time("resource call with per-call options, sync", measured / CALLS, baseline / CALLS))
        measured, baseline = asyncio.run(async_rounds(url))
        rows.append(row_time("resource call, async", measured / CALLS, baseline / CALLS))
    return rows


async def async_rounds(url: str) -> tuple[float, float]:
    import airudder

    async with httpx.AsyncClient(base_url=url, headers=RAW_HEADERS) as raw:
        ours = airudder.AsyncClient(app_key="k", app_secret="s", base_url=url)

        async def calls(kind: str) -> float:
            started = time.perf_counter()
            for _ in range(CALLS):
                if kind == "raw":
                    (await raw.get(WABA, params=WABA_QUERY)).json()
                else:
                    await ours.waba.task_details(workflow_id=WORKFLOW_ID, task_id=TASK_ID)
            return time.perf_counter() - started

        timings: dict[str, list[float]] = {"raw": [], "ours": []}
        for _ in range(ROUNDS + 1):  # in turns; the first round warms both up and is dropped
            for kind in ("raw", "ours"):
                timings[kind].append(await calls(kind))
        await ours.aclose()
        return median_round(timings["ours"][1:], timings["raw"][1:])


def row_time(measure: str, ours: float, baseline: float) -> Row:
    ratio = ours / baseline
    raw = f"{baseline * 1e6:.0f} µs/call (raw httpx)"
    return Row(measure, f"{ours * 1e6:.0f} µs/call", raw, ratio, "<= 1.10x", ratio <= 1.1)
