"""The admin API's token: required when the mock has one (the handle and the fixture always make one up), refused
in the envelope naming the header without it, never needed for the recordings API clients are given; `serve`
will not expose an open admin API beyond loopback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from airudder.serving import ASGIAppTransport
from airudder_mock import MockConfig, MockHandle, MockServer
from airudder_mock import cli as mock_cli


def refusal(answer: httpx.Response) -> dict[str, Any]:
    body = answer.json()
    assert answer.status_code == 401 and body["code"] == 401, answer.text
    problem: dict[str, Any] = body["data"]["errors"][0]
    return problem


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/_mock/state"), ("POST", "/_mock/credentials"), ("PUT", "/_mock/faults"), ("POST", "/_mock/reset")],
)
def test_without_the_token_the_admin_api_refuses_with_401_naming_the_header(
    airudder_mock: MockHandle, method: str, path: str
) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Token {airudder_mock.admin_token}"}):
        answer = httpx.request(method, airudder_mock.base_url + path, headers=headers, json={})
        assert refusal(answer)["field"] == "header.Authorization"
        assert airudder_mock.admin_token not in answer.text


def test_the_handle_sends_its_token_and_a_client_of_ones_own_can(airudder_mock: MockHandle) -> None:
    assert len(airudder_mock.admin_token) >= 24
    assert airudder_mock.admin.get("/clock").status_code == 200
    with httpx.Client(base_url=airudder_mock.base_url, headers=airudder_mock.admin_headers) as own:
        assert own.get("/_mock/state").status_code == 200
    headers = {"Authorization": f"bearer {airudder_mock.admin_token}"}  # the scheme's case does not matter
    assert httpx.get(f"{airudder_mock.base_url}/_mock/clock", headers=headers).status_code == 200


def test_the_recordings_api_clients_are_given_need_no_token(airudder_mock: MockHandle) -> None:
    auth = {"APPKey": airudder_mock.app_key, "APPSecret": airudder_mock.app_secret}
    with httpx.Client(base_url=airudder_mock.base_url) as http:
        token = http.post("/service/cloud/auth", json=auth).json()["data"]["token"]
        body = {"workflow_template_id": 1, "name": "n", "end_time": "2099-01-01T00:00:00Z"}
        http.post("/service/cloud/workflow/createinstance", json=body, headers={"Authorization": f"Token {token}"})
        airudder_mock.advance(7200)
        calls = airudder_mock.admin.get("/state").json()["calls"]
        recorded = [call["call_id"] for call in calls if call["recording"]]
        assert recorded, calls
        answer = http.get(f"/_mock/recordings/{recorded[0]}.wav")
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/wav"


def test_a_mock_made_without_a_token_has_an_open_admin_api() -> None:
    server = MockServer(MockConfig())
    transport = ASGIAppTransport(server.app)
    try:
        with httpx.Client(base_url="http://mock.test", transport=transport) as http:
            assert http.get("/_mock/clock").status_code == 200
    finally:
        transport.close()
        server.close()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[MockServer]:
    """`serve` runs up to serving; what it would serve is kept here instead."""
    served: list[MockServer] = []
    monkeypatch.setattr(mock_cli, "run", lambda mock, *args, **kwargs: served.append(mock))
    monkeypatch.setattr(mock_cli.console, "show", lambda quiet=False: None)  # no console handlers left behind
    monkeypatch.delenv(mock_cli.ADMIN_TOKEN_VARIABLE, raising=False)
    return served


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "mock.internal"])
def test_serve_refuses_a_host_beyond_loopback_without_a_token(started: list[MockServer], host: str) -> None:
    result = CliRunner().invoke(mock_cli.main, ["serve", "--host", host, "--quiet"])
    assert result.exit_code == 2 and "--admin-token" in result.output and "--insecure-admin" in result.output
    assert started == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_serve_on_loopback_needs_no_token(started: list[MockServer], host: str) -> None:
    result = CliRunner().invoke(mock_cli.main, ["serve", "--host", host, "--quiet"])
    assert result.exit_code == 0, result.output
    assert [mock.config.admin_token for mock in started] == [None]


def test_serve_takes_the_token_from_the_option_or_the_variable(started: list[MockServer]) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(mock_cli.main, ["serve", "--host", "0.0.0.0", "--admin-token", "t0ken", "--quiet"]).exit_code == 0
    )
    variable = {mock_cli.ADMIN_TOKEN_VARIABLE: "fr0m-env"}
    assert runner.invoke(mock_cli.main, ["serve", "--host", "0.0.0.0", "--quiet"], env=variable).exit_code == 0
    assert runner.invoke(mock_cli.main, ["serve", "--host", "0.0.0.0", "--insecure-admin", "--quiet"]).exit_code == 0
    assert [mock.config.admin_token for mock in started] == ["t0ken", "fr0m-env", None]
    refused = runner.invoke(mock_cli.main, ["serve", "--admin-token", " ", "--quiet"])
    assert refused.exit_code == 2


def test_the_token_guards_a_served_mock_in_process() -> None:
    server = MockServer(MockConfig(admin_token="s3cret-token"))
    transport = ASGIAppTransport(server.app)
    try:
        with httpx.Client(base_url="http://mock.test", transport=transport) as http:
            assert refusal(http.get("/_mock/clock"))["field"] == "header.Authorization"
            assert http.get("/_mock/clock", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    finally:
        transport.close()
        server.close()
