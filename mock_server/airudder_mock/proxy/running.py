"""Run a validating proxy on a real loopback port in a background thread (tests, scripts, the docs' example)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from airudder.serving import serve
from airudder_spec.drift import DriftReport

from .cassettes import Recorder
from .forward import TIMEOUT, ValidatingProxy
from .observer import Observer
from .redact import RedactionRules, Redactor


@dataclass
class RunningProxy:
    url: str
    proxy: ValidatingProxy
    observer: Observer

    def drain(self, timeout: float = 30.0) -> None:
        """Wait until every exchange so far is validated, reported and recorded, and the report written."""
        self.observer.drain(timeout)


def build(
    upstream: str,
    report: str | Path | None,
    record: str | Path | None = None,
    rules: RedactionRules | None = None,
    timeout: float = TIMEOUT,
) -> ValidatingProxy:
    """A proxy to `upstream` writing its drift report to `report` and, with `record`, cassettes there."""
    recorder = Recorder(record, Redactor(rules)) if record is not None else None
    return ValidatingProxy(upstream, Observer(DriftReport(report), recorder), timeout=timeout)


@contextmanager
def running_proxy(
    upstream: str,
    report: str | Path | None,
    record: str | Path | None = None,
    *,
    rules: RedactionRules | None = None,
    timeout: float = TIMEOUT,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[RunningProxy]:
    """A proxy served on `host:port` (0: a free port) while the block runs; on exit the observer finishes its
    queue and writes the report."""
    proxy = build(upstream, report, record, rules, timeout)
    try:
        with serve(proxy, host, port) as url:
            yield RunningProxy(url, proxy, proxy.observer)
    finally:
        proxy.observer.close()
