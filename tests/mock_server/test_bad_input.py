"""Bad input the mock must refuse with a 4xx in the `{data, status, code}` envelope naming the field, never a 5xx:
lone surrogates on every JSON operation, duplicate keys, `%2F` in a path, a trailing slash, and a mistyped secret
that must not reach the request log. And the `--db` file, which holds secrets, is its owner's alone."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

import httpx
import pytest

import airudder_spec
from airudder.serving import ASGIAppTransport
from airudder_mock import MockConfig, MockHandle, MockServer
from airudder_mock.router.admin import admin_spec

SURROGATES = [b'"\\ud800"', b'{"APPKey": "\\udfff"}', b'{"\\ud800": 1}', b'[{"a": {"\\udbff": "\\ud800"}}]']


def json_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation with a JSON body, AIRudder's and the admin API's, path ids filled in."""
    found = [(o.method, o.path) for o in airudder_spec.operations().values() if o.definition.get("requestBody")]
    for path, item in admin_spec()["paths"].items():
        found += [(method, path) for method, d in item.items() if "application/json" in str(d.get("requestBody"))]
    return [(method.upper(), re.sub(r"\{[^}]+\}", "w1", path)) for method, path in found]


def is_envelope(answer: httpx.Response) -> bool:
    body = answer.json()
    return set(body) >= {"data", "status", "code"} and body["code"] == answer.status_code


def token_of(mock: MockHandle) -> str:
    answer = httpx.post(
        f"{mock.base_url}/service/cloud/auth", json={"APPKey": mock.app_key, "APPSecret": mock.app_secret}
    )
    token: str = answer.json()["data"]["token"]
    return token


def test_a_lone_surrogate_is_a_400_naming_the_field_on_every_json_operation(airudder_mock: MockHandle) -> None:
    api = {"Authorization": f"Token {token_of(airudder_mock)}", "Content-Type": "application/json"}
    admin = {**api, **airudder_mock.admin_headers}
    operations = json_operations()
    assert ("POST", "/_mock/clock") in operations and ("POST", "/service/cloud/auth") in operations
    for method, path in operations:
        headers = admin if path.startswith("/_mock/") else api
        for body in SURROGATES:
            answer = httpx.request(method, airudder_mock.base_url + path, content=body, headers=headers)
            assert answer.status_code == 400, (method, path, body, answer.text)
            assert is_envelope(answer), answer.text
    answer = airudder_mock.admin.post("/clock", content=b'{"\\ud800": "\\ud800"}')
    errors = answer.json()["data"]["errors"]
    assert {"field": "body.\\ud800", "message": "contains a lone surrogate, which is not valid Unicode"} in errors


def test_a_key_given_twice_is_a_400_naming_it(airudder_mock: MockHandle) -> None:
    answer = httpx.post(
        f"{airudder_mock.base_url}/service/cloud/auth",
        content=b'{"APPKey": "mock-app-key", "APPSecret": "mock-app-secret", "APPKey": "other"}',
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and is_envelope(answer)
    assert answer.json()["data"]["errors"] == [
        {"field": "body.APPKey", "message": "is given more than once (each key of a JSON object must be unique)"}
    ]
    nested = airudder_mock.admin.post("/templates", content=b'{"t": [{"a": 1, "a": 1}]}')
    assert nested.json()["data"]["errors"][0]["field"] == "body.t.0.a"


@pytest.mark.parametrize("path", ["/_mock%2fstate", "/_mock%2Fstate", "/service%2Fcloud/auth", "/_mock/state/"])
def test_an_encoded_slash_or_a_trailing_slash_is_no_route_answered_in_the_envelope(
    airudder_mock: MockHandle, path: str
) -> None:
    answer = httpx.get(airudder_mock.base_url + path, follow_redirects=False)
    assert answer.status_code == 404 and is_envelope(answer), answer.text
    assert "location" not in answer.headers


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_mistyped_secret_is_never_in_the_request_log_nor_the_answer() -> None:
    # in-process: the app has logged its line when the transport hands the answer back
    lines, logger = Lines(), logging.getLogger("airudder_mock.requests")
    server, level = MockServer(MockConfig()), logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    transport = ASGIAppTransport(server.app)
    try:
        with httpx.Client(base_url="http://mock.test", transport=transport) as http:
            for secret in (["mock-app-secret"], {"value": "mock-app-secret"}, 12345678901):
                answer = http.post("/service/cloud/auth", json={"APPKey": "mock-app-key", "APPSecret": secret})
                assert answer.status_code == 400 and answer.json()["data"]["errors"][0]["field"] == "body.APPSecret"
                assert "mock-app-secret" not in answer.text and "12345678901" not in answer.text
    finally:
        transport.close()
        server.close()
        logger.removeHandler(lines)
        logger.setLevel(level)
    logged = "\n".join(lines.lines)
    assert "body.APPSecret: is not of type" in logged
    assert "mock-app-secret" not in logged and "12345678901" not in logged


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_db_file_and_its_companions_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite3"
    MockServer(MockConfig(db=str(db))).close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("mock.sqlite3")]
    assert db in files
    assert {p.name: mode_of(p) for p in files} == {p.name: 0o600 for p in files}


def test_an_existing_db_file_open_to_others_is_made_the_owners_only(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite3"
    MockServer(MockConfig(db=str(db))).close()
    os.chmod(db, 0o644)
    MockServer(MockConfig(db=str(db))).close()
    assert mode_of(db) == 0o600
