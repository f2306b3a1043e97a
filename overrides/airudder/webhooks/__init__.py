"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table,
unclassified events kept rather than refused, and serving with connections bounded in time.

Parsing (`parse`, `detect`, `kinds`) and the stores need only the core install; `WebhookReceiver`, `running`,
`server` and `CONNECTION_TIMEOUT` serve HTTP and need `airudder-workflow[webhooks]` (starlette, uvicorn): they
are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ..serving import CONNECTION_TIMEOUT, server
    from ._receiver import WebhookReceiver
    from ._serve import running

_SERVING = {
    "CONNECTION_TIMEOUT": "..serving",
    "WebhookReceiver": "._receiver",
    "running": "._serve",
    "server": "..serving",
}


def __getattr__(name: str) -> Any:
    """The serving names, imported when first used: they need the webhooks extra."""
    if name not in _SERVING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    from airudder.extras import require

    require("webhooks", f"airudder.webhooks.{name}")
    return getattr(import_module(_SERVING[name], __name__), name)
