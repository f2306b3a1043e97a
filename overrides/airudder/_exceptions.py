"""The exceptions the airudder package raises; every one of them is an AIRudderError.

AIRudder reports an outcome twice: in the HTTP status and in the body's `code` (an HTTP 200 can carry
`code: 401`). `error_for` maps both to one hierarchy, modelled on openai-python's `_exceptions`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import httpx

from ._operations import Operation, operation_for, response_validator

_OPERATION = "airudder.operation"


def request_operation(request: httpx.Request) -> Operation | None:
    """The spec's operation of a request, looked up once per request (the transport, the token flow and the
    error check all ask)."""
    try:
        found: Operation | None = request.extensions[_OPERATION]
    except KeyError:
        found = request.extensions[_OPERATION] = operation_for(request.method, request.url.path)
    return found


class AIRudderError(Exception):
    """Base class of every error raised by the airudder package."""


class APIConnectionError(AIRudderError):
    """No answer came: the connection could not be opened, broke, or (APITimeoutError) timed out.

    `operation` is the spec's operationId; `request_sent` says whether the request may have reached AIRudder. When it
    was not sent, retrying is safe; when it was, a write may have taken effect, and the message says how to check.
    """

    def __init__(self, message: str, *, request: httpx.Request, operation: str | None, request_sent: bool) -> None:
        super().__init__(message)
        self.message, self.request, self.operation, self.request_sent = message, request, operation, request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, waiting for a pooled connection, sending or waiting for the answer)."""


NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport failures that happen before any byte of the request leaves: nothing reached AIRudder."""


def connection_error(request: httpx.Request, exc: httpx.TransportError, attempts: int = 1) -> APIConnectionError:
    """The APIConnectionError (or APITimeoutError) of a request that got no answer, saying what a retry risks."""
    operation = request_operation(request)
    name = operation.operation_id if operation else None
    sent = not isinstance(exc, NOT_SENT)
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    failure = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if not sent:
        outcome = "the request was not sent, so nothing reached AIRudder: it is safe to retry"
    elif operation is None or operation.idempotent:
        outcome = "the request was sent, but it only reads: it is safe to retry"
    else:
        outcome = "the request was sent; " + _write_consequence(operation)
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if kind is APITimeoutError else "got no answer"
    return kind(
        f"{name or request.url.path}: {what}{tries} ({failure}); {outcome}",
        request=request,
        operation=name,
        request_sent=sent,
    )


def _write_consequence(operation: Operation) -> str:
    """What a write that may have reached AIRudder may have done, and how the spec says to check it."""
    name = operation.operation_id
    check = next(iter(operation.links.values()), None)
    if name.startswith("create_"):
        thing = name.removeprefix("create_").replace("_", " ")
        how = f"check with {check}" if check else "check"
        return f"the {thing} may exist: {how} before retrying"
    return "AIRudder may have acted on it: check its effect before retrying"


class APIError(AIRudderError):
    """AIRudder (or the mock) answered, and the answer is an error.

    `status_code` is the HTTP status, `code` the body's code (None when the body had none), `message` the body's
    `status` text, `operation` the spec's operationId, `errors` the field-level details when the body has them.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: int | None,
        operation: str | None,
        body: object,
        errors: list[dict[str, object]] | None = None,
    ) -> None:
        self.message, self.response, self.code, self.operation, self.body = message, response, code, operation, body
        self.status_code = response.status_code
        self._errors = errors
        details = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in self.errors)
        super().__init__(
            f"{operation or response.request.url.path}: HTTP {self.status_code}, code {code}: {message}"
            + (f" ({details})" if details else "")
        )

    @property
    def errors(self) -> list[dict[str, object]]:
        """Field-level problems (`[{"field": "query.size", "message": ...}]`), where the answer names them (or, for
        an answer that does not match the spec, where it does not)."""
        if self._errors is not None:
            return self._errors
        data = self.body.get("data") if isinstance(self.body, dict) else None
        found = data.get("errors") if isinstance(data, dict) else None
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


class BadRequestError(APIError):
    """400, 415, 422: the request does not conform; `errors` names the fields."""


class ConflictError(BadRequestError):
    """409: the request conflicts with the state it meets (a workflow no longer running, an end_time already past).

    A BadRequestError, so that an `except BadRequestError` written before it existed still catches it.
    """


class AuthenticationError(APIError):
    """401: no token, a wrong APPKey/APPSecret, or a token that expired and could not be renewed."""


class PermissionDeniedError(APIError):
    """403."""


