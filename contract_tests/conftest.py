"""The target of the contract suite: the embedded mock server, or the live API when credentials are set.

Live: `AIRUDDER_BASE_URL`, `AIRUDDER_APP_KEY` and `AIRUDDER_APP_SECRET`. Read-only by default (GETs and the
POST queries the spec marks `x-idempotent`); `AIRUDDER_LIVE_WRITES=1` (`scripts/contract-test --live-writes`)
adds the operations that create tasks and place real calls. Rate-limited to 2 requests/s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis

from airudder import TokenAuth, _spec
from airudder_api import Client as GeneratedClient
from airudder_mock import MockConfig, running_mock

from . import drift

HERE = Path(__file__).resolve().parent
LIVE_VARIABLES = ("AIRUDDER_BASE_URL", "AIRUDDER_APP_KEY", "AIRUDDER_APP_SECRET")


@dataclass(frozen=True)
class Target:
    name: str
    base_url: str
    app_key: str
    app_secret: str

    @property
    def live(self) -> bool:
        return self.name == "live"


def live_requested() -> bool:
    return all(os.environ.get(name) for name in LIVE_VARIABLES)


def writes_allowed() -> bool:
    return os.environ.get("AIRUDDER_LIVE_WRITES") == "1"


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
def api_schema(target: Target) -> Any:
    config = schemathesis.Config.from_path(HERE / "schemathesis.toml")
    schema: schemathesis.BaseSchema = schemathesis.openapi.from_path(_spec.spec_path(), config=config)
    schema.config.update(base_url=target.base_url, rate_limit="2/s" if target.live else None)
    if target.live and not writes_allowed():
        read_only = [op.operation_id for op in _spec.operations().values() if op.idempotent]
        schema = schema.include(operation_id=[o for o in read_only if o != "get_token"])
    token_client = GeneratedClient(base_url=target.base_url).set_httpx_client(
        httpx.Client(base_url=target.base_url, timeout=30)
    )
    auth = TokenAuth(token_client=token_client, app_key=target.app_key, app_secret=target.app_secret)

    @schema.auth().skip_for(operation_id="get_token")
    class AIRudderToken:
        """Schemathesis takes its token from airudder's token flow, as a user's client would."""

        def get(self, case: Any, context: Any) -> str:
            return auth.token()

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    if target.name == "mock":
        seed_state(target, auth)
    return schema


def seed_state(target: Target, auth: TokenAuth) -> None:
    """Give the mock workflows with calls and WABA messages, so the stateful phase has real ids to follow."""
    headers = {"Authorization": f"Token {auth.token()}"}
    with httpx.Client(base_url=target.base_url, headers=headers, timeout=30) as http:
        for template_id in (1, 2, 4):
            body = {"workflow_template_id": template_id, "name": f"seed-{template_id}", "end_time": "2099-01-01"}
            http.post("/service/cloud/workflow/createinstance", json=body).raise_for_status()
        http.post("/_mock/clock", json={"advance": 3600}).raise_for_status()
