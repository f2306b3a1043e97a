"""imports: `import airudder` against `import httpx` (which it needs), each in a fresh interpreter: 15 rounds in
turns, the round of median ratio taken (target <= 2x the time). The interpreter's own start-up is in both."""

from __future__ import annotations

import subprocess
import sys

from .report import Row
from .servers import ROOT
from .timing import in_turns, median_round

ROUNDS = 15


def run() -> list[Row]:
    def importing(module: str) -> None:
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)

    importing("airudder")  # warm the file cache and the bytecode of both
    importing("httpx")
    ours, baseline = median_round(*in_turns(ROUNDS, lambda: importing("airudder"), lambda: importing("httpx")))
    ratio = ours / baseline
    return [
        Row(
            "`import airudder` vs `import httpx`",
            f"{ours:.3f} s",
            f"{baseline:.3f} s",
            ratio,
            "<= 2x",
            ratio <= 2,
        )
    ]
