"""Token auth: one exchange reused, renewed before its 24 h end and once on an auth failure, single-flight."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder
from airudder_api import Client as GeneratedClient
from airudder_api.api.workflows import list_workflow_tasks

from .conftest import TOKEN_BODY, InProcessMock, at_once, serve_routes

HOUR = 3600.0


def client_for(mock: InProcessMock, **kwargs: Any) -> airudder.Client:
    return airudder.Client(**mock.credentials(), **kwargs)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_one_token_serves_many_calls(mock: InProcessMock) -> None:
    with client_for(mock, raise_for_errors=True) as client:
        for _ in range(5):
            list_workflow_tasks.sync(client=client)
        assert client.auth.exchanges == 1


def test_the_token_is_renewed_before_its_24_hours_end(mock: InProcessMock) -> None:
    clock = FakeClock()
    token_client = GeneratedClient(base_url=mock.base_url, httpx_args={"transport": mock.site.transport})
    auth = airudder.TokenAuth(token_client=token_client, app_key=mock.app_key, app_secret=mock.app_secret, clock=clock)
    with httpx.Client(**mock.site.client_options(), auth=auth) as http:
        assert http.get("/service/cloud/workflow/instancelist").status_code == 200
        clock.now += 22 * HOUR
        assert http.get("/service/cloud/workflow/instancelist").status_code == 200
        assert auth.exchanges == 1
        clock.now += 1.5 * HOUR  # within the last hour of its life: renew before it lapses
        assert http.get("/service/cloud/workflow/instancelist").status_code == 200
        assert auth.exchanges == 2


def test_a_token_the_server_no_longer_takes_is_renewed_once(mock: InProcessMock) -> None:
    with client_for(mock, raise_for_errors=True) as client:
        list_workflow_tasks.sync(client=client)
        mock.advance(25 * HOUR)  # expired on the server; our clock knows nothing of it
        assert list_workflow_tasks.sync(client=client) is not None
        assert client.auth.exchanges == 2


def test_it_gives_up_with_a_typed_error_after_one_renewal() -> None:
    hits = {"auth": 0, "list": 0}

    async def token(request: Request) -> JSONResponse:
        hits["auth"] += 1
        return JSONResponse(TOKEN_BODY)

    async def rejecting(request: Request) -> JSONResponse:
        hits["list"] += 1
        return JSONResponse({"data": None, "status": "token invalid", "code": 401})  # HTTP 200, body code 401

    routes = [
        Route("/service/cloud/auth", token, methods=["POST"]),
        Route("/service/cloud/workflow/instancelist", rejecting),
    ]
    with (
        serve_routes(routes) as site,
        airudder.Client(app_key="k", app_secret="s", **site.client_options(), raise_for_errors=True) as c,
    ):
        with pytest.raises(airudder.AuthenticationError) as caught:
            list_workflow_tasks.sync(client=c)
    assert hits == {"auth": 2, "list": 2}
    assert (caught.value.status_code, caught.value.code, caught.value.operation) == (200, 401, "list_workflow_tasks")


def test_a_wrong_secret_is_an_authentication_error_that_names_the_field(mock: InProcessMock) -> None:
    with airudder.Client(**{**mock.credentials(), "app_secret": "wrong"}) as c:
        with pytest.raises(airudder.AuthenticationError) as caught:
            list_workflow_tasks.sync(client=c)
    assert caught.value.operation == "get_token" and "body.APPSecret" in str(caught.value)


def test_fifty_threads_make_one_token_request(mock: InProcessMock) -> None:
    with client_for(mock, raise_for_errors=True) as client:
        assert at_once(50, lambda: list_workflow_tasks.sync(client=client)) == []
        assert client.auth.exchanges == 1


def test_fifty_tasks_make_one_token_request(mock: InProcessMock) -> None:
    async def main() -> int:
        client = airudder.AsyncClient(
            app_key=mock.app_key,
            app_secret=mock.app_secret,
            base_url=mock.base_url,
            transport=mock.async_transport(),
            raise_for_errors=True,
        )
        async with client:
            await asyncio.gather(*(list_workflow_tasks.asyncio(client=client) for _ in range(50)))
            return client.auth.exchanges

    assert asyncio.run(main()) == 1


def test_configuration_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, mock: InProcessMock) -> None:
    monkeypatch.setenv("AIRUDDER_APP_KEY", mock.app_key)
    monkeypatch.setenv("AIRUDDER_APP_SECRET", mock.app_secret)
    monkeypatch.setenv("AIRUDDER_BASE_URL", mock.base_url)
    with airudder.Client(raise_for_errors=True, transport=mock.site.transport) as client:
        assert list_workflow_tasks.sync(client=client) is not None
    monkeypatch.delenv("AIRUDDER_APP_SECRET")
    with pytest.raises(ValueError, match="credentials"):
        airudder.Client()


def test_closing_a_client_closes_the_token_exchange_too(mock: InProcessMock) -> None:
    with client_for(mock) as client:
        list_workflow_tasks.sync(client=client)
    assert client.get_httpx_client().is_closed and client._token_http.is_closed
    closed = client_for(mock)
    closed.close()
    with pytest.raises(RuntimeError, match="closed"):
        closed.auth.token()  # the token exchange's own httpx client is closed, not left open

    async def main() -> list[bool]:
        aclient = airudder.AsyncClient(
            app_key=mock.app_key,
            app_secret=mock.app_secret,
            base_url=mock.base_url,
            transport=mock.async_transport(),
        )
        async with aclient:
            await list_workflow_tasks.asyncio(client=aclient)
        other = airudder.AsyncClient(app_key="k", app_secret="s", base_url=mock.base_url)
        await other.aclose()
        return [c.is_closed for a in (aclient, other) for c in (a.get_async_httpx_client(), a._token_http)]

    assert asyncio.run(main()) == [True] * 4


def test_a_ready_token_is_used_until_refused_then_renewed(mock: InProcessMock) -> None:
    with client_for(mock) as first:
        issued = first.auth.token()
    with client_for(mock, token=issued, raise_for_errors=True) as client:
        list_workflow_tasks.sync(client=client)
        assert client.auth.exchanges == 0  # the given token, not a new one
    with client_for(mock, token="no-longer-valid", raise_for_errors=True) as client:
        list_workflow_tasks.sync(client=client)
        assert client.auth.exchanges == 1  # refused once, renewed with APPKey/APPSecret
    base = mock.base_url
    with airudder.Client(
        token="no-longer-valid", base_url=base, transport=mock.site.transport, raise_for_errors=True
    ) as alone:
        with pytest.raises(airudder.AuthenticationError):
            list_workflow_tasks.sync(client=alone)  # nothing to renew it with


def test_one_token_auth_serves_one_event_loop_after_another(mock: InProcessMock) -> None:
    clock = FakeClock()
    # no kept-alive connections: a pooled connection belongs to the loop that opened it (httpx's rule, not ours)
    no_pool = httpx.Limits(max_keepalive_connections=0)
    token_client = GeneratedClient(
        base_url=mock.base_url, httpx_args={"limits": no_pool, "transport": mock.async_transport()}
    )
    auth = airudder.TokenAuth(token_client=token_client, app_key=mock.app_key, app_secret=mock.app_secret, clock=clock)

    async def burst() -> list[int]:
        transport = mock.async_transport()
        async with httpx.AsyncClient(base_url=mock.base_url, auth=auth, limits=no_pool, transport=transport) as http:
            answers = await asyncio.gather(*(http.get("/service/cloud/workflow/instancelist") for _ in range(10)))
        return [a.status_code for a in answers]

    assert asyncio.run(burst()) == [200] * 10
    clock.now += 24 * HOUR  # the next loop's ten calls all wait for one renewal, on that loop's lock
    assert asyncio.run(burst()) == [200] * 10
    assert auth.exchanges == 2


def test_with_headers_keeps_the_token_flow(mock: InProcessMock) -> None:
    seen: list[httpx.Request] = []
    with client_for(mock, raise_for_errors=True) as client:
        assert client.with_headers({"X-Trace": "1"}).with_timeout(httpx.Timeout(10.0)) is client
        client.get_httpx_client().event_hooks["response"].append(lambda r: seen.append(r.request))
        assert list_workflow_tasks.sync(client=client) is not None
    assert seen[-1].headers["X-Trace"] == "1" and seen[-1].headers["Authorization"].startswith("Token ")


def test_an_own_http_client_without_a_base_url_gets_ours(mock: InProcessMock) -> None:
    own = httpx.Client(headers={"X-Own": "yes"}, transport=mock.site.transport)
    with client_for(mock, http_client=own, raise_for_errors=True) as client:
        assert client.get_httpx_client() is own
        assert list_workflow_tasks.sync(client=client) is not None
