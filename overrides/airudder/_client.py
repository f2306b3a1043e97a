"""`airudder.Client` and `airudder.AsyncClient`: one resource per spec tag, and ready for every generated function.

    client = airudder.Client()          # AIRUDDER_APP_KEY, AIRUDDER_APP_SECRET, AIRUDDER_BASE_URL
    for task in client.workflows.list():
        ...
    list_workflow_tasks.sync(client=client, size=200)      # the generated functions take it too

Each is an `airudder_api.Client` whose httpx client carries the token flow, the retrying transport and typed
errors (raised by default; `raise_for_errors=False` leaves the generated functions' error answers as they are).
The resources (`client.workflows`, ...) are generated from the spec by scripts/regenerate (`resources/`).
"""

from __future__ import annotations

import copy
import os
from typing import Any, Self

import httpx

from airudder_api import Client as GeneratedClient

from ._auth import TokenAuth
from ._call_options import CallOptions
from ._raising import RaiseForErrors
from ._resource import AsyncAPIResource, SyncAPIResource
from ._transport import AsyncRetryTransport, RetryPolicy, RetryTransport
from ._version import CLIENT_VERSION
from .resources import AsyncResources, SyncResources

DEFAULT_BASE_URL = "https://api.airudder.com"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# The docs give the User-Agent one value, `Airudder`, and never show it with more: the version goes in a header
# of its own rather than risk a User-Agent AIRudder does not expect (see docs/client.md).
HEADERS = {"User-Agent": "Airudder", "Content-Type": "application/json", "X-Client-Version": CLIENT_VERSION}


class _Settings:
    """Arguments, then the environment: what a client is built from, and the parts both clients build alike."""

    def __init__(
        self,
        app_key: str | None,
        app_secret: str | None,
        token: str | None,
        base_url: str | None,
        timeout: httpx.Timeout | float,
    ) -> None:
        self.app_key = app_key or os.environ.get("AIRUDDER_APP_KEY") or None
        self.app_secret = app_secret or os.environ.get("AIRUDDER_APP_SECRET") or None
        self.token = token
        self.base_url = (base_url or os.environ.get("AIRUDDER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        if not self.token and not (self.app_key and self.app_secret):
            raise ValueError(
                "airudder needs credentials: app_key and app_secret (or AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET), "
                "or a ready token"
            )

    def httpx_options(self, transport: Any) -> dict[str, Any]:
        return {"base_url": self.base_url, "timeout": self.timeout, "transport": transport, "headers": HEADERS}

    def adopt(self, http_client: httpx.Client | httpx.AsyncClient) -> None:
        """A caller's own httpx client without a base URL gets ours (the generated functions send relative paths)."""
        if not str(http_client.base_url):
            http_client.base_url = httpx.URL(self.base_url)

    def token_auth(self, token_client: GeneratedClient) -> TokenAuth:
        return TokenAuth(token_client=token_client, app_key=self.app_key, app_secret=self.app_secret, token=self.token)


class _Configurable(GeneratedClient):
    """The generated `with_headers`/`with_cookies`/`with_timeout`, made to work on an airudder client.

    The generated ones return an `attrs.evolve` copy, which cannot be built from our arguments and would not carry
    the token flow or retries; these change the httpx client in use and return the same client.
    """

    _call_defaults: CallOptions | None = None

    def _in_use(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    def with_options(self, *, timeout: float | httpx.Timeout | None = None, max_retries: int | None = None) -> Self:
        """A copy of this client whose resource calls take `timeout` and `max_retries` unless a call gives its own.

        The copy shares this client's connection pool, token and headers (closing either closes both); this
        client is unchanged. `client.with_options(max_retries=0).workflows.create(...)` is one call without retries.
        """
        given = CallOptions.of(timeout, max_retries, None)
        clone = copy.copy(self)  # the generated client's fields (attrs slots: its copy leaves out our attributes)
        vars(clone).update(
            # our attributes but the resources cached on this client: the copy makes its own
            (name, value)
            for name, value in vars(self).items()
            if not isinstance(value, SyncAPIResource | AsyncAPIResource)
        )
        clone._call_defaults = given.over(self._call_defaults) if given else self._call_defaults
        return clone

    def with_headers(self, headers: dict[str, str]) -> Self:
        """Add `headers` to every later request of THIS client (changed in place, not copied); returns it."""
        self._in_use().headers.update(headers)
        return self

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """Add `cookies` to every later request of THIS client (changed in place, not copied); returns it."""
        self._in_use().cookies.update(cookies)
        return self

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """Use `timeout` for every later request of THIS client (changed in place, not copied); returns it."""
        self._in_use().timeout = timeout
        return self


class Client(_Configurable, SyncResources):
    """The client: one resource per spec tag (`client.workflows`, ...), token auth, retries, timeouts, logging and
    typed errors; also a generated client, for the generated functions."""

    def __init__(
        self,
        *,
        app_key: str | None = None,
        app_secret: str | None = None,
        token: str | None = None,
        base_url: str | None = None,
        http_client: httpx.Client | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retries: RetryPolicy | None = None,
        raise_for_errors: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        settings = _Settings(app_key, app_secret, token, base_url, timeout)
        super().__init__(base_url=settings.base_url, timeout=settings.timeout)
        sender = RetryTransport(transport or httpx.HTTPTransport(), retries)
        self._token_http = httpx.Client(**settings.httpx_options(sender))
        self.auth = settings.token_auth(GeneratedClient(base_url=settings.base_url).set_httpx_client(self._token_http))
        http_client = http_client or httpx.Client(**settings.httpx_options(sender))
        settings.adopt(http_client)
        http_client.auth = RaiseForErrors(self.auth) if raise_for_errors else self.auth
        self.set_httpx_client(http_client)

    def _in_use(self) -> httpx.Client:
        return self.get_httpx_client()

    def close(self) -> None:
        """Close the httpx client in use and the one the token exchange goes through."""
        try:
            self.get_httpx_client().close()
        finally:
            self._token_http.close()

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._token_http.close()


class AsyncClient(_Configurable, AsyncResources):
    """The asyncio twin of `Client` (`await client.workflows.create(...)`; the generated `asyncio*` functions)."""

    def __init__(
        self,
        *,
        app_key: str | None = None,
        app_secret: str | None = None,
        token: str | None = None,
        base_url: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retries: RetryPolicy | None = None,
        raise_for_errors: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        settings = _Settings(app_key, app_secret, token, base_url, timeout)
        super().__init__(base_url=settings.base_url, timeout=settings.timeout)
        sender = AsyncRetryTransport(transport or httpx.AsyncHTTPTransport(), retries)
        self._token_http = httpx.AsyncClient(**settings.httpx_options(sender))
        self.auth = settings.token_auth(
            GeneratedClient(base_url=settings.base_url).set_async_httpx_client(self._token_http)
        )
        http_client = http_client or httpx.AsyncClient(**settings.httpx_options(sender))
        settings.adopt(http_client)
        http_client.auth = RaiseForErrors(self.auth) if raise_for_errors else self.auth
        self.set_async_httpx_client(http_client)

    def _in_use(self) -> httpx.AsyncClient:
        return self.get_async_httpx_client()

    async def aclose(self) -> None:
        """Close the httpx client in use and the one the token exchange goes through."""
        try:
            await self.get_async_httpx_client().aclose()
        finally:
            await self._token_http.aclose()

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        try:
            await super().__aexit__(*args, **kwargs)
        finally:
            await self._token_http.aclose()
