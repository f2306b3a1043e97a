"""The live API is tested only with credentials; without them this says so, and nothing pretends otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import LIVE_VARIABLES, Target, live_requested, writes_allowed


def test_the_live_api_answers_our_token_flow(target: Target, record_property: Callable[[str, object], None]) -> None:
    record_property("contract", ("live API", "token exchange"))
    if not live_requested():
        pytest.skip(f"live API not tested: set {', '.join(LIVE_VARIABLES)} to run the suite against it")
    from airudder import TokenAuth
    from airudder_api import Client as GeneratedClient

    auth = TokenAuth(
        token_client=GeneratedClient(base_url=target.base_url), app_key=target.app_key, app_secret=target.app_secret
    )
    assert auth.token() and target.live
    if not writes_allowed():
        print("live writes not tested: pass --live-writes to create tasks (they place real calls)")
