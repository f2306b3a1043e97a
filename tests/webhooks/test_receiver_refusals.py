"""Every refusal of the receiver in the `{data, status, code}` envelope, and the source checks that cannot be
sidestepped: other methods and paths, no redirect carrying the secret, `%2F`, forged X-Forwarded-For, a declared
length over the limit with no body, duplicate keys, a Content-Type that is not JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from airudder import webhooks
from airudder_contract.webhook_cases import doc_examples
from tests.raw_http import exchange
from tests.webhooks.test_standalone import start

STATUS = doc_examples("workflow_status_changed")[0]
SECRET = "s3cret"


@pytest.fixture
def receiver() -> webhooks.WebhookReceiver:
    return webhooks.WebhookReceiver(secret=SECRET, max_body=64 * 1024)


@pytest.fixture
def url(receiver: webhooks.WebhookReceiver) -> Iterator[str]:
    with webhooks.running(receiver) as base:
        yield base


def envelope_of(answer: httpx.Response) -> dict[str, object]:
    body = answer.json()
    assert set(body) == {"data", "status", "code"} and body["code"] == answer.status_code, answer.text
    assert SECRET not in answer.text
    return body


def first_field(answer: httpx.Response) -> str:
    field: str = answer.json()["data"]["errors"][0]["field"]
    return field


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_a_method_other_than_post_is_a_405_in_the_envelope(url: str, method: str) -> None:
    answer = httpx.request(method, f"{url}/workflow_status_changed")
    assert answer.status_code == 405 and answer.headers["allow"] == "POST"
    if method != "HEAD":
        assert first_field(answer) == "method" and envelope_of(answer)


@pytest.mark.parametrize("tail", ["/workflow_status_changed/extra", "/workflow_status_changed/", "/"])
def test_paths_that_match_no_url_are_a_404_in_the_envelope_without_a_redirect(
    receiver: webhooks.WebhookReceiver, url: str, tail: str
) -> None:
    answer = httpx.post(url + tail, json=STATUS, headers={"Host": "attacker.example"}, follow_redirects=False)
    assert answer.status_code == 404 and first_field(answer) == "path" and envelope_of(answer)
    assert "location" not in answer.headers
    assert receiver.store.events() == []


def test_a_double_slash_and_an_asterisk_are_404s_in_the_envelope(url: str) -> None:
    for target in (f"//{SECRET}/workflow_status_changed".encode(), b"*"):
        answer = exchange(url, b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" % target)
        assert answer.startswith(b"HTTP/1.1 404"), answer
        body = json.loads(answer.partition(b"\r\n\r\n")[2])
        assert body["code"] == 404 and body["data"]["errors"][0]["field"] == "path"


@pytest.mark.parametrize("slash", ["%2F", "%2f"])
def test_an_encoded_slash_does_not_split_the_secret_from_the_kind(
    receiver: webhooks.WebhookReceiver, url: str, slash: str
) -> None:
    base = url.removesuffix(f"/{SECRET}")
    answer = httpx.post(f"{base}/{SECRET}{slash}workflow_status_changed", json=STATUS)
    assert answer.status_code in (403, 404) and envelope_of(answer)
    assert receiver.store.events() == []


def test_a_forged_x_forwarded_for_from_loopback_is_not_trusted_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    allowlisted = webhooks.WebhookReceiver(allowed_sources=["203.0.113.0/24"])
    forged = {"X-Forwarded-For": "203.0.113.9"}
    with webhooks.running(allowlisted) as base:
        answer = httpx.post(f"{base}/workflow_status_changed", json=STATUS, headers=forged)
    assert answer.status_code == 403 and envelope_of(answer)
    assert allowlisted.store.events() == []
    with webhooks.running(allowlisted, forwarded_allow_ips="127.0.0.1") as base:  # a proxy on loopback, opted in
        assert httpx.post(f"{base}/workflow_status_changed", json=STATUS, headers=forged).status_code == 200
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.0/8")
    with webhooks.running(allowlisted) as base:
        assert httpx.post(f"{base}/workflow_status_changed", json=STATUS, headers=forged).status_code == 200
    assert len(allowlisted.store.events()) == 1  # the second is the first's duplicate


def test_a_declared_length_over_the_limit_is_refused_before_any_body_comes(
    receiver: webhooks.WebhookReceiver,
) -> None:
    with webhooks.running(receiver, connection_timeout=120) as url:  # far beyond the socket's 30 s
        path = url.partition("//")[2].partition("/")[2]
        head = b"POST /%s/workflow_status_changed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" % (
            path.encode()
        )
        answer = exchange(url, head + b"Content-Length: 100000000\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413"), answer
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["data"]["errors"] == [{"field": "body", "message": "declares a length larger than 65536 bytes"}]
    assert [letter.field for letter in receiver.store.dead_letters()] == ["body"]


def test_a_key_given_twice_is_a_400_naming_it(receiver: webhooks.WebhookReceiver, url: str) -> None:
    body = json.dumps(STATUS).encode()[:-1] + b', "workflow_id": "other"}'
    answer = httpx.post(f"{url}/workflow_status_changed", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and envelope_of(answer)
    assert first_field(answer) == "body.workflow_id"
    assert receiver.store.events() == [] and len(receiver.store.dead_letters()) == 1


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_content_type_other_than_json_is_a_415(
    receiver: webhooks.WebhookReceiver, url: str, content_type: str
) -> None:
    answer = httpx.post(
        f"{url}/workflow_status_changed", content=json.dumps(STATUS), headers={"Content-Type": content_type}
    )
    assert answer.status_code == 415 and first_field(answer) == "header.Content-Type" and envelope_of(answer)
    assert receiver.store.events() == []
    assert [letter.field for letter in receiver.store.dead_letters()] == ["header.Content-Type"]


@pytest.mark.parametrize("content_type", [None, "application/json; charset=utf-8", "application/cloudevents+json"])
def test_json_content_types_and_none_are_taken(receiver: webhooks.WebhookReceiver, url: str, content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.post(f"{url}/workflow_status_changed", content=json.dumps(STATUS), headers=headers)
    assert answer.status_code == 200 and len(receiver.store.events()) == 1


def test_the_command_trusts_forwarded_headers_only_with_its_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    forged = {"X-Forwarded-For": "203.0.113.9"}
    answers = []
    for name, options in (("default", []), ("opted-in", ["--forwarded-allow-ips", "127.0.0.1"])):
        (tmp_path / name).mkdir()
        server, base = start(["--allow", "203.0.113.0/24", *options], tmp_path / name)
        try:
            answers.append(httpx.post(f"{base}/workflow_status_changed", json=STATUS, headers=forged).status_code)
        finally:
            server.terminate()
            server.wait(10)
    assert answers == [403, 200]
