"""`scripts/contract-test --webhooks-to URL` passes a correct receiver and reports what a careless one gets wrong."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from airudder import webhooks
from airudder_mock.server import bound_socket, serving
from contract_tests.webhook_check import check_receiver, report


def test_our_receiver_passes_every_case() -> None:
    receiver = webhooks.WebhookReceiver()
    with bound_socket("127.0.0.1") as sock, serving(receiver.app, sock):
        outcomes = check_receiver(f"http://127.0.0.1:{sock.getsockname()[1]}/{{kind}}", per_kind=3)
    assert outcomes and all(o.passed for o in outcomes), report(outcomes, "receiver")
    assert {o.kind for o in outcomes} == set(webhooks.kinds())


def test_a_receiver_that_takes_anything_fails_the_invalid_cases() -> None:
    async def anything(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({})

    app = Starlette(routes=[Route("/{kind}", anything, methods=["POST"])])
    with bound_socket("127.0.0.1") as sock, serving(app, sock):
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/{{kind}}"
        outcomes = check_receiver(url, per_kind=2)
    failed = [o for o in outcomes if not o.passed]
    assert failed and {o.expected for o in failed} == {"4xx"} and all(o.status == 200 for o in failed)
    assert f"{len(outcomes) - len(failed)} passed, {len(failed)} failed" in report(outcomes, url)
