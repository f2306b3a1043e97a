"""Webhook drift, opt-in (`WebhookReceiver(drift_report=DIR)`, `python -m airudder.webhooks --drift-report DIR`):
each body AIRudder posts, held against its kind's schema, into the drift report the validating proxy writes
(`airudder_spec.drift`): fields the spec does not name, missing or mistyped fields, unknown kinds.

It never changes what the receiver stores or answers. Cheap on the way in (a walk of the decoded payload, in
memory); the report is written off the event loop, at most every `flush_every` seconds, and at `close()`.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from airudder_spec.drift import DriftReport

from ._parse import UNCLASSIFIED

FLUSH_EVERY = 2.0
logger = logging.getLogger("airudder.webhooks")


class DriftHook:
    def __init__(self, report: DriftReport | str | Path, flush_every: float = FLUSH_EVERY) -> None:
        self.report = report if isinstance(report, DriftReport) else DriftReport(report)
        self.flush_every = flush_every
        self._flushed = time.monotonic()
        self._flushing = threading.Lock()

    def seen(self, kind: str | None, payload: Any) -> None:
        """One body as decoded; `kind` as the URL named it or as it was detected (`unclassified`: none fits)."""
        try:
            self.report.webhook(None if kind == UNCLASSIFIED else kind, payload)
        except Exception:  # the report is a by-product: a failure here never touches the delivery
            logger.exception("webhook drift: could not examine a payload of kind %s", kind)
        if time.monotonic() - self._flushed >= self.flush_every and not self._flushing.locked():
            self._flushed = time.monotonic()
            threading.Thread(target=self.flush, name="webhook-drift-flush", daemon=True).start()

    def flush(self) -> None:
        """Merge what was seen into the report's directory (one writer at a time)."""
        with self._flushing:
            try:
                self.report.flush()
            except OSError:
                logger.exception("webhook drift: could not write the report")

    close = flush
