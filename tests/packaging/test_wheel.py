"""The package as users get it: the wheel, installed into fresh virtual environments (dependencies from PyPI,
through pip's cache).

- `pip install airudder-workflow` alone: the client imports without the server stack, and every part that
  needs an extra says which one;
- with the extras: each entry point runs, and `airudder-contract` checks `airudder-mock serve` end to end, with
  its progress lines and reports.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_STACK = ("starlette", "uvicorn", "uvloop", "httptools", "click", "schemathesis", "dateutil", "psycopg")


def run(*command: str | Path, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRUDDER_", "PYTHON", "VIRTUAL_ENV"))}
    result = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=timeout, env=env, cwd=command_dir()
    )
    if check:
        assert result.returncode == 0, f"{command}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def command_dir() -> Path:
    return Path(os.environ.get("TMPDIR", "/tmp"))


pytestmark = pytest.mark.timeout(600)  # fresh venvs install from PyPI (pip's cache) on a shared machine


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = "import sys, hatchling.build; print(hatchling.build.build_wheel(sys.argv[1]))"  # as pip calls it
    name = subprocess.run(
        [sys.executable, "-c", build, str(out)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()[-1]
    return out / name


def fresh_venv(where: Path, wheel: Path, extras: str = "") -> Path:
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{wheel}{extras}")
    return python


@pytest.fixture(scope="module")
def core(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_venv(tmp_path_factory.mktemp("core"), wheel)


@pytest.fixture(scope="module")
def full(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_venv(tmp_path_factory.mktemp("full"), wheel, "[contract]")


CORE_CHECK = """
import importlib, importlib.util, pkgutil, sys
import airudder, airudder_api, airudder.webhooks, airudder_mock
for module in pkgutil.walk_packages(airudder_api.__path__, "airudder_api."):
    importlib.import_module(module.name)  # the generated client needs nothing the core lacks (python-dateutil)
client = airudder.Client(base_url="http://127.0.0.1:9", app_key="k", app_secret="s")
assert airudder.webhooks.kinds()
missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None]
assert not missing, f"the core install brought {missing}"
assert not {"starlette", "uvicorn"} & set(sys.modules), "the plugin or webhooks imported the server stack"
try:
    import airudder.serving
except ModuleNotFoundError as exc:
    assert "install airudder-workflow[webhooks]" in str(exc), exc
else:
    raise AssertionError("airudder.serving imported without its extra")
for part in ("airudder.webhooks.WebhookReceiver", "airudder_mock.running_mock"):
    module, _, name = part.rpartition(".")
    try:
        getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        assert "install airudder-workflow[" in str(exc), exc
    else:
        raise AssertionError(f"{part} imported without its extra")
print("core ok")
"""


def test_the_core_install_is_the_client_without_the_server_stack(core: Path) -> None:
    assert "core ok" in run(core, "-c", CORE_CHECK, *SERVER_STACK).stdout


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["-m", "airudder_mock", "--help"], "mock"),
        (["-m", "airudder_contract", "--help"], "contract"),
        (["-m", "airudder.webhooks", "--help"], "webhooks"),
    ],
)
def test_a_part_without_its_extra_names_the_extra(core: Path, command: list[str], extra: str) -> None:
    result = run(core, *command, check=False)
    assert result.returncode != 0
    assert f"install airudder-workflow[{extra}]" in result.stderr, result.stderr[-2000:]


PLUGIN_TESTS = """
import sys


