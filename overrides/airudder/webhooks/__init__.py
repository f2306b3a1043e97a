"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table,
unclassified events kept rather than refused, and serving with connections bounded in time."""

from __future__ import annotations

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

__all__ = [
    "CONNECTION_TIMEOUT",
    "UNCLASSIFIED",
    "AmbiguousWebhook",
    "DeadLetter",
    "EventStore",
    "Handler",
    "InvalidPayload",
    "SQLiteEventStore",
    "StoredEvent",
    "UnclassifiedEvent",
    "UnknownWebhook",
    "WebhookError",
    "WebhookKind",
    "WebhookPayload",
    "WebhookReceiver",
    "detect",
    "event_key",
    "kinds",
    "parse",
    "running",
    "server",
]
