"""The one request pipeline behind every generated resource method (`airudder/resources/`, by scripts/regenerate).

A resource method builds the generated call's arguments from its keywords and hands them here: the generated
`sync_detailed`/`asyncio_detailed` sends them (through the client's token flow, retries and typed errors), and the
answer's `data` comes back as the generated model, or its typed error is raised. In `with_raw_response` mode the
same call returns a `RawResponse` instead.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Awaitable, Callable, Mapping
from types import ModuleType
from typing import Any, ParamSpec, Self, TypeVar

import httpx

from airudder_api import Client as GeneratedClient
from airudder_api.models import ErrorEnvelope
from airudder_api.types import Response, Unset

from ._call_options import Call, CallOptions, Timeout, calling
from ._exceptions import UnexpectedResponseError, as_httpx, connection_error, error_for, json_body
from ._operations import OPERATIONS, Operation
from ._response import RawResponse
from .pagination import AsyncPage, SyncPage

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def operation_of(endpoint: ModuleType) -> Operation:
    """The spec's operation of a generated endpoint module (its module name is the operationId)."""
    return OPERATIONS[endpoint.__name__.rsplit(".", 1)[-1]]


def data_of(answer: Response[Any], operation: Operation) -> Any:
    """The `data` of a successful answer (the generated model), or the typed error of any other answer."""
    parsed = answer.parsed
    if (
        200 <= answer.status_code < 300
        and parsed is not None
        and not isinstance(parsed, ErrorEnvelope)
        and getattr(parsed, "code", 200) == 200
    ):
        data = getattr(parsed, "data", parsed)
        if data is not None and not isinstance(data, Unset):  # answer models read an absent `data` as None
            return data
    raise error_of(answer, operation)


def error_of(answer: Response[Any], operation: Operation) -> Exception:
    raw = as_httpx(answer, operation)
    return error_for(raw) or UnexpectedResponseError(
        "the answer holds no data", response=raw, code=None, operation=operation.operation_id, body=json_body(raw)
    )


Pager = TypeVar("Pager", SyncPage[Any], AsyncPage[Any])


def checked(pager: Pager, answer: Response[Any]) -> Pager:
    """A pager whose first page is `answer`, once that answer is known to be a success (else its typed error)."""
    data_of(answer, pager.operation)
    return pager


def raw_response(answer: Response[Any], operation: Operation, call: Call, parse: Callable[[], Any]) -> RawResponse[Any]:
    """The RawResponse of a call: the final httpx answer the token flow kept (or, should a caller's own auth
    have replaced ours, one rebuilt from the generated answer)."""
    http_response = call.response if call.response is not None else as_httpx(answer, operation)
    return RawResponse(http_response=http_response, operation=operation.operation_id, parse=parse)


def _unanswered(exc: httpx.TransportError) -> Exception:
    """A transport error from an http_client of the caller's own (ours raise APIConnectionError already)."""
    try:
        request = exc.request
    except RuntimeError:
        return exc
    return connection_error(request, exc)


class _Resource:
    """What the sync and async resources share: the client, and a raw-answer twin for `with_raw_response`."""

    _raw = False

    def __init__(self, client: GeneratedClient) -> None:
        self._client = client

    def _options(
        self, timeout: Timeout | None, max_retries: int | None, extra_headers: Mapping[str, str] | None
    ) -> CallOptions | None:
        """A call's options over its client's defaults (`with_options`); None when there are none."""
        defaults: CallOptions | None = getattr(self._client, "_call_defaults", None)
        given = CallOptions.of(timeout, max_retries, extra_headers)
        return defaults if given is None else given.over(defaults)

    def _as_raw(self) -> Self:
        raw = copy.copy(self)
        raw._raw = True
        return raw


class SyncAPIResource(_Resource):
    """Base of the generated sync resources: holds the client and sends through the generated functions."""

    def _call(self, endpoint: ModuleType, options: CallOptions | None, /, **kwargs: Any) -> Any:
        operation = operation_of(endpoint)
        if options is None and not self._raw:
            try:
                answer = endpoint.sync_detailed(client=self._client, **kwargs)
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
            return data_of(answer, operation)
        with calling(options) as call:
            try:
                answer = endpoint.sync_detailed(client=self._client, **kwargs)
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
        if self._raw:
            return raw_response(answer, operation, call, lambda: data_of(answer, operation))
        return data_of(answer, operation)

    def _page(
        self,
        endpoint: ModuleType,
        params: dict[str, Any],
        page_size: int | None,
        max_items: int | None,
        options: CallOptions | None,
    ) -> Any:
        pager: SyncPage[Any] = SyncPage(
            self._client, endpoint, params, page_size=page_size, max_items=max_items, options=options
        )
        if not self._raw:
            return pager
        with calling(options) as call:
            try:
                answer = pager.first_answer()
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
        return raw_response(answer, pager.operation, call, lambda: checked(pager.starting_with(answer), answer))


class AsyncAPIResource(_Resource):
    """Base of the generated asyncio resources."""

    async def _call(self, endpoint: ModuleType, options: CallOptions | None, /, **kwargs: Any) -> Any:
        operation = operation_of(endpoint)
        if options is None and not self._raw:
            try:
                answer = await endpoint.asyncio_detailed(client=self._client, **kwargs)
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
            return data_of(answer, operation)
        with calling(options) as call:
            try:
                answer = await endpoint.asyncio_detailed(client=self._client, **kwargs)
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
        if self._raw:
            return raw_response(answer, operation, call, lambda: data_of(answer, operation))
        return data_of(answer, operation)

    def _page(
        self,
        endpoint: ModuleType,
        params: dict[str, Any],
        page_size: int | None,
        max_items: int | None,
        options: CallOptions | None,
    ) -> Any:
        pager: AsyncPage[Any] = AsyncPage(
            self._client, endpoint, params, page_size=page_size, max_items=max_items, options=options
        )
        return self._first_page_raw(pager, options) if self._raw else pager

    async def _first_page_raw(self, pager: AsyncPage[Any], options: CallOptions | None) -> RawResponse[Any]:
        with calling(options) as call:
            try:
                answer = await pager.first_answer()
            except httpx.TransportError as exc:
                raise _unanswered(exc) from exc
        return raw_response(answer, pager.operation, call, lambda: checked(pager.starting_with(answer), answer))


def to_raw(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    """The same bound method of a resource, answering with the RawResponse (`with_raw_response.<method>`)."""
    owner: SyncAPIResource = method.__self__  # type: ignore[attr-defined]
    raw: Callable[P, RawResponse[R]] = getattr(owner._as_raw(), method.__name__)
    return raw


def to_raw_async(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[RawResponse[R]]]:
    owner: AsyncAPIResource = method.__self__  # type: ignore[attr-defined]
    raw: Callable[P, Awaitable[RawResponse[R]]] = getattr(owner._as_raw(), method.__name__)
    return raw


def to_raw_async_page(method: Callable[P, R]) -> Callable[P, Awaitable[RawResponse[R]]]:
    """An asyncio list method (which returns its AsyncPage at once) as a coroutine of its first page's answer."""
    owner: AsyncAPIResource = method.__self__  # type: ignore[attr-defined]
    raw: Callable[P, Awaitable[RawResponse[R]]] = getattr(owner._as_raw(), method.__name__)
    return raw
