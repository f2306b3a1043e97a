"""Fixtures of the contract suite: the target (embedded mock, or the live API with credentials) and the schema.

What decides the target and how the schema is aimed at it is in `target.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from airudder import TokenAuth
from airudder_mock import MockConfig, running_mock

from . import drift, mock_setup
from .target import Target, build_schema, live_requested, report_dir, token_auth, writes_allowed

# recorded answers are checked only when there are some (`--recordings DIR`)
collect_ignore = [] if os.environ.get("AIRUDDER_CONTRACT_RECORDINGS") else ["test_recorded_answers.py"]


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    if live_requested():
        env = os.environ
        yield Target("live", env["AIRUDDER_BASE_URL"], env["AIRUDDER_APP_KEY"], env["AIRUDDER_APP_SECRET"])
        drift.write(report_dir() / "live-drift.md")
        return
    with running_mock(MockConfig(speed=0)) as mock:
        yield Target("mock", mock.base_url, mock.app_key, mock.app_secret, mock.admin_token)


@pytest.fixture(scope="session")
def auth(target: Target) -> Iterator[TokenAuth]:
    with token_auth(target) as flow:
        yield flow


@pytest.fixture(scope="session")
def known(target: Target, auth: TokenAuth) -> mock_setup.Known | None:
    """On the embedded mock, or an airudder-mock given as --base-url with --mock-setup: the set-up that makes the
    linked resources exist (None elsewhere: other servers are not changed by the suite beyond --live-writes)."""
    if target.name == "mock" or mock_setup.requested():
        return mock_setup.prepare(target, auth)
    return None


@pytest.fixture(scope="session")
def api_schema(target: Target, auth: TokenAuth, known: mock_setup.Known | None) -> Any:
    return build_schema(target, auth, writes=writes_allowed())
