"""Run a receiver on a real port in a background thread: for tests and scripts that post to it over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..serving import CONNECTION_TIMEOUT, serve
from ._receiver import WebhookReceiver


@contextmanager
def running(
    receiver: WebhookReceiver,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    connection_timeout: float = CONNECTION_TIMEOUT,
    forwarded_allow_ips: str | None = None,
) -> Iterator[str]:
    """Serve `receiver` with uvicorn while the block runs; yields its base URL (with a path secret, if any).

    `port=0` takes a free port. A connection idle, or slower than `connection_timeout` seconds to send a whole
    request, is closed (see `airudder.serving`). X-Forwarded-For is trusted only from the proxies
    `forwarded_allow_ips` names (else $FORWARDED_ALLOW_IPS; by default none): otherwise the allowlist sees the
    socket's peer. The block's exit stops the server and waits for it.
    """
    trusting: dict[str, Any] = {"forwarded_allow_ips": forwarded_allow_ips} if forwarded_allow_ips else {}
    with serve(receiver.app, host, port, connection_timeout=connection_timeout, **trusting) as base_url:
        in_path = receiver.secret and receiver.secret_in == "path"
        yield base_url + (f"/{receiver.secret}" if in_path else "")
