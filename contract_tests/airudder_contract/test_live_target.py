"""The live API is tested only with credentials; without them this says so, and nothing pretends otherwise."""

from __future__ import annotations

import pytest

from . import report
from .target import Target, live_requested, live_skip_reason, token_auth, writes_allowed


def test_the_live_api_answers_our_token_flow(target: Target, request: pytest.FixtureRequest) -> None:
    report.cell(request.node, "live API", "token exchange")
    if not live_requested():
        pytest.skip(live_skip_reason())
    assert target.live
    with token_auth(target) as auth:
        assert auth.token()
    if not writes_allowed():
        print("live writes not tested: pass --live-writes to create tasks (they place real calls)")
