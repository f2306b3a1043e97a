"""contract: the contract suite's wall time against the mock (< 300 s)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from .report import Row
from .servers import ROOT


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as reports:
        started = time.perf_counter()
        command = [sys.executable, "-m", "airudder_contract", "--report-dir", reports]  # = airudder-contract
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        seconds = time.perf_counter() - started
    return [Row("contract suite on the mock, wall time", f"{seconds:.0f} s", "-", seconds, "< 300 s", seconds < 300)]
