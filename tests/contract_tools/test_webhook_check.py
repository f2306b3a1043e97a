"""`scripts/contract-test --webhooks-to URL` passes a correct receiver and reports what a careless one gets wrong."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from airudder import webhooks
from airudder.serving import bound_socket, serve
from airudder_contract.webhook_check import check_receiver, main, passed, report


def test_our_receiver_passes_every_case() -> None:
    receiver = webhooks.WebhookReceiver()
    with serve(receiver.app) as base_url:
        outcomes = check_receiver(f"{base_url}/{{kind}}", per_kind=3)
    assert passed(outcomes), report(outcomes, "receiver")
    assert {o.kind for o in outcomes} == set(webhooks.kinds())
    for kind in webhooks.kinds():  # not vacuous: each kind got generated valid and invalid payloads, and junk
        cases = {o.case.rsplit(" #", 1)[0] for o in outcomes if o.kind == kind}
        assert {"generated valid", "generated invalid", "not JSON", "empty body"} <= cases, (kind, cases)
        assert {o.expected for o in outcomes if o.kind == kind} == {"2xx", "4xx"}


def test_a_receiver_that_takes_anything_fails_the_invalid_cases() -> None:
    async def anything(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({})

    app = Starlette(routes=[Route("/{kind}", anything, methods=["POST"])])
    with serve(app) as base_url:
        url = f"{base_url}/{{kind}}"
        outcomes = check_receiver(url, per_kind=2)
    failed = [o for o in outcomes if not o.passed]
    assert failed and {o.expected for o in failed} == {"4xx"} and all(o.status == 200 for o in failed)
    assert f"{len(outcomes) - len(failed)} passed, {len(failed)} failed" in report(outcomes, url)


def test_a_receiver_that_fails_on_junk_is_reported_and_exits_non_zero(tmp_path: Path) -> None:
    async def fragile(request: Request) -> JSONResponse:
        try:
            payload = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "boom"}, status_code=500)
        return JSONResponse({}, status_code=200 if isinstance(payload, dict) else 500)

    app = Starlette(routes=[Route("/{kind}", fragile, methods=["POST"])])
    with serve(app) as base_url:
        url = f"{base_url}/{{kind}}"
        result = CliRunner().invoke(main, [url, "--per-kind", "1", "--report", str(tmp_path / "r.md")])
    assert result.exit_code == 1, result.output
    text = (tmp_path / "r.md").read_text()
    assert "| 4xx | 500 |" in text and "| not JSON | 4xx | 500 |" in text and "| empty body | 4xx | 500 |" in text


def test_an_unreachable_receiver_fails_every_case() -> None:
    with bound_socket("127.0.0.1") as sock:  # bound, never listening: connections are refused
        outcomes = check_receiver(f"http://127.0.0.1:{sock.getsockname()[1]}/", per_kind=1, timeout=5)
    assert outcomes and not any(o.passed for o in outcomes)
    assert all(o.error and "ConnectError" in o.error for o in outcomes)


def test_no_case_sent_is_no_pass() -> None:
    assert not passed([])


def test_a_receiver_answering_a_status_change_with_an_envelope_fails_naming_the_kind_and_the_field() -> None:
    async def enveloped(request: Request) -> JSONResponse:  # the docs ask `{}` of a status change
        await request.body()
        return JSONResponse({"data": {"duplicate": False}, "status": "OK", "code": 200})

    app = Starlette(routes=[Route("/{kind}", enveloped, methods=["POST"])])
    with serve(app) as base_url:
        url = f"{base_url}/{{kind}}"
        outcomes = check_receiver(url, per_kind=1)
    wrong = [o for o in outcomes if o.expected == "2xx" and not o.passed]
    assert wrong and {o.kind for o in wrong} == {"workflow_status_changed"}  # the others take any JSON object
    named = (
        "answer body.code, answer body.data, answer body.status: not allowed in the answer to workflow_status_changed"
    )
    assert all((o.status, o.error) == (200, named) for o in wrong)
    text = report(outcomes, url)
    assert f"| workflow_status_changed | doc example | 2xx | 200 {named} |" in text
