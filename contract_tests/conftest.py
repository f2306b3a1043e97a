"""Fixtures of the contract suite: the target (embedded mock, or the live API with credentials) and the schema.

What decides the target and how the schema is aimed at it is in `target.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airudder_mock import MockConfig, running_mock

from . import drift
from .target import Target, build_schema, live_requested, seed_state, token_auth, writes_allowed


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    if live_requested():
        env = os.environ
        yield Target("live", env["AIRUDDER_BASE_URL"], env["AIRUDDER_APP_KEY"], env["AIRUDDER_APP_SECRET"])
        drift.write(Path("reports") / "live-drift.md")
        return
    with running_mock(MockConfig(speed=0)) as mock:
        yield Target("mock", mock.base_url, mock.app_key, mock.app_secret)


@pytest.fixture(scope="session")
def api_schema(target: Target) -> Iterator[Any]:
    with token_auth(target) as auth:
        schema = build_schema(target, auth, writes=writes_allowed())
        if target.name == "mock":
            seed_state(target, auth)
        yield schema