def test_the_plugin_loaded_without_the_server_stack(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("airudder_mock")
    assert not {"starlette", "uvicorn"} & set(sys.modules)


def test_the_fixture_names_its_extra(airudder_mock):
    pass
"""


def test_the_pytest_plugin_loads_everywhere_and_its_fixture_names_the_extra(core: Path, tmp_path: Path) -> None:
    """A project that installs the core (and pytest, as every project does) keeps a working pytest."""
    run(core, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pytest>=8.3,<9")
    (tmp_path / "test_user.py").write_text(PLUGIN_TESTS)
    result = run(core, "-m", "pytest", "-p", "no:cacheprovider", tmp_path / "test_user.py", check=False)
    assert "1 passed, 1 error" in result.stdout, result.stdout[-3000:]
    assert "install airudder-workflow[mock]" in result.stdout


def test_each_extras_entry_point_runs(full: Path) -> None:
    bin_dir = full.parent
    assert "serve" in run(bin_dir / "airudder-mock", "--help").stdout
    assert "--base-url" in run(bin_dir / "airudder-contract", "--help").stdout
    assert "--secret" in run(full, "-m", "airudder.webhooks", "--help").stdout
    usage = run(bin_dir / "airudder-contract", "--no-such-option", check=False)
    assert usage.returncode == 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def mock_served(full: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [full.parent / "airudder-mock", "serve", "--port", str(port), "--speed", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/_mock/clock", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and process.poll() is None, "airudder-mock serve did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.timeout(900)
def test_the_contract_command_checks_an_airudder_mock_serve_from_the_wheel(
    full: Path, mock_served: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRUDDER_", "VIRTUAL_ENV"))}
    env |= {"AIRUDDER_APP_KEY": "mock-app-key", "AIRUDDER_APP_SECRET": "mock-app-secret"}
    command = [full.parent / "airudder-contract", "--base-url", mock_served, "--mock-setup", "--rate-limit", "0"]
    command += ["--report-dir", tmp_path / "reports"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "fuzzing   GET /service/cloud/workflow/instancelist" in result.stdout  # a progress line per phase
    assert "stateful " in result.stdout
    report = (tmp_path / "reports" / "contract.md").read_text()
    assert "(FAIL)" not in report and "Coverage failure" not in report
    assert "ListWorkflowTasksCreatedSinceTheNewest" in report
    assert (tmp_path / "reports" / "contract-junit.xml").read_text().startswith("<?xml")


@pytest.fixture
def prism_served() -> Iterator[str]:
    """Prism (package.json's @stoplight/prism-cli, installed by scripts/setup-env) mocking the spec."""
    prism = ROOT / "node_modules" / ".bin" / "prism"
    assert prism.exists(), "Prism is missing: scripts/setup-env installs it (npm ci)"
    port = free_port()
    process = subprocess.Popen(
        [prism, "mock", "-h", "127.0.0.1", "-p", str(port), ROOT / "spec" / "openapi.yaml"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{url}/service/cloud/workflow/instancelist", headers={"Authorization": "Token x"}, timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and process.poll() is None, "Prism did not start"
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.timeout(900)
def test_the_contract_command_runs_against_a_prism_mock_of_the_spec(
    full: Path, prism_served: str, tmp_path: Path
) -> None:
    """Prism answers from the spec's examples, without state or auth: the command runs to the end, with its
    progress and reports, and fails the contract where Prism is not AIRudder (it takes any token, so the
    ignored_auth check fails; its list's links lead nowhere it can answer 2xx)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRUDDER_", "VIRTUAL_ENV"))}
    env |= {"AIRUDDER_APP_KEY": "any-key", "AIRUDDER_APP_SECRET": "any-secret"}
    command = [full.parent / "airudder-contract", "--base-url", prism_served, "--rate-limit", "0"]
    command += ["--report-dir", tmp_path / "reports"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-5000:] + result.stderr[-2000:]
    assert "coverage  GET /service/cloud/workflow/instancelist" in result.stdout
    report = (tmp_path / "reports" / "contract.md").read_text()
    assert "ignored_auth" in report and "FAIL" in report
    assert "stateful phase" in report
    assert "<testsuite" in (tmp_path / "reports" / "contract-junit.xml").read_text()


def test_trigger_forward_to_and_the_request_log_work_from_the_wheel(full: Path) -> None:
    from airudder.serving import serve
    from airudder_mock.handle import WebhookSink

    from ..mock_server.test_first_day import run_every_template

    mock = full.parent / "airudder-mock"
    sink = WebhookSink()
    with serve(sink.app()) as served:
        app_url = f"{served}/{{kind}}"
        triggered = run(mock, "trigger", "call_completed", "--to", app_url)
        assert "200 OK" in triggered.stdout
        port = free_port()
        command = [mock, "serve", "--port", str(port), "--forward-to", app_url, "--auto-finish", "1"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/_mock/clock", timeout=2).raise_for_status()
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline and process.poll() is None, "airudder-mock serve did not start"
                    time.sleep(0.2)
            deliveries = run_every_template(f"http://127.0.0.1:{port}")
        finally:
            process.terminate()
            _, log = process.communicate(timeout=20)
    assert {d["status"] for d in deliveries} == {"delivered"}
    assert len(sink.received) == len(deliveries) + 1  # the trigger's too
    assert "POST /service/cloud/workflow/createinstance 200" in log
    assert f"webhook workflow_status_changed -> {app_url.format(kind='workflow_status_changed')} 200" in log
