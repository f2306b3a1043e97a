"""ingest: durable webhook ingest, valid events stored and acknowledged per second, 32 concurrent senders (wrk):
SQLite against the bare endpoint answering 200 without storing (>= 0.5x); PostgreSQL (a throwaway server, fsync
on) with one receiver process and two (two >= 1.5x one). Every receiver runs `serve --no-handle`.

Four against one is modelled from a profile: the CPU seconds per stored event of the one PostgreSQL receiver and
of the PostgreSQL server (read from /proc over one more wrk run). A receiver is one Python process (one core at
most), the server's share grows with the events; so N receivers on C cores reach min(N, C / (1 + server/receiver))
times one. Printed for 4 on this machine's cores and on 8.

Every server is up at once and measured in turns, the round of median ratio taken: the load of a shared machine
moves from one minute to the next by more than the differences measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.postgres_cluster import throwaway_cluster

from .report import Row
from .servers import ROOT, free_port, need_wrk, process, requests_per_second, server, wait_until_up
from .timing import median_round

SENDERS, SECONDS, ROUNDS = 32, 4, 5
# wrk posts a valid workflow_status_changed event of a new identity each time: every request is stored
SCRIPT = """
local n = 0
local body = [[%s]]
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, (body:gsub("WORKFLOW_ID", tid .. "-" .. n)))
end
"""


def post_script(folder: Path) -> Path:
    """wrk's script posting new events, each of a new identity (so each is stored, none a duplicate)."""
    from airudder_contract.webhook_cases import doc_examples

    event = {**doc_examples("workflow_status_changed")[0], "workflow_id": "WORKFLOW_ID"}
    script = folder / "ingest.lua"
    script.write_text(SCRIPT % json.dumps(event))
    return script


def wrk_post(urls: list[str], script: Path, seconds: int) -> float:
    """Requests/s of SENDERS connections in all, split over `urls` (one wrk each, run at once)."""
    need_wrk("ingest")
    per = SENDERS // len(urls)
    runs = [
        subprocess.Popen(
            ["wrk", "-t1", f"-c{per}", f"-d{seconds}s", "-s", str(script), url], stdout=subprocess.PIPE, text=True
        )
        for url in urls
    ]
    total = 0.0
    for run in runs:
        out, _ = run.communicate(timeout=seconds + 60)
        if run.returncode != 0:
            raise RuntimeError(f"wrk failed:\n{out}")
        total += requests_per_second(out)
    return total


@contextmanager
def receivers(db: str, count: int) -> Iterator[list[str]]:
    """`count` receiver processes on one store, each only storing and acknowledging (`serve --no-handle`)."""
    ports = [free_port() for _ in range(count)]
    command = [sys.executable, "-m", "airudder.webhooks", "serve", "--no-handle", "--db", db]
    with contextlib.ExitStack() as stack:
        for port in ports:
            stack.enter_context(process([*command, "--port", str(port)], cwd=ROOT))
        urls = [f"http://127.0.0.1:{port}/workflow_status_changed" for port in ports]
        for url in urls:
            wait_until_up(url, method="POST", content=b"{}")
        yield urls


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        script = post_script(Path(folder))
        bare_urls = [stack.enter_context(server("bare")) + "/workflow_status_changed"]
        sqlite_urls = stack.enter_context(receivers(str(Path(folder) / "events.sqlite3"), 1))
        cluster = stack.enter_context(throwaway_cluster(durable=True))  # fsync on: durable means on disk
        one_urls = stack.enter_context(receivers(cluster.create_database("one"), 1))
        two_urls = stack.enter_context(receivers(cluster.create_database("two"), 2))
        timings: dict[str, list[float]] = {"bare": [], "sqlite": [], "one": [], "two": []}
        targets = {"bare": bare_urls, "sqlite": sqlite_urls, "one": one_urls, "two": two_urls}
        for urls in targets.values():
            wrk_post(urls, script, 2)  # warm up: connections, the stores' pools
        for _ in range(ROUNDS):
            for name, urls in targets.items():
                timings[name].append(1 / wrk_post(urls, script, SECONDS))  # seconds per event
        receiver_cpu, server_cpu = cpu_per_event(one_urls, script, cluster.folder / "data")
    sqlite, bare = (1 / t for t in median_round(timings["sqlite"], timings["bare"]))
    pg_two, pg_one = (1 / t for t in median_round(timings["two"], timings["one"]))
    pg_alone, bare_then = (1 / t for t in median_round(timings["one"], timings["bare"]))
    return [
        Row(
            "ingest, SQLite, 1 process",
            f"{sqlite:,.0f} events/s",
            f"{bare:,.0f} events/s (bare endpoint)",
            sqlite / bare,
            ">= 0.5x",
            sqlite >= bare * 0.5,
        ),
        Row(
            "ingest, PostgreSQL, 1 process",
            f"{pg_alone:,.0f} events/s",
            f"{bare_then:,.0f} events/s (bare endpoint)",
            pg_alone / bare_then,
            "-",
            True,
        ),
        Row(
            "ingest, PostgreSQL, 2 processes",
            f"{pg_two:,.0f} events/s",
            f"{pg_one:,.0f} events/s (1 process)",
            pg_two / pg_one,
            ">= 1.5x",
            pg_two >= 1.5 * pg_one,
        ),
        *modelled(receiver_cpu, server_cpu),
    ]


def modelled(receiver_cpu: float, server_cpu: float) -> list[Row]:
    """4 receivers against 1 from the CPU per event of a receiver and of the server (see the module's docstring)."""
    rows = []
    for cores in (os.cpu_count() or 1, 8):
        ratio = min(4.0, cores / (1 + server_cpu / receiver_cpu))
        rows.append(
            Row(
                f"ingest, PostgreSQL, 4 processes, modelled on {cores} cores",
                f"{ratio:.2f}x one",
                f"CPU per event: receiver {receiver_cpu * 1e6:.0f} µs, server {server_cpu * 1e6:.0f} µs",
                ratio,
                ">= 2.5x" if cores >= 4 else "- (too few cores)",
                ratio >= 2.5 or cores < 4,
            )
        )
    return rows


def cpu_per_event(urls: list[str], script: Path, data: Path) -> tuple[float, float]:
    """CPU seconds per stored event of the receivers at `urls` and of the PostgreSQL server in `data`, over one
    wrk run."""
    ports = [url.split(":")[2].split("/")[0] for url in urls]
    receivers_ = [pid for port in ports for pid in pids(f"airudder.webhooks serve .*--port {port}$")]
    server = pids(str(data))
    server += [child for parent in server for child in pids(str(parent), "-P")]
    before = cpu(receivers_), cpu(server)
    events = wrk_post(urls, script, SECONDS) * SECONDS
    after = cpu(receivers_), cpu(server)
    return (after[0] - before[0]) / events, (after[1] - before[1]) / events


def pids(pattern: str, option: str = "-f") -> list[int]:
    """The processes pgrep finds: by command line (-f), or the children of a process id (-P)."""
    found = subprocess.run(["pgrep", option, pattern], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def cpu(processes: list[int]) -> float:
    """User and system CPU seconds of `processes` so far (those that have ended count nothing)."""
    total = 0.0
    for pid in processes:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
