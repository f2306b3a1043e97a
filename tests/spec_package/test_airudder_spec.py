"""airudder_spec: one spec, one `$ref` registry, one strict JSON decoder, one envelope, for every part."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]


def test_operations_are_indexed_by_id_and_by_route_with_their_extensions() -> None:
    tasks = airudder_spec.operations()["list_workflow_tasks"]
    assert airudder_spec.routes()[("GET", tasks.path)] is tasks
    assert tasks.extensions["x-pagination"] == tasks.pagination
    assert tasks.idempotent and tasks.secured
    assert not airudder_spec.operations()["get_token"].secured


def test_references_resolve_in_the_one_registry() -> None:
    parameters = {p.name: p for p in airudder_spec.operations()["list_workflow_tasks"].parameters()}
    page = parameters["page"]
    assert page.schema_pointer.startswith("/components/parameters/")  # the `$ref` was followed
    assert page.validator.is_valid(1) and not page.validator.is_valid("one")
    envelope = airudder_spec.resolve({"$ref": "#/components/schemas/Envelope"})
    assert envelope == airudder_spec.schema("Envelope")
    with pytest.raises(ValueError, match="not a reference into the spec"):
        airudder_spec.resolve({"$ref": "https://elsewhere.example/schema.json"})


def test_the_answer_schema_is_found_by_exact_status_then_range() -> None:
    assert airudder_spec.response_key({"200": {}, "4XX": {}}, 404) == "4XX"
    assert airudder_spec.response_key({"200": {}, "default": {}}, 503) == "default"
    assert airudder_spec.response_key({"200": {}}, 500) is None
    token = airudder_spec.response_validator("get_token", 200)
    assert token is not None
    assert token.is_valid({"data": {"token": "t0k3n"}, "status": "OK", "code": 200})
    assert not token.is_valid({"data": {"token": 1}, "status": "OK", "code": 200})  # TokenData, through its $ref


def test_each_webhook_kind_names_its_schema_and_model() -> None:
    kinds = airudder_spec.webhook_kinds()
    assert "workflow_status_changed" in kinds
    for kind in kinds:
        name = airudder_spec.webhook_model_name(kind)
        assert airudder_spec.webhook_schema(kind) is airudder_spec.schema(name)
        assert airudder_spec.webhook_validator(kind) is airudder_spec.validator(name)


def test_each_webhook_kind_gives_the_answer_airudder_expects_back() -> None:
    status = airudder_spec.webhook_answer_validator("workflow_status_changed")
    assert airudder_spec.webhook_answer_schema("workflow_status_changed") == {
        "$ref": "#/components/schemas/EmptyObject"
    }
    assert status is not None and status.is_valid({}) and not status.is_valid(airudder_spec.answer(None))
    for kind in airudder_spec.webhook_kinds():  # the others are assumed to take any JSON object (WebhookAccepted)
        answer = airudder_spec.webhook_answer_validator(kind)
        assert answer is not None and answer.is_valid({}) and not answer.is_valid([])
    assert airudder_spec.webhook_answer_validator("call_completed").is_valid(airudder_spec.answer(None))  # type: ignore[union-attr]
    with pytest.raises(KeyError, match="no webhook"):
        airudder_spec.webhook_answer_schema("nonesuch")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is empty"),
        (b"{", "is not valid JSON"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b"[Infinity]", "Infinity is not a JSON value"),
        (b"\xff", "is not valid JSON"),
        (b"[" * 101 + b"]" * 101, "nests deeper than 100 levels"),
        (b"[" * 100_000 + b"]" * 100_000, "nests deeper than 100 levels"),
    ],
)
def test_the_decoder_refuses_what_is_not_strict_json(raw: bytes, message: str) -> None:
    with pytest.raises(airudder_spec.JSONProblem, match=message):
        airudder_spec.decode(raw)


def test_the_decoder_takes_json_up_to_the_depth_limit() -> None:
    assert airudder_spec.decode(b"[" * 100 + b"]" * 100) is not None
    assert airudder_spec.decode(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


def test_what_cannot_be_stored_is_named_by_path() -> None:
    body = json.loads('{"big": 99999999999999999999, "far": 1e400, "text": ["ok", "\\ud800"], "\\udfff": 1}')
    assert airudder_spec.unstorable(body) == [
        {"field": "body.big", "message": "is out of the 64-bit integer range"},
        {"field": "body.far", "message": "is out of the double range"},
        {"field": "body.text.1", "message": "contains a lone surrogate, which is not valid Unicode"},
        {"field": "body", "message": "contains a lone surrogate, which is not valid Unicode"},
    ]
    assert airudder_spec.unstorable({"n": 2**63 - 1, "ok": True, "x": -(2**63), "f": 1.5e18}) == []
    # the spec's open values are numbers within the 64-bit range, floats too
    assert airudder_spec.unstorable({"f": 1e300}) == [
        {"field": "body.f", "message": "is out of the 64-bit integer range"}
    ]


def test_the_envelope_carries_the_code_and_the_fields_at_fault() -> None:
    assert airudder_spec.answer({"id": 1}) == {"data": {"id": 1}, "status": "OK", "code": 200}
    problems = [{"field": "query.size", "message": "is too large"}]
    assert airudder_spec.error(400, problems) == {
        "data": {"errors": problems},
        "status": "Bad Request",
        "code": 400,
    }
    assert airudder_spec.error(413, status="Payload Too Large")["status"] == "Payload Too Large"
    assert airudder_spec.error(404)["data"] is None


def test_the_wheel_ships_the_spec_inside_airudder_spec(tmp_path: Path) -> None:
    # hatchling's PEP 517 hook, as pip calls it
    build = "import sys, hatchling.build; print(hatchling.build.build_wheel(sys.argv[1]))"
    built = subprocess.run(
        [sys.executable, "-c", build, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    wheel = tmp_path / built.stdout.split()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert {"airudder_spec/__init__.py", "airudder_spec/openapi.yaml", "airudder_spec/py.typed"} <= names
    probe = "import airudder_spec; print(airudder_spec.spec_path()); print(len(airudder_spec.operations()))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert out[0] == str(tmp_path / "site" / "airudder_spec" / "openapi.yaml")
    assert int(out[1]) == len(airudder_spec.operations())


def test_the_clients_baked_in_table_agrees_with_the_spec() -> None:
    from airudder_api.spec_table import DOCUMENT, OPERATIONS, WEBHOOKS

    assert set(OPERATIONS) == set(airudder_spec.operations())
    baked = airudder_spec.Schemas(DOCUMENT)
    for operation_id, operation in airudder_spec.operations().items():
        row = OPERATIONS[operation_id]
        assert (row.method, row.path, row.idempotent, row.pagination) == (
            operation.method,
            operation.path,
            operation.idempotent,
            operation.pagination,
        )
        for status in (200, 201, 404, 503):
            location = operation.response_pointer(status)
            assert row.response_pointer(status) == location
            if location is not None:
                assert baked.at(location) == airudder_spec.at(location)
    assert airudder_spec.webhook_schemas() == WEBHOOKS


def test_importing_and_using_the_client_parses_no_yaml() -> None:
    probe = """
import sys, httpx, airudder, airudder.webhooks
from airudder_api.api.workflows import list_workflow_tasks
def answer(request):
    if request.url.path == "/service/cloud/auth":
        return httpx.Response(200, json={"data": {"token": "t"}, "status": "OK", "code": 200})
    return httpx.Response(200, json={"data": {"lists": [], "count": 0}, "status": "OK", "code": 200})
client = airudder.Client(base_url="http://mock", app_key="k", app_secret="s", transport=httpx.MockTransport(answer))
assert list(airudder.paginate(list_workflow_tasks, client=client, start_time="2024-01-01T00:00:00Z")) == []
airudder.webhooks.parse(None, b'{"workflow_id": "w", "workflow_name": "n", "status": "finished", "actions": []}')
print("yaml" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
