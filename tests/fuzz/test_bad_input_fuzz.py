"""Fuzzing both servers with bad bodies: no bad input ever gets a 5xx, and every refusal the application makes is
the `{data, status, code}` envelope naming the field at fault.

Hypothesis builds raw bodies (lone surrogates, NUL, numbers beyond any double or 64 bits, deep nesting, duplicate
keys, bytes that are not UTF-8, plain JSON) with every kind of Content-Type and sends them to every operation of
the mock (AIRudder's and the admin API) and every URL of the webhook receiver, in-process through their ASGI apps.
A short pass of raw requests through uvicorn follows: what its HTTP parser refuses gets its own plain-text 400 (the
list is in docs/refusals.md), everything else the envelope. Bounded in examples, never in time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import airudder_spec
from airudder import webhooks
from airudder.serving import ASGIAppTransport, serve
from airudder_mock import MockConfig, MockServer
from airudder_mock.router.admin import admin_spec
from tests.raw_http import exchange, parts

FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is a bug, never a flake
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
ADMIN_TOKEN = "fuzz-admin-token"
SECRET = "s3cret"
UVICORN_REFUSAL = b"Invalid HTTP request received."

FRAGMENTS = [
    b'"\\ud800"',
    b'"\\udfff tail"',
    b'"a\\u0000b"',
    b'"\x00"',
    b"1e400",
    b"-1e400",
    b"1e308",
    b"123456789012345678901234567890",
    b"-9223372036854775809",
    b"9223372036854775808",
    b"NaN",
    b"-Infinity",
    b'{"a": 1, "a": 2}',
    b'{"APPSecret": ["mock-app-secret"]}',
    b'"\xed\xa0\x80"',
    b"\xff\xfe",
    b"",
    b"[",
    b"{}",
]
CONTENT_TYPES = [
    None,
    "application/json",
    "application/json; charset=utf-8",
    "application/JSON",
    "application/vnd.airudder+json",
    "text/plain",
    "text/html",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "*/*",
    "",
    "json",
    "application/json; charset=latin-1",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


def spliced(value: Any, fragment: bytes, key: str) -> bytes:
    """A JSON object holding `value` and, under `key`, a fragment that is not (or not storable) JSON."""
    return b'{"v": %s, %s: %s}' % (json.dumps(value).encode(), json.dumps(key).encode(), fragment)


def nested(depth: int, as_object: bool) -> bytes:
    return b'{"a": ' * depth + b"1" + b"}" * depth if as_object else b"[" * depth + b"]" * depth


def duplicated(key: str, first: Any, second: Any, depth: int) -> bytes:
    inner = b"{%s: %s, %s: %s}" % (
        json.dumps(key).encode(),
        json.dumps(first).encode(),
        json.dumps(key).encode(),
        json.dumps(second).encode(),
    )
    return b'{"x": [' * depth + inner + b"]}" * depth


raw_bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.builds(spliced, json_values, st.sampled_from(FRAGMENTS), st.text(max_size=6)),
    st.builds(spliced, json_values, st.sampled_from(FRAGMENTS), st.sampled_from(["advance", "APPKey", "url", "name"])),
    st.sampled_from(FRAGMENTS),
    st.builds(nested, st.integers(1, 3000), st.booleans()),
    st.builds(duplicated, st.text(max_size=6), json_values, json_values, st.integers(0, 3)),
    st.binary(max_size=300),
)


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def mock_operations() -> list[tuple[str, str]]:
    found = [(o.method.upper(), o.path) for o in airudder_spec.operations().values()]
    for path, item in admin_spec()["paths"].items():
        found += [(method.upper(), path) for method in item if method in airudder_spec.HTTP_METHODS]
    return found


class Served:
    """An app reached in-process, with the headers a caller may send it."""

    def __init__(self, app: Any) -> None:
        self.transport = ASGIAppTransport(app)
        self.http = httpx.Client(base_url="http://fuzz.test", transport=self.transport, timeout=60)

    def close(self) -> None:
        self.http.close()
        self.transport.close()


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[Served, str]]:
    server = MockServer(MockConfig(admin_token=ADMIN_TOKEN))
    served = Served(server.app)
    auth = {"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"}
    token = served.http.post("/service/cloud/auth", json=auth).json()["data"]["token"]
    try:
        yield served, token
    finally:
        served.close()
        server.close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Served]:
    served = Served(webhooks.WebhookReceiver(secret=SECRET, max_body=64 * 1024).app)
    try:
        yield served
    finally:
        served.close()


def assert_answered_in_the_envelope(answer: httpx.Response, *, fieldless: tuple[int, ...] = ()) -> None:
    """No 5xx; a refusal is the envelope, its code the HTTP status, each error naming its field."""
    described = f"{answer.request.method} {answer.request.url.raw_path!r}: {answer.status_code} {answer.text[:300]}"
    assert answer.status_code < 500, described
    if answer.status_code < 400 or answer.request.method == "HEAD":
        return
    body = answer.json()
    assert set(body) >= {"data", "status", "code"} and body["code"] == answer.status_code, described
    if answer.status_code not in fieldless:
        errors = body["data"]["errors"]
        assert errors and all(isinstance(e["field"], str) and e["field"] for e in errors), described


def headers_of(content_type: str | None, authorization: str | bytes | None) -> dict[str, str | bytes]:
    headers: dict[str, str | bytes] = {"Content-Type": content_type} if content_type is not None else {}
    if authorization is not None:
        headers["Authorization"] = authorization
    return headers


@FUZZ
@given(
    operation=st.sampled_from(mock_operations()),
    path_value=st.sampled_from(["w1", "1", "%2F", "..", "%ED%A0%80", "a%00b", "x" * 300, "%FF"]),
    body=raw_bodies,
    content_type=st.sampled_from(["application/json"] * 8 + CONTENT_TYPES),  # mostly past the media type check
    who=st.sampled_from(["right"] * 8 + ["api", "admin", "none", "garbage"]),  # mostly past authentication
)
def test_no_bad_body_gets_a_5xx_from_the_mock(
    mock: tuple[Served, str],
    operation: tuple[str, str],
    path_value: str,
    body: bytes,
    content_type: str | None,
    who: str,
) -> None:
    served, token = mock
    method, path = operation
    if who == "right":
        who = "admin" if path.startswith("/_mock/") else "api"
    authorization = {
        "api": f"Token {token}",
        "admin": f"Bearer {ADMIN_TOKEN}",
        "none": None,
        "garbage": b"Bearer \x7f\xff",
    }[who]
    answer = served.http.request(
        method, fill(path, path_value), content=body, headers=headers_of(content_type, authorization)
    )
    assert_answered_in_the_envelope(answer)


@FUZZ
@given(
    target=st.sampled_from([f"/{SECRET}/{kind}" for kind in webhooks.kinds()] + [f"/{SECRET}", "/x/y", "/"]),
    method=st.sampled_from(["POST"] * 6 + ["GET", "PUT", "DELETE", "PATCH"]),
    body=raw_bodies,
    content_type=st.sampled_from(["application/json"] * 8 + CONTENT_TYPES),
    tail=st.sampled_from(["", "", "", "/", "/extra", "%2Fx", "?secret=x"]),
)
def test_no_bad_body_gets_a_5xx_from_the_receiver(
    receiver: Served, target: str, method: str, body: bytes, content_type: str | None, tail: str
) -> None:
    answer = receiver.http.request(method, target + tail, content=body, headers=headers_of(content_type, None))
    assert_answered_in_the_envelope(answer, fieldless=(403,))  # a 403 does not say why, on purpose


RAW_REQUESTS = [
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n"
    b'"\\ud800"  ',
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'5\r\n{"a":\r\n3\r\n1e4\r\n3\r\n00}\r\n0\r\n\r\n',
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\x00\x00\x00\x00",
    b"POST %(base)s%%2Fcall_completed HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    b"POST %(base)s/call_completed/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    b"GET %(base)s/call_completed HTTP/1.1\r\nHost: x\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST //%(base)s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"POST %(base)s/call_completed HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}",
    b"POST http://elsewhere%(base)s/call_completed HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n",
    b"POST %(base)s/call_completed HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Content-Length: 2\r\n\r\n{}",
    # what uvicorn's parser refuses before the application sees the request (docs/refusals.md)
    b"P@ST %(base)s HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST %(base)s/a\x01b HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST %(base)s/\xc3\xa9 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost x\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\nContent-Length: 0\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"POST %(base)s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
]


@pytest.mark.parametrize("server", ["mock", "receiver"])
def test_raw_requests_through_uvicorn_get_the_envelope_or_its_parsers_400(server: str) -> None:
    if server == "mock":
        app, base = MockServer(MockConfig()).app, b"/service/cloud/workflow"
    else:
        app, base = webhooks.WebhookReceiver(secret=SECRET, max_body=64 * 1024).app, f"/{SECRET}".encode()
    with serve(app) as base_url:
        for raw in RAW_REQUESTS:
            request = raw % {b"base": base}
            status, content_type, body = parts(exchange(base_url, request))
            assert status < 500, (request, status, body)
            if content_type.startswith(b"text/plain"):
                assert (status, body) == (400, UVICORN_REFUSAL), (request, status, body)
                continue
            if status >= 400:
                envelope = json.loads(body)
                assert envelope["code"] == status and set(envelope) == {"data", "status", "code"}, (request, body)
