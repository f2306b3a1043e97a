"""airudder: the AIRudder Workflow client, over the generated one (`airudder_api`).

`Client`/`AsyncClient` carry one resource per spec tag (`client.workflows.create(...)`), with token auth, retries
and typed errors; list methods return typed, lazy `SyncPage`/`AsyncPage`s; `webhooks` parses and receives
AIRudder's notifications.
"""

from __future__ import annotations

from ._auth import TokenAuth
from ._client import AsyncClient, Client
from ._exceptions import (
    AIRudderError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from ._response import RawResponse
from ._times import NaiveDatetimeError
from ._transport import RetryPolicy
from ._version import __version__
from .pagination import AsyncPage, Page, SyncPage, apages, apaginate, pages, paginate

__all__ = [
    "AIRudderError",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "NaiveDatetimeError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RetryPolicy",
    "ServerError",
    "SyncPage",
    "TokenAuth",
    "UnexpectedResponseError",
    "__version__",
    "apages",
    "apaginate",
    "pages",
    "paginate",
]
