"""The handlers the workers part's worker processes load (`worker --handlers benchmarks.handlers`): each takes
$BENCH_HANDLER_MS milliseconds (a sleep: an app waiting on its own database or API), and does nothing else."""

from __future__ import annotations

import os
import time
from typing import Any

from airudder import webhooks

DELAY = float(os.environ.get("BENCH_HANDLER_MS", "0")) / 1000
receiver = webhooks.WebhookReceiver()


@receiver.on("workflow_status_changed")
def handle(event: Any) -> None:
    if DELAY:
        time.sleep(DELAY)
