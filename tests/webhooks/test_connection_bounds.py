"""The receiver closes connections that sit idle or trickle a request (slowloris), and only those."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest

from airudder import webhooks
from airudder_contract.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]
BOUND = 0.5
"""Seconds: short, so the test is quick; the senders below outlast it many times over."""


def closed_by_the_server(sock: socket.socket) -> bool:
    """True once the server has closed `sock` (whatever it answered first)."""
    sock.setblocking(False)
    try:
        while data := sock.recv(65536):
            del data  # an answer (such as a 400 for a cut-off body): keep reading to the close
        return True
    except BlockingIOError:
        return False
    except OSError:  # reset
        return True


def test_idle_and_half_sent_connections_are_closed_after_the_bound() -> None:
    receiver = webhooks.WebhookReceiver(secret="s3cret")
    with webhooks.running(receiver, connection_timeout=BOUND) as base:
        host, port = base.removeprefix("http://").split("/")[0].split(":")
        senders: dict[str, tuple[socket.socket, bytes]] = {}

        def connect(name: str, first: bytes, trickle: bytes) -> None:
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(first)
            senders[name] = (sock, trickle)

        head = "POST /s3cret/workflow_status_changed HTTP/1.1\r\nHost: x\r\n"
        connect("silent", b"", b"")
        connect("headers trickled", head.encode(), b"X-Slow: 1\r\n")
        connect("body trickled", f"{head}Content-Length: 100000\r\n\r\n{{".encode(), b" ")
        connect("idle after an answer", f"{head}Content-Length: 2\r\n\r\n{{}}".encode(), b"")

        closed: dict[str, float] = {}
        started = time.monotonic()
        while len(closed) < len(senders) and time.monotonic() - started < 30 * BOUND:
            for name, (sock, trickle) in senders.items():
                if name in closed:
                    continue
                try:
                    if trickle:
                        sock.send(trickle)  # a byte now and then: never idle, never done
                except OSError:
                    closed[name] = time.monotonic() - started
                    continue
                if closed_by_the_server(sock):
                    closed[name] = time.monotonic() - started
                sock.setblocking(True)
            time.sleep(BOUND / 10)
        for sock, _ in senders.values():
            sock.close()
        assert sorted(closed) == sorted(senders), f"still open after {30 * BOUND}s: {set(senders) - set(closed)}"
        assert min(closed.values()) >= BOUND * 0.9  # none before its time
        # the receiver still serves, and kept nothing of the cut-off requests
        assert httpx.post(f"{base}/workflow_status_changed", json=STATUS).status_code == 200
    assert len(receiver.store.events()) == 1 and receiver.store.dead_letters() != []  # the '{}' sent whole


class SlowStore(webhooks.SQLiteEventStore):
    def add(self, kind: str, key: str, payload: Any) -> int | None:
        time.sleep(BOUND * 4)  # the disk is slow: the app works longer than the bound
        return super().add(kind, key, payload)


def test_a_request_that_arrived_whole_is_answered_however_long_the_app_takes() -> None:
    receiver = webhooks.WebhookReceiver(store=SlowStore())
    with webhooks.running(receiver, connection_timeout=BOUND) as base, httpx.Client(timeout=30) as http:
        for workflow_id in ("w1", "w2"):  # the second on the same kept-alive connection
            body = json.dumps({**STATUS, "workflow_id": workflow_id})
            answer = http.post(f"{base}/workflow_status_changed", content=body)
            assert answer.status_code == 200, answer.text
    assert len(receiver.store.events()) == 2


@pytest.mark.parametrize("bad", [0, -1.0])
def test_the_bound_must_be_positive(bad: float) -> None:
    with (
        pytest.raises(ValueError, match="positive"),
        webhooks.running(webhooks.WebhookReceiver(), connection_timeout=bad),
    ):
        pass
