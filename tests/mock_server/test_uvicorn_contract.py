"""What the mock takes from uvicorn beyond the ASGI spec: a way to close a connection without answering.

ASGI has no message that drops a connection, so the mock's `drop` fault closes the transport of uvicorn's request
cycle, reached as `send.__self__.transport`. That is not uvicorn's public API: pyproject.toml caps uvicorn at the
versions this test has passed on, and it fails loudly, naming the attribute, when an upgrade takes it away.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import uvicorn
from starlette.responses import JSONResponse

from airudder.serving import serve


@pytest.mark.parametrize("protocol", ["h11", "httptools"])
def test_uvicorn_still_hands_the_app_the_connection_the_drop_fault_closes(protocol: str) -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        cycle = getattr(send, "__self__", None)
        seen["transport"] = getattr(cycle, "transport", None)
        seen["disconnected"] = getattr(cycle, "disconnected", None)
        await JSONResponse({})(scope, receive, send)

    with serve(app, http=protocol) as url:
        assert httpx.get(url, timeout=10).status_code == 200
    missing = f"uvicorn {uvicorn.__version__} ({protocol}) no longer exposes"
    close = getattr(seen["transport"], "close", None)  # an asyncio transport, or uvloop's (not a subclass of it)
    assert callable(close), f"{missing} `send.__self__.transport`: see faults.drop"
    assert seen["disconnected"] is False, f"{missing} `send.__self__.disconnected`: see faults.drop"


@pytest.mark.parametrize("protocol", ["h11", "httptools"])
def test_the_drop_fault_closes_the_connection_without_an_answer(protocol: str) -> None:
    from airudder_mock.faults import drop

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await drop(send)

    with serve(app, http=protocol) as url, pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url, timeout=10)
