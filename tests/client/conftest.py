"""Real servers on loopback for the client tests: the mock, and small scripted apps for what the mock won't do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from airudder_mock.serving import bound_socket, serving

TOKEN_BODY = {"data": {"token": "t0k3n-abc"}, "status": "OK", "code": 200}


@contextmanager
def serve(routes: list[Route]) -> Iterator[str]:
    """Serve a Starlette app of `routes` on a free 127.0.0.1 port; yields its base URL."""
    with bound_socket("127.0.0.1") as sock, serving(Starlette(routes=routes), sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def at_once(threads: int, call: Callable[[], Any]) -> list[BaseException]:
    """Run `call` in `threads` threads released together; the exceptions they raised."""
    barrier = threading.Barrier(threads)
    failures: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            call()
        except BaseException as exc:  # collected for the caller to assert on
            failures.append(exc)

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(60)
    return failures


@pytest.fixture
def scripted() -> Callable[[list[Route]], Any]:
    return serve
