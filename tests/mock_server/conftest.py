"""The generated client, authenticated against the mock of each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airudder_api import AuthenticatedClient, Client
from airudder_api.api.auth import get_token
from airudder_api.models import TokenData, TokenRequest
from airudder_mock import MockHandle


@pytest.fixture
def api(airudder_mock: MockHandle) -> Iterator[AuthenticatedClient]:
    with Client(base_url=airudder_mock.base_url) as anonymous:
        issued = get_token.sync(
            client=anonymous,
            body=TokenRequest(app_key=airudder_mock.app_key, app_secret=airudder_mock.app_secret),
        )
    assert issued is not None and isinstance(issued.data, TokenData) and isinstance(issued.data.token, str)
    with AuthenticatedClient(base_url=airudder_mock.base_url, token=issued.data.token, prefix="Token") as client:
        yield client
