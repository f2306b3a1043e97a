"""pager: `client.workflows.list()` (a typed SyncPage) over 100k items against a hand-written page loop on the same
client (throughput >= 0.95x), and its peak RSS growth (< 20 MB), each walk in a fresh process.

Each round runs the page loop, then the pager; the round of median ratio is reported, as for the client.

    python -m benchmarks.pager pager|loop URL      # one walk: prints seconds, items and RSS growth as JSON
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

from .report import Row
from .servers import ITEMS, ROOT, server
from .timing import median_round

ROUNDS = 5


def walk(mode: str, url: str) -> None:
    """Run in a fresh process: walk the 100k items one way, print seconds and RSS growth."""
    import airudder
    from airudder_api.api.workflows import list_workflow_tasks

    client = airudder.Client(app_key="k", app_secret="s", base_url=url)
    list_workflow_tasks.sync(client=client, page=1, size=1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, count = time.perf_counter(), 0
    if mode == "pager":
        for _ in client.workflows.list():  # SyncPage[WorkflowTask]
            count += 1
    else:
        page = 1
        while True:
            answer = list_workflow_tasks.sync(client=client, page=page, size=200)
            assert answer is not None and not isinstance(answer, dict)
            items = answer.data.lists  # type: ignore[union-attr]
            for _ in items:  # consume each item, as the pager's caller does
                count += 1
            if len(items) < 200:
                break
            page += 1
    seconds = time.perf_counter() - started
    growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"seconds": seconds, "items": count, "rss_growth_mb": growth_kb / 1024}))


def run() -> list[Row]:
    runs: dict[str, list[dict[str, float]]] = {"pager": [], "loop": []}
    with server("fixed") as url:
        for _ in range(ROUNDS):
            for mode in ("loop", "pager"):
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.pager", mode, url],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                )
                runs[mode].append(json.loads(out.stdout))
    assert all(r["items"] == ITEMS for rs in runs.values() for r in rs), runs
    pager, loop = median_round([r["seconds"] for r in runs["pager"]], [r["seconds"] for r in runs["loop"]])
    growth = max(r["rss_growth_mb"] for r in runs["pager"])
    return [
        Row(
            "typed page iteration, 100k items",
            f"{ITEMS / pager:,.0f} items/s",
            f"{ITEMS / loop:,.0f} items/s (page loop)",
            loop / pager,
            ">= 0.95x",
            loop / pager >= 0.95,
        ),
        Row("typed page iteration, peak RSS growth", f"{growth:.1f} MB", "-", growth, "< 20 MB", growth < 20),
    ]


if __name__ == "__main__":
    walk(sys.argv[1], sys.argv[2])