class NotFoundError(APIError):
    """404: no such workflow, task, template, ..."""


class RateLimitError(APIError):
    """429; `retry_after` is the server's Retry-After in seconds, when it sent one."""

    @property
    def retry_after(self) -> float | None:
        """The Retry-After the server sent, in seconds (None when it sent none)."""
        return retry_after(self.response)


class ServerError(APIError):
    """5xx."""


class UnexpectedResponseError(APIError):
    """The answer is not the `{data, status, code}` envelope (a proxy's HTML page, an empty body, ...), or a
    success whose body does not match the spec's schema (`errors` names the field), which the generated parser
    would otherwise fail on with a bare KeyError or TypeError."""


BY_CODE: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    415: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
}


_NOT_JSON = object()


def json_body(response: httpx.Response) -> Any:
    """The decoded body (None when it is not JSON), decoded once per response for all the checks that need it.

    The generated parser then reads it through `response.json()`: on the `DecodedJSONResponse` the retrying
    transport returns, that is the value decoded here, so a page of 200 tasks is not decoded twice (a second
    `json.loads` cost about as much as all of airudder's own work).
    """
    cached = response.extensions.get("airudder.json", _NOT_JSON)
    if cached is _NOT_JSON:
        try:
            cached = json.loads(response.content)
        except ValueError:
            cached = None
        response.extensions["airudder.json"] = cached
    return cached


class DecodedJSONResponse(httpx.Response):
    """An httpx answer whose `json()` (without arguments) is the body `json_body` decoded once for every reader."""

    @classmethod
    def of(cls, response: httpx.Response, request: httpx.Request) -> DecodedJSONResponse:
        """A transport's answer to `request` (status, headers, unread body stream, extensions) as this class."""
        return cls(
            response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
            request=request,
        )

    def json(self, **kwargs: Any) -> Any:
        if not kwargs:
            decoded = json_body(self)
            if decoded is not None:  # None: not JSON, or JSON `null`; httpx's own decoding tells which
                return decoded
        return super().json(**kwargs)


def as_httpx(answer: Any, operation: Operation) -> httpx.Response:
    """A generated `Response` (status, headers, body) as the httpx answer to `operation`, for `error_for`."""
    return httpx.Response(
        int(answer.status_code),
        content=answer.content,
        headers=answer.headers,
        request=httpx.Request(operation.method.upper(), operation.path),
    )


def error_for(response: httpx.Response) -> APIError | None:
    """The error an answer stands for, or None when it is a success (HTTP 2xx and body code 200)."""
    body = json_body(response)
    operation = request_operation(response.request)
    name = operation.operation_id if operation else None
    if response.is_success and isinstance(body, dict) and body.get("code") == 200:
        return not_as_specified(response, body, name)
    if not isinstance(body, dict) or "code" not in body:
        if response.is_success and isinstance(body, dict):
            return None  # a webhook-style `{}` or an open object: nothing says it failed
        message = f"the body is not the AIRudder envelope: {response.content[:200]!r}"
        kind: type[APIError] = UnexpectedResponseError if response.is_success else by_status(response.status_code)
        return kind(message, response=response, code=None, operation=name, body=body)
    code = body["code"] if isinstance(body["code"], int) else None
    status = code if response.is_success and code is not None else response.status_code
    message = str(body.get("status", ""))
    return by_status(status)(message, response=response, code=code, operation=name, body=body)


def not_as_specified(response: httpx.Response, body: Any, operation: str | None) -> APIError | None:
    """An UnexpectedResponseError for a success whose body breaks the spec's response schema, or None.

    Validation is compiled once per operation and costs a small part of decoding the body (jsonschema-rs).
    """
    validator = response_validator(operation, response.status_code) if operation else None
    if validator is None or validator.is_valid(body):
        return None
    found: list[dict[str, object]] = [
        {"field": ".".join(map(str, e.instance_path)) or "body", "message": e.message[:300]}
        for e in validator.iter_errors(body)
    ]
    problems = found[:10]
    return UnexpectedResponseError(
        "the answer does not match the spec",
        response=response,
        code=200,
        operation=operation,
        body=body,
        errors=problems,
    )


def by_status(status: int) -> type[APIError]:
    if status in BY_CODE:
        return BY_CODE[status]
    if status >= 500:
        return ServerError
    return BadRequestError if 400 <= status < 500 else UnexpectedResponseError


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (the delay form; an HTTP-date is not used by AIRudder or the mock).

    A value that is not a finite number (`nan`, `inf`, a date) is ignored: None, as if there were none.
    """
    value = response.headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None
