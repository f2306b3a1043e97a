"""Token auth as an httpx.Auth flow: exchange APPKey/APPSecret for a token, send `Authorization: Token ...`,
reuse it, renew it before its 24 h life ends and once when AIRudder says it is no longer valid.

The token call is the generated `get_token`; one exchange happens at a time (a lock, for threads and for
asyncio tasks alike), so 50 concurrent first calls make one token request.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from airudder_api import Client as GeneratedClient
from airudder_api.api.auth import get_token
from airudder_api.models import TokenData, TokenRequest, TokenResponse
from airudder_api.types import Response

from ._call_options import CURRENT
from ._exceptions import AuthenticationError, as_httpx, error_for, json_body, request_operation
from ._operations import OPERATIONS

TOKEN_LIFETIME = 24 * 3600.0
REFRESH_MARGIN = 3600.0


class Secret:
    """A string that does not show itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class TokenAuth(httpx.Auth):
    """Authorization for every AIRudder call but the token call itself.

    With `app_key`/`app_secret` it exchanges and renews tokens through `token_client` (a generated client on
    the same base URL). A ready `token` is sent until AIRudder refuses it; then it is renewed with
    `app_key`/`app_secret` when there are both, and otherwise the refusal is the answer.
    """

    def __init__(
        self,
        *,
        token_client: GeneratedClient | None,
        app_key: str | None = None,
        app_secret: str | None = None,
        token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not token and not (app_key and app_secret and token_client):
            raise ValueError("TokenAuth needs app_key and app_secret (and a token client), or a token")
        self._client = token_client
        self._app_key = app_key
        self._app_secret = Secret(app_secret) if app_secret else None
        self._token = Secret(token) if token else None
        # A ready token is used until AIRudder refuses it (its age is unknown); then, with APPKey/APPSecret, renewed.
        self._expires_at = float("inf") if token else 0.0
        self._clock = clock
        self._lock = threading.Lock()
        # One asyncio.Lock per event loop: a lock is bound to the loop it first waited in, and one client may be
        # used from several loops in turn (asyncio.run twice) or at once (one per thread).
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._async_locks_guard = threading.Lock()
        self.exchanges = 0
        """How many token requests this auth has made (observable single-flight)."""

    def __repr__(self) -> str:
        return f"TokenAuth(app_key={self._app_key!r}, token={'set' if self._token else 'none'})"

    def token(self) -> str:
        """The token to send now: the cached one, or a new one when there is none or it is near its end."""
        return self._current_sync()

    # httpx flows ------------------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's hook: the token on every request but the token call; renewed once on a 401. A resource call's
        options (headers, timeout, retries) go on its request here, and its final answer is kept for a raw answer."""
        if is_token_call(request):
            yield request
            return
        call = CURRENT.get()
        if call is not None:
            call.prepare(request)
        token = self._current_sync()
        response = yield authorized(request, token)
        response.read()
        if is_auth_failure(response) and self._renewable:
            response = yield authorized(request, self._current_sync(stale=token))
        if call is not None:
            call.response = response

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The asyncio side of `sync_auth_flow`."""
        if is_token_call(request):
            yield request
            return
        call = CURRENT.get()
        if call is not None:
            call.prepare(request)
        token = await self._current_async()
        response = yield authorized(request, token)
        await response.aread()
        if is_auth_failure(response) and self._renewable:
            response = yield authorized(request, await self._current_async(stale=token))
        if call is not None:
            call.response = response

    # the token ------------------------------------------------------------------------------------------------

    @property
    def _renewable(self) -> bool:
        return self._client is not None and bool(self._app_key) and self._app_secret is not None

    def _fresh(self, stale: str | None) -> str | None:
        """The cached token if it can still be used: not the one that just failed, not near its end."""
        if self._token is None or self._token.reveal() == stale:
            return None
        if self._renewable and self._clock() >= self._expires_at - REFRESH_MARGIN:
            return None
        return self._token.reveal()

    def _current_sync(self, stale: str | None = None) -> str:
        cached = self._fresh(stale)  # the usual case needs no lock: reading the cached token is atomic
        if cached is not None:
            return cached
        with self._lock:
            token = self._fresh(stale)
            if token is None:
                assert self._client is not None and self._app_key and self._app_secret
                body = TokenRequest(app_key=self._app_key, app_secret=self._app_secret.reveal())
                token = self._store(get_token.sync_detailed(client=self._client, body=body))
            return token

    async def _current_async(self, stale: str | None = None) -> str:
        cached = self._fresh(stale)
        if cached is not None:
            return cached
        async with self._loop_lock():
            token = self._fresh(stale)
            if token is None:
                assert self._client is not None and self._app_key and self._app_secret
                body = TokenRequest(app_key=self._app_key, app_secret=self._app_secret.reveal())
                token = self._store(await get_token.asyncio_detailed(client=self._client, body=body))
            return token

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._async_locks_guard:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock

    def _store(self, answer: Response[Any]) -> str:
        self.exchanges += 1
        issued = self._parse(answer)
        self._token, self._expires_at = Secret(issued), self._clock() + TOKEN_LIFETIME
        return issued

    @staticmethod
    def _parse(answer: Response[Any]) -> str:
        """The token of a token-call answer, or AuthenticationError saying why there is none."""
        response = as_httpx(answer, OPERATIONS["get_token"])
        parsed = answer.parsed
        if (
            isinstance(parsed, TokenResponse)
            and parsed.code == 200
            and isinstance(parsed.data, TokenData)
            and isinstance(parsed.data.token, str)
            and parsed.data.token
        ):
            return parsed.data.token
        error = error_for(response)
        # Only the envelope's own `status` text is quoted: a body that is not the envelope might hold a token.
        why = error.message if error and error.code is not None else "the answer holds no token"
        raise AuthenticationError(
            f"the token call failed (HTTP {answer.status_code}): {why}",
            response=response,
            code=error.code if error else None,
            operation="get_token",
            body=error.body if error and error.code is not None else None,
        )


def is_token_call(request: httpx.Request) -> bool:
    operation = request_operation(request)
    return operation is not None and operation.operation_id == "get_token"


def authorized(request: httpx.Request, token: str) -> httpx.Request:
    request.headers["Authorization"] = f"Token {token}"
    return request


def is_auth_failure(response: httpx.Response) -> bool:
    """HTTP 401, or an answer whose body says code 401 (AIRudder may answer HTTP 200 with it)."""
    if response.status_code == 401:
        return True
    body = json_body(response)
    return isinstance(body, dict) and body.get("code") == 401
