"""scale: one workflow of 10,000, 30,000 and 100,000 contacts run to its end on the mock (its store a file, as
`airudder-mock serve --db` keeps it; no webhook target, so the simulation and the delivery log are what is
measured), each in a fresh process: the time per 10,000 contacts must stay flat (linear cost: 100k's at most
1.25x 10k's), and the memory must not grow with the contacts finished (peak RSS growth at 100k at most 1.5x 10k's,
plus 5 MB for the allocator's slack). The time compared is the process's CPU time (user + system): on a shared
machine the wall time says more about the other load than about the mock; both are printed.

    python -m benchmarks.scale CONTACTS      # one run: prints seconds (wall, CPU) and RSS growth as JSON
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Row
from .servers import ROOT

SIZES = (10_000, 30_000, 100_000)


def run_once(contacts: int) -> None:
    """Run in a fresh process: one workflow of `contacts` contacts to its end; print seconds and RSS growth."""
    from airudder_mock import MockConfig, MockServer

    with tempfile.TemporaryDirectory() as folder:
        mock = MockServer(MockConfig(contacts_per_workflow=contacts, db=str(Path(folder) / "mock.sqlite3")))
        try:
            template = mock.repo.templates()[0]  # one call node: dialer, call and list webhooks per contact
            now = mock.clock.now()
            body = {"workflow_template_id": template.id, "name": "scale", "end_time": "2099-01-01T00:00:00Z"}
            before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            workflow_id = mock.simulation.create_workflow(body, template, now + 30 * 86_400, now)
            mock.clock.advance(contacts * 10 + 86_400)  # the contacts start 10 s apart: past the last one's calls
            mock.pump()
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            growth_kb = after.ru_maxrss - before.ru_maxrss
            workflow = mock.repo.workflow(workflow_id)
            if workflow is None or workflow.status != "finished":
                raise RuntimeError(f"the {contacts}-contact workflow did not run to its end")
        finally:
            mock.close()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_growth_mb": growth_kb / 1024}))


def run() -> list[Row]:
    results = {}
    for contacts in SIZES:
        command = [sys.executable, "-m", "benchmarks.scale", str(contacts)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        results[contacts] = json.loads(out.stdout)
    per_10k = {n: r["cpu"] / (n / 10_000) for n, r in results.items()}
    small, large = SIZES[0], SIZES[-1]
    rows = [
        Row(
            f"workflow of {n:,} contacts run to its end",
            f"{r['cpu']:.1f} s CPU ({per_10k[n]:.1f} s per 10k; wall {r['seconds']:.0f} s)",
            f"{per_10k[small]:.1f} s CPU per 10k (10k contacts)",
            per_10k[n] / per_10k[small],
            "<= 1.25x" if n == large else "-",
            per_10k[n] <= 1.25 * per_10k[small] or n != large,
        )
        for n, r in results.items()
    ]
    growth = {n: r["rss_growth_mb"] for n, r in results.items()}
    bound = 1.5 * growth[small] + 5
    rows.append(
        Row(
            f"peak RSS growth, {large:,} contacts",
            f"{growth[large]:.1f} MB",
            f"{growth[small]:.1f} MB (10k contacts)",
            growth[large] / max(growth[small], 0.1),
            "<= 1.5x + 5 MB",
            growth[large] <= bound,
        )
    )
    return rows


if __name__ == "__main__":
    run_once(int(sys.argv[1]))
