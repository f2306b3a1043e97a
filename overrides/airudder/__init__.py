"""airudder: the hand-written layer over the generated AIRudder Workflow client (`airudder_api`).

`Client`/`AsyncClient` are generated clients with token auth, retries and typed errors; `pagination` walks
paged operations; `webhooks` parses and receives AIRudder's notifications.
"""

from __future__ import annotations

from ._auth import TokenAuth
from ._client import AsyncClient, Client
from ._exceptions import (
    AIRudderError,
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from ._transport import RetryPolicy
from .pagination import apages, apaginate, pages, paginate

__all__ = [
    "AIRudderError",
    "APIError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "TokenAuth",
    "UnexpectedResponseError",
    "apages",
    "apaginate",
    "pages",
    "paginate",
]
