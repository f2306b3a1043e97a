"""The receivers' and workers' metrics, in Prometheus' text format (`prometheus_client`).

Why prometheus_client rather than OpenTelemetry: what is asked is one scrape endpoint per process, which
prometheus_client gives in one small pure-Python package with no SDK to configure; OpenTelemetry would add an SDK,
an exporter and a bridge to the same exposition. A team on OpenTelemetry scrapes these with its collector's
Prometheus receiver.

Counted in the process: deliveries by kind and outcome, store call latency, handler duration and failures, events
that went `dead`. Read from the store at each scrape (so every process shows the same, whichever is scraped): the
events by state, the age of the oldest pending one, the dead letters, each worker's last heartbeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ._parse import UNCLASSIFIED, kinds

PREFIX = "airudder_webhooks"
T = TypeVar("T")


def kind_label(kind: str | None) -> str:
    """A kind as a label: a sender's made-up kind (in a refused URL) must not grow a new series each time."""
    if kind is None:
        return "none"
    return kind if kind in kinds() or kind == UNCLASSIFIED else "other"


class Metrics:
    """One process's metrics, in a registry of their own (`registry`): expose it with `exposition()`."""

    def __init__(self, store: Any | None = None, registry: CollectorRegistry | None = None) -> None:
        """With a `store` that has `stats()`, each scrape reads the backlog, the dead letters and the workers."""
        self.registry = registry or CollectorRegistry()
        self.received = Counter(
            f"{PREFIX}_received",
            "Webhook deliveries by kind and outcome (stored, duplicate, refused, error) and HTTP status",
            ["kind", "outcome", "status"],
            registry=self.registry,
        )
        self.store_seconds = Histogram(
            f"{PREFIX}_store_seconds",
            "Time taken by each call to the event store, by operation",
            ["operation"],
            registry=self.registry,
        )
        self.handler_seconds = Histogram(
            f"{PREFIX}_handler_seconds",
            "Time a handler took per event, by kind (failed runs included)",
            ["kind"],
            buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        self.handler_failures = Counter(
            f"{PREFIX}_handler_failures", "Handler runs that raised, by kind", ["kind"], registry=self.registry
        )
        self.dead = Counter(
            f"{PREFIX}_dead_events",
            "Events that failed their last allowed attempt and went to the final dead state, by kind",
            ["kind"],
            registry=self.registry,
        )
        self.extra: list[Callable[[], Iterator[Metric]]] = []
        """More gauges read at scrape time (the spool's size and age, where there is one)."""
        if store is not None and hasattr(store, "stats"):
            self.registry.register(_StoreCollector(store))
        self.registry.register(_ExtraCollector(self))

    def timed(self, operation: str, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)`, its duration counted as a store call."""
        started = time.perf_counter()
        try:
            return call(*args)
        finally:
            self.store_seconds.labels(operation).observe(time.perf_counter() - started)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format (reads the store: call it off the event loop)."""
        return generate_latest(self.registry)


class _StoreCollector(Collector):
    """Gauges read from the store at each scrape; `store_up` 0 (and no others) when it does not answer."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(f"{PREFIX}_store_up", "1 when the event store answered this scrape's queries")
        try:
            stats = self.store.stats()
        except Exception:  # the scrape still answers: store_up 0 is the alert
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        now = time.time()
        events = GaugeMetricFamily(f"{PREFIX}_events", "Events kept in the store, by state", labels=["state"])
        for state, count in stats.backlog.items():
            events.add_metric([state], count)
        yield events
        age = now - stats.oldest_pending if stats.oldest_pending is not None else 0
        yield GaugeMetricFamily(
            f"{PREFIX}_oldest_pending_age_seconds",
            "Seconds since the oldest event still pending was received (0: none waits)",
            value=max(age, 0),
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_dead_letters", "Refused bodies kept as dead letters", value=stats.dead_letters
        )
        beat_age = GaugeMetricFamily(
            f"{PREFIX}_worker_heartbeat_age_seconds", "Seconds since each worker's last heartbeat", labels=["worker"]
        )
        holding = GaugeMetricFamily(
            f"{PREFIX}_worker_holding", "Events each worker had in hand at its last heartbeat", labels=["worker"]
        )
        for beat in stats.workers:
            beat_age.add_metric([beat.worker], max(now - beat.beat_at, 0))
            holding.add_metric([beat.worker], len(beat.holding))
        yield beat_age
        yield holding


class _ExtraCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        for source in self.metrics.extra:
            yield from source()
