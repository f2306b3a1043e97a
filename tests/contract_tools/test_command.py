"""`airudder-contract`: its usage errors (exit 2), the receiver check (exit 0 / 1 with its report), the links it
must cover and the coverage failure a link never answered 2xx is (the full run is in tests/packaging)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder_spec
from airudder import webhooks
from airudder.serving import serve
from airudder_contract import links, report
from airudder_contract.cli import main


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--live-writes"], {}, "--live-writes and --mock-setup need --base-url"),
        (["--base-url", "http://127.0.0.1:9"], {}, "needs the credentials in AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET"),
        (["--base-url", "ftp://x"], {"AIRUDDER_APP_KEY": "k", "AIRUDDER_APP_SECRET": "s"}, "http:// or https://"),
        (
            ["--base-url", "http://127.0.0.1:9", "--rate-limit", "fast"],
            {"AIRUDDER_APP_KEY": "k", "AIRUDDER_APP_SECRET": "s"},
            "N/s, N/m",
        ),
        (["--webhooks-to", "http://127.0.0.1:9", "--base-url", "http://127.0.0.1:9"], {}, "checks a receiver only"),
        (["--no-such-option"], {}, "No such option"),
    ],
)
def test_a_usage_error_exits_2_and_says_why(
    args: list[str], env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AIRUDDER_BASE_URL", "AIRUDDER_APP_KEY", "AIRUDDER_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.fixture
def receiver_url() -> Iterator[str]:
    receiver = webhooks.WebhookReceiver()
    with serve(receiver.app) as base_url:
        yield f"{base_url}/{{kind}}"


def test_the_receiver_check_passes_our_receiver_and_writes_its_report(receiver_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--webhooks-to", receiver_url, "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "0 failed" in (tmp_path / "webhook-receiver.md").read_text()


def test_the_receiver_check_fails_a_receiver_that_takes_anything(tmp_path: Path) -> None:
    async def anything(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({})

    app = Starlette(routes=[Route("/{kind}", anything, methods=["POST"])])
    with serve(app) as base_url:
        url = f"{base_url}/{{kind}}"
        result = CliRunner().invoke(main, ["--webhooks-to", url, "--report-dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "generated invalid" in (tmp_path / "webhook-receiver.md").read_text()


def test_every_link_of_the_spec_is_named_and_each_source_gets_a_document_with_only_its_links() -> None:
    spec = airudder_spec.load()
    names = links.names(spec)
    assert len(names) == sum(
        len(response.get("links", {}))
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in airudder_spec.HTTP_METHODS
        for response in operation["responses"].values()
    )
    for source in links.sources(spec):
        only = links.only_links_of(spec, source)
        assert set(links.names(only).values()) == {source}
        assert {n for n, s in names.items() if s == source} == set(links.names(only))
    assert names == links.names(spec), "the spec itself is not changed"


def test_a_link_never_answered_2xx_is_a_coverage_failure_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "STATEFUL", report.Stateful())
    report.declare_links(["A -> [200] Covered -> B", "A -> [200] Missed -> C", "A -> [200] Never -> D"])
    report.record_stateful_scenario()
    report.record_stateful_step(None, False, 200)
    report.record_stateful_step("A -> [200] Covered -> B", True, 200)
    report.record_stateful_step("A -> [200] Missed -> C", True, 404, completed=True)
    assert report.uncovered_links() == ["A -> [200] Missed -> C", "A -> [200] Never -> D"]
    summary = report.stateful_summary()
    assert "| A -> [200] Missed -> C | 1 | 1 | 1 | 0 (FAIL) |" in summary
    assert "| A -> [200] Never -> D | 0 | 0 | 0 | 0 (FAIL) |" in summary
    assert "Coverage failure" in summary
