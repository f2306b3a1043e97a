"""The mock refuses what the spec refuses, naming the field and the expected form in words (never a regex); the
typed client gets the same refusal as a typed exception."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

import airudder
from airudder_mock import MockHandle

QUERY_IDS = "/service/cloud/workflow/detailinstances"
CREATE = "/service/cloud/workflow/createinstance"
DETAILS = "/service/cloud/workflow/taskdetail"
LIST = "/service/cloud/workflow/instancelist"
ZONED = "2022-12-12 12:34:56+07:00"


@pytest.fixture
def http(airudder_mock: MockHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=airudder_mock.base_url) as client:
        body = {"APPKey": airudder_mock.app_key, "APPSecret": airudder_mock.app_secret}
        token = client.post("/service/cloud/auth", json=body).json()["data"]["token"]
        client.headers["Authorization"] = f"Token {token}"
        yield client


def refusal(answer: httpx.Response) -> tuple[int, str, str]:
    [error] = answer.json()["data"]["errors"]
    return answer.status_code, error["field"], error["message"]


@pytest.mark.parametrize(
    ("method", "path", "request_", "field", "expected"),
    [
        ("POST", QUERY_IDS, {"json": {"callee": "abc", "start_time": ZONED, "end_time": ZONED}}, "body.callee",
         '"abc" is not a phone number in E.164 form: expected "+8613711112222"'),
        ("POST", QUERY_IDS, {"json": {"start_time": ZONED, "end_time": "2022-12-12 12:34:56"}}, "body.end_time",
         'is not a date and time with its time zone: expected "2022-12-12 12:34:56+07:00" or "2022-09-27T07:58:31Z"'),
        ("POST", CREATE, {"json": {"workflow_template_id": 1, "name": "n", "end_time": "2099-01-01"}},
         "body.end_time", 'expected "2022-12-12 12:34:56+07:00"'),
        ("GET", LIST, {"params": {"end_time": "2099-01-01 00:00:00"}}, "query.end_time",
         'expected "2022-12-12 12:34:56+07:00"'),
        ("GET", LIST, {"params": {"size": 0}}, "query.size", "less than the minimum of 1"),
        ("GET", LIST, {"params": {"size": 201}}, "query.size", "greater than the maximum of 200"),
        ("POST", DETAILS, {"json": {"callee": "0812"}}, "body.callee", 'expected "+8613711112222"'),
        ("POST", DETAILS, {"json": {"workflow_id": "w", "size": 201}}, "body.size", "200"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_the_expected_form_in_words(
    http: httpx.Client, method: str, path: str, request_: dict[str, object], field: str, expected: str
) -> None:
    status, named, message = refusal(http.request(method, path, **request_))  # type: ignore[arg-type]
    assert (status, named) == (400, field)
    assert expected in message and "^(?:" not in message and len(message) < 200


def test_taskdetail_of_an_unknown_workflow_is_404_as_elsewhere(http: httpx.Client) -> None:
    assert refusal(http.post(DETAILS, json={"workflow_id": "no-such-workflow"}))[:2] == (404, "body.workflow_id")


def test_the_client_raises_the_refusal_typed(airudder_mock: MockHandle) -> None:
    mock = airudder_mock
    with airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url) as client:
        with pytest.raises(airudder.BadRequestError) as bad:
            client.workflows.query_ids(callee="abc", start_time=ZONED, end_time=ZONED)
        assert bad.value.operation == "query_workflow_ids" and bad.value.errors[0]["field"] == "body.callee"
        with pytest.raises(airudder.NotFoundError) as missing:
            client.outbound_tasks.details(workflow_id="no-such-workflow")
        assert missing.value.errors[0]["field"] == "body.workflow_id"
