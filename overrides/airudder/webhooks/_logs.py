"""The CLI's log on stderr: every line with its UTC time, as text or one JSON object a line (`--log-format json`)
for a log shipper. uvicorn's own lines go through the same handler."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

import click

from ..console import BufferedHandler

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line)


class UtcText(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc(record.created)


def _utc(created: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(created % 1 * 1000):03d}Z"


def configure(log_format: str) -> None:
    """Route every log record (ours and uvicorn's) to stderr in `log_format` (text or json), at INFO, written by
    one buffered writer off the event loop (a line per delivery)."""
    handler = BufferedHandler(sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else UtcText(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


log_format_option = click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    envvar="AIRUDDER_WEBHOOKS_LOG_FORMAT",
    help="The log on stderr: text lines, or one JSON object a line; each with its UTC time.",
)
