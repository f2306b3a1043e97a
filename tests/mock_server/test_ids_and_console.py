"""Ids are fresh on every run unless a seed is given (then a run replays), and the console never shows a
receiver's secret; the mock's public exports are what the contract suite needs."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

import airudder_mock
from airudder_mock import MockConfig, MockHandle, WebhookSink, running_mock
from airudder_mock.masking import masked

from .test_first_day import mock_process
from .test_handle import create_workflow

HOUR = 3600


def workflow_ids(config: MockConfig | None = None, reset: bool = False) -> list[str]:
    with running_mock(config) as mock:
        ids = [create_workflow(mock)]
        if reset:
            mock.admin.post("/reset").raise_for_status()
        ids.append(create_workflow(mock))
    return ids


def test_without_a_seed_every_run_and_every_reset_has_fresh_ids() -> None:
    first, second = workflow_ids(reset=True), workflow_ids()
    assert len({*first, *second}) == 4  # no id twice: an app database kept across runs never collides


def test_a_seed_replays_the_same_ids_run_after_run_and_after_a_reset() -> None:
    assert workflow_ids(MockConfig(seed=7)) == workflow_ids(MockConfig(seed=7))
    replayed = workflow_ids(MockConfig(seed=7), reset=True)
    assert replayed[0] == replayed[1]
    with running_mock(MockConfig(seed=7)) as mock:
        assert mock.server.seed == 7


def test_the_seed_drawn_for_a_run_replays_it() -> None:
    with running_mock() as mock:
        seed, ids = mock.server.seed, [create_workflow(mock)]
    assert workflow_ids(MockConfig(seed=seed))[:1] == ids


def test_the_delivery_log_masks_the_receivers_secret(caplog: pytest.LogCaptureFixture) -> None:
    sink = WebhookSink()
    with running_mock() as mock:
        url = mock.serve_app(Starlette(routes=[Mount("/hooks/s3cret9", app=sink.app())]))
        mock.route_webhooks(f"{url}/hooks/s3cret9/{{kind}}?token=abc")
        create_workflow(mock)
        with caplog.at_level(logging.INFO, logger="airudder_mock.deliveries"):
            mock.advance(HOUR)
        assert sink.received  # delivered to the real URL...
        assert {d["url"].split("?")[0] for d in mock.deliveries()} == {
            f"{url}/hooks/s3cret9/{kind}" for kind, _ in sink.received
        }  # ...which the admin API gives whole
    assert "s3cret9" not in caplog.text and "abc" not in caplog.text  # ...and the console never shows
    assert f"{url}/hooks/<secret>/workflow_status_changed?token=<secret>" in caplog.text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://127.0.0.1:8080/s3cret/{kind}", "http://127.0.0.1:8080/<secret>/{kind}"),
        ("http://127.0.0.1:8080/airudder/{kind}", "http://127.0.0.1:8080/airudder/{kind}"),
        ("http://127.0.0.1:8080/v1/hooks/call_completed", "http://127.0.0.1:8080/v1/hooks/call_completed"),
        ("http://u:pw@h/x?secret=s", "http://u:<secret>@h/x?secret=<secret>"),
        ("https://h/averylongsecretwithoutdigits", "https://h/<secret>"),
    ],
)
def test_masking_keeps_what_helps_and_hides_what_looks_secret(url: str, shown: str) -> None:
    assert masked(url) == shown


def test_serve_prints_the_seed_and_its_targets_masked() -> None:
    with mock_process("--webhook-url", "http://127.0.0.1:9/s3cret/{kind}") as (base_url, process):
        assert httpx.get(f"{base_url}/_mock/clock").status_code == 200
    assert process.stdout is not None
    lines = process.stdout.read().splitlines()  # what followed the first line, once the process has ended
    assert lines[0].startswith("seed ") and "--seed" in lines[0]
    assert lines[1] == "webhooks (every kind) -> http://127.0.0.1:9/<secret>/{kind}"


def test_the_mock_exports_what_the_contract_suite_uses(airudder_mock: MockHandle) -> None:
    assert {"WebhookSink", "admin_spec_path", "__version__"} <= set(airudder_mock_package().__all__)
    assert airudder_mock_package().admin_spec_path().name == "mock-admin.yaml"
    assert airudder_mock_package().__version__


def airudder_mock_package() -> object:
    return airudder_mock
