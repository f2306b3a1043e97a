"""What each delivery leaves behind: its count in the metrics (kind, outcome, status), one INFO line when it is
accepted (kind, event id, duplicate or not, never the body), and its request id: the sender's `X-Request-ID` when it
gives a sane one, else a new one, echoed in the answer so a delivery can be found in the log of either side.
"""

from __future__ import annotations

import logging
import random
import re
import uuid
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import airudder_spec

from ._metrics import Metrics, kind_label
from ._spool import Spooled

Endpoint = Callable[[Request], Awaitable[Response]]
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
"""A request id taken from the sender: short and printable, so it cannot forge a log line."""
logger = logging.getLogger("airudder.webhooks")


_ids = random.Random()  # seeded from os.urandom once: a request id needs to be unique, not secret


def request_id(request: Request) -> str:
    """The sender's sane X-Request-ID, else a new random UUID (no system call per request, unlike uuid4)."""
    given = request.headers.get("x-request-id", "")
    return given if REQUEST_ID.match(given) else uuid.UUID(int=_ids.getrandbits(128), version=4).hex


def observed(metrics: Metrics, endpoint: Endpoint) -> Endpoint:
    """`endpoint` (the receiver's POST handler), counted, logged and given its request id.

    The endpoint tells what it accepted in `request.state.accepted`: (kind, event id or None for a duplicate).
    """

    async def receive(request: Request) -> Response:
        rid = request.state.request_id = request_id(request)
        try:
            response = await endpoint(request)
        except Exception as exc:  # the store failed: not acknowledged, and said so in the envelope (the sender retries)
            logger.error("a webhook was not kept (request %s): %s: %s", rid, type(exc).__name__, exc)
            reason = "the event store cannot keep events now; the delivery is not acknowledged, send it again"
            response = JSONResponse(
                airudder_spec.error(503, [{"field": "store", "message": reason}]),
                status_code=503,
                headers={"Retry-After": "30"},
            )
            metrics.received.labels(kind_label(request.path_params.get("kind")), "error", "503").inc()
            response.headers["X-Request-ID"] = rid
            return response
        accepted: tuple[str, int | None] | None = getattr(request.state, "accepted", None)
        if accepted is not None and response.status_code < 300:
            kind, event_id = accepted
            outcome, label = ("stored" if event_id is not None else "duplicate"), kind_label(kind)
            logger.info(
                "accepted a webhook: kind %s, %s, request %s",
                kind,
                _told(event_id),
                rid,
            )
        else:
            outcome, label = "refused", kind_label(request.path_params.get("kind"))
        metrics.received.labels(label, outcome, str(response.status_code)).inc()
        response.headers["X-Request-ID"] = rid
        return response

    return receive


def _told(event_id: int | None) -> str:
    if event_id is None:
        return "a duplicate (kept before)"
    if isinstance(event_id, Spooled):
        return f"spooled (the database is away; spool row {int(event_id)})"
    return f"event {event_id}"
