"""A real PostgreSQL server for the store's tests, started once per session on demand.

Where none can start, the tests that need it skip with the reason, except in CI (CI=true or
AIRUDDER_REQUIRE_POSTGRES=1), where that is a failure: CI installs PostgreSQL, so a skip there hides a fault.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from support.postgres_cluster import Cluster, Unavailable, throwaway_cluster


def postgres_required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("AIRUDDER_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = "psycopg is not installed (pip install airudder-workflow[postgres])"
        pytest.fail(reason) if postgres_required() else pytest.skip(reason)
    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(throwaway_cluster())
        except Unavailable as exc:
            reason = f"no PostgreSQL server could start: {exc}"
            pytest.fail(reason) if postgres_required() else pytest.skip(reason)
        yield cluster


@pytest.fixture
def postgres_url(postgres: Cluster) -> str:
    """A fresh, empty database of the session's server."""
    return postgres.create_database(f"t_{uuid.uuid4().hex[:12]}")
