"""The console of `airudder-mock`: the request log and the delivery log as lines on stderr, as Prism prints,
written by one buffered writer (`airudder.console`): no request and no sending thread waits on the console."""

from __future__ import annotations

import logging
import sys

from airudder.console import BufferedHandler

FORMAT = "%(asctime)s %(message)s"


def show(quiet: bool = False) -> None:
    """Print the mock's log lines (requests, deliveries, disconnects) on stderr; `quiet`: no request lines."""
    handler = BufferedHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))
    root = logging.getLogger("airudder_mock")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
    logging.getLogger("airudder_mock.requests").setLevel(logging.WARNING if quiet else logging.INFO)
