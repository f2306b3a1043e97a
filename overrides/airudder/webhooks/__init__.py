"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table,
unclassified events kept rather than refused, and serving with connections bounded in time.

`PostgresEventStore` (several receiver hosts, separate workers) needs the `postgres` extra:
`pip install airudder-workflow[postgres]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._connection_bounds import CONNECTION_TIMEOUT
from ._kinds import Handler, WebhookKind, WebhookPayload, parse
from ._parse import (
    UNCLASSIFIED,
    AmbiguousWebhook,
    InvalidPayload,
    UnclassifiedEvent,
    UnknownWebhook,
    WebhookError,
    detect,
    event_key,
    kinds,
)
from ._receiver import WebhookReceiver
from ._serve import running, server
from ._store import DeadLetter, EventStore, SQLiteEventStore, StoredEvent
from ._worker import Worker

if TYPE_CHECKING:
    from ._postgres import PostgresEventStore


def __getattr__(name: str) -> Any:
    """PostgresEventStore is imported when first asked for: psycopg is an optional extra."""
    if name == "PostgresEventStore":
        from ._postgres import PostgresEventStore

        return PostgresEventStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONNECTION_TIMEOUT",
    "UNCLASSIFIED",
    "AmbiguousWebhook",
    "DeadLetter",
    "EventStore",
    "Handler",
    "InvalidPayload",
    "PostgresEventStore",
    "SQLiteEventStore",
    "StoredEvent",
    "UnclassifiedEvent",
    "UnknownWebhook",
    "WebhookError",
    "WebhookKind",
    "WebhookPayload",
    "WebhookReceiver",
    "Worker",
    "detect",
    "event_key",
    "kinds",
    "parse",
    "running",
    "server",
]
