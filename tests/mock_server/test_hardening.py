"""Faults an adversarial run found in the mock: a body over the limit read whole before it was refused, a client
that gives up during injected latency logged as a traceback, secrets in the state dump."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from airudder_mock import MockConfig, MockHandle, running_mock

LIMIT = 1000


def answer_of(sock: socket.socket, seconds: float = 10) -> bytes:
    """What the server sends back, up to the end of its headers (or the connection's end)."""
    sock.settimeout(seconds)
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def token_of(mock: MockHandle) -> bytes:
    """The admin token's header line, for a request written by hand."""
    return f"Authorization: Bearer {mock.admin_token}\r\n".encode()


@contextmanager
def connected(base_url: str) -> Iterator[socket.socket]:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        yield sock


def test_a_body_over_the_limit_is_refused_while_it_streams() -> None:
    with running_mock(MockConfig(max_body=LIMIT)) as mock, connected(mock.base_url) as sock:
        sock.sendall(b"POST /_mock/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + token_of(mock))
        sock.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 600
        for _ in range(2):  # 1200 bytes so far, more to come: the mock must not wait for the end
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        started = time.monotonic()
        head = answer_of(sock)
        assert head.startswith(b"HTTP/1.1 413"), head
        assert time.monotonic() - started < 5


def test_a_declared_length_over_the_limit_is_refused_before_the_body_comes() -> None:
    with running_mock(MockConfig(max_body=LIMIT)) as mock, connected(mock.base_url) as sock:
        sock.sendall(
            b"POST /_mock/clock HTTP/1.1\r\nHost: x\r\n" + token_of(mock) + b"Content-Length: 100000000\r\n\r\n{"
        )
        assert answer_of(sock).startswith(b"HTTP/1.1 413")


def test_the_refusal_is_in_the_envelope_naming_the_body() -> None:
    with running_mock(MockConfig(max_body=LIMIT)) as mock:
        answer = mock.admin.post("/clock", content=b"[" + b"1," * LIMIT + b"1]")
    assert answer.status_code == 413
    assert answer.json() == {
        "data": {"errors": [{"field": "body", "message": f"is larger than {LIMIT} bytes"}]},
        "status": "Request Entity Too Large",
        "code": 413,
    }


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_client_that_gives_up_during_injected_latency_is_one_line_not_a_traceback() -> None:
    records = Records()
    watched = [logging.getLogger(name) for name in ("uvicorn.error", "airudder_mock")]
    with running_mock() as mock:
        for logger in watched:  # once the server runs: uvicorn configures its loggers on start
            logger.addHandler(records)
        try:
            fault = {"operation_id": "get_token", "latency_ms": 600}
            mock.admin.put("/faults", json=fault).raise_for_status()
            with pytest.raises(httpx.ReadTimeout):
                httpx.post(f"{mock.base_url}/service/cloud/auth", json={"APPKey": "k", "APPSecret": "s"}, timeout=0.1)
            time.sleep(1.5)  # the latency ends; the mock finds the client gone
        finally:
            for logger in watched:
                logger.removeHandler(records)
    assert [r for r in records.records if r.exc_info] == []
    gone = [r.getMessage() for r in records.records if "disconnected" in r.getMessage()]
    assert len(gone) == 1 and gone[0].startswith("POST /service/cloud/auth: the client disconnected after ")


def test_the_state_dump_masks_tokens_and_secrets(airudder_mock: MockHandle) -> None:
    airudder_mock.admin.post("/credentials", json={"app_key": "k2", "app_secret": "very-secret"}).raise_for_status()
    token = httpx.post(
        f"{airudder_mock.base_url}/service/cloud/auth", json={"APPKey": "k2", "APPSecret": "very-secret"}
    ).json()["data"]["token"]
    state = airudder_mock.admin.get("/state")
    assert state.status_code == 200
    assert token not in state.text and "very-secret" not in state.text
    assert [row["token"] for row in state.json()["tokens"]] == ["***"]
    assert "k2" in state.text  # what is not secret stays readable


def test_idle_and_half_sent_connections_to_the_mock_are_closed_after_the_bound() -> None:
    bound = 0.5
    with running_mock(MockConfig(connection_timeout=bound)) as mock:
        head = b"POST /_mock/clock HTTP/1.1\r\nHost: x\r\n"
        openings = {
            "silent": (b"", b""),
            "headers trickled": (head, b"X-Slow: 1\r\n"),
            "body trickled": (head + b"Content-Length: 100000\r\n\r\n{", b" "),
        }
        with connected(mock.base_url) as working:
            socks = {name: socket.create_connection(working.getpeername(), timeout=10) for name in openings}
            try:
                for name, (first, _) in openings.items():
                    socks[name].sendall(first)
                closed: set[str] = set()
                started = time.monotonic()
                while len(closed) < len(socks) and time.monotonic() - started < 30 * bound:
                    for name, sock in socks.items():
                        if name not in closed and gone(sock, openings[name][1]):
                            closed.add(name)
                    time.sleep(0.1)
                assert closed == set(openings)
                # a connection that asks in time is served, and the mock goes on serving
                assert mock.admin.get("/clock").status_code == 200
            finally:
                for sock in socks.values():
                    sock.close()


def gone(sock: socket.socket, trickle: bytes) -> bool:
    """True once the server has closed `sock`; sends `trickle` (a byte now and then: never idle, never done)."""
    sock.setblocking(False)
    try:
        if trickle:
            sock.send(trickle)
        while sock.recv(65536):
            pass  # an answer (a 4xx for a cut-off request): read on to the close
        return True
    except BlockingIOError:
        return False
    except OSError:  # reset
        return True
