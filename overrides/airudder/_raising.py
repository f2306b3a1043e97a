"""Typed errors, opt-in: an httpx.Auth that wraps the token flow and raises the typed error of the final answer.

It has to sit in the auth flow, not in a response hook: hooks see every answer, including the 401 that the
token flow is about to recover from by renewing the token.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator

import httpx

from ._exceptions import error_for


class RaiseForErrors(httpx.Auth):
    def __init__(self, inner: httpx.Auth) -> None:
        self.inner = inner

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        outgoing = next(flow)
        while True:
            response = yield outgoing
            try:
                outgoing = flow.send(response)
            except StopIteration:
                break
        response.read()
        raise_for(response)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self.inner.async_auth_flow(request)
        outgoing = await flow.__anext__()
        while True:
            response = yield outgoing
            try:
                outgoing = await flow.asend(response)
            except StopAsyncIteration:
                break
        await response.aread()
        raise_for(response)


def raise_for(response: httpx.Response) -> None:
    error = error_for(response)
    if error is not None:
        raise error
