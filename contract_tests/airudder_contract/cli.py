"""`airudder-contract`: run the contract suite against the embedded mock or a URL, or check a webhook receiver.

Exit codes: 0 every check passed, 1 a contract failure (a check failed, a link was never answered 2xx, a
webhook case was answered wrongly), 2 a usage error.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click
import pytest
from rich.console import Console

from . import __version__, progress

# Nothing here imports schemathesis or hypothesis: pytest must import them itself, to load their plugins
# cleanly. The environment variables are those of `target.py`.
CREDENTIALS = ("AIRUDDER_APP_KEY", "AIRUDDER_APP_SECRET")

HERE = Path(__file__).resolve().parent
EXIT_CODES = {
    pytest.ExitCode.OK: 0,
    pytest.ExitCode.TESTS_FAILED: 1,
    pytest.ExitCode.USAGE_ERROR: 2,
    pytest.ExitCode.NO_TESTS_COLLECTED: 2,  # a -k that selects nothing
}


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Examples:\n\n"
    "\b\n"
    "  airudder-contract                                   # the embedded mock\n"
    "  AIRUDDER_APP_KEY=k AIRUDDER_APP_SECRET=s \\\n"
    "    airudder-contract --base-url https://api.airudder.com  # read-only\n"
    "  airudder-contract --base-url http://127.0.0.1:8765 --mock-setup --rate-limit 0  # airudder-mock serve\n"
    "  airudder-contract --webhooks-to 'https://you.example/hooks/{kind}'\n"
    "  airudder-contract -- -k stateful                    # anything after -- goes to pytest\n",
)
@click.version_option(__version__, "--version", prog_name="airudder-contract (airudder-workflow)")
@click.option(
    "--base-url",
    envvar="AIRUDDER_BASE_URL",
    metavar="URL",
    help="Test this API instead of the embedded mock: the live API, a gateway in front of it or a mock of yours. "
    "Credentials from AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET. Rate-limited to 2 requests/s. [env: "
    "AIRUDDER_BASE_URL]",
)
@click.option(
    "--live-writes",
    is_flag=True,
    help="With --base-url: also the operations that create tasks (they place REAL calls). Default: read-only "
    "(GETs and the POST queries the spec marks x-idempotent).",
)
@click.option(
    "--mock-setup",
    is_flag=True,
    help="With --base-url of an airudder-mock serve: prepare its state through its admin API (/_mock/) as for the "
    "embedded mock, so every link can be answered 2xx. A mock started with --admin-token needs it in "
    "$AIRUDDER_MOCK_ADMIN_TOKEN.",
)
@click.option(
    "--rate-limit",
    default="2/s",
    show_default=True,
    metavar="N/s",
    help="With --base-url: at most this many requests (e.g. 10/s, 100/m); 0 for no limit (a mock of your own).",
)
@click.option(
    "--webhooks-to",
    metavar="URL",
    help="Check your webhook receiver instead: valid payloads (doc examples and generated) must get a 2xx, "
    "invalid ones a 4xx, nothing a 5xx. {kind} in the URL is replaced by each webhook's name.",
)
@click.option(
    "--recordings",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also hold each answer recorded here (`airudder-mock proxy --record DIR`) against the spec, as an example "
    "of the real API's answers: one row per operation, `recorded answers`.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Where contract.md, contract-junit.xml (and live-drift.md, webhook-receiver.md) are written.",
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- PYTEST-ARGS]")
def main(
    base_url: str | None,
    live_writes: bool,
    mock_setup: bool,
    rate_limit: str,
    webhooks_to: str | None,
    recordings: Path | None,
    report_dir: Path,
    pytest_args: tuple[str, ...],
) -> None:
    """Check an AIRudder Workflow API (or a webhook receiver) against the spec with schemathesis.

    Every operation in every phase (examples, coverage, fuzzing, and stateful sequences along the spec's
    links), each answer checked against the spec. A link never answered 2xx is a coverage failure.
    """
    console = Console(highlight=False, soft_wrap=True)
    if webhooks_to:
        if base_url or live_writes or pytest_args:
            raise click.UsageError("--webhooks-to checks a receiver only: leave out --base-url, --live-writes, ...")
        sys.exit(check_webhooks(webhooks_to, report_dir, console))
    if (live_writes or mock_setup) and not base_url:
        raise click.UsageError("--live-writes and --mock-setup need --base-url (the embedded mock has both)")
    os.environ.pop("AIRUDDER_LIVE_WRITES", None)
    os.environ.pop("AIRUDDER_CONTRACT_MOCK_SETUP", None)
    if base_url:
        if not base_url.startswith(("http://", "https://")):
            raise click.BadParameter("must start with http:// or https://", param_hint="--base-url")
        missing = [name for name in CREDENTIALS if not os.environ.get(name)]
        if missing:
            raise click.UsageError(f"--base-url needs the credentials in {' and '.join(missing)}")
        if rate_limit != "0" and not re.fullmatch(r"[1-9][0-9]*/[smhd]", rate_limit):
            raise click.BadParameter("give N/s, N/m, N/h or N/d (or 0 for no limit)", param_hint="--rate-limit")
        os.environ["AIRUDDER_BASE_URL"] = base_url
        os.environ["AIRUDDER_CONTRACT_RATE_LIMIT"] = rate_limit
        if live_writes:
            os.environ["AIRUDDER_LIVE_WRITES"] = "1"
        if mock_setup:
            os.environ["AIRUDDER_CONTRACT_MOCK_SETUP"] = "1"
    else:
        for name in ("AIRUDDER_BASE_URL", *CREDENTIALS):  # the embedded mock: nothing of a live set-up leaks in
            os.environ.pop(name, None)
    os.environ["AIRUDDER_CONTRACT_REPORT_DIR"] = str(report_dir)
    os.environ.pop("AIRUDDER_CONTRACT_RECORDINGS", None)
    if recordings is not None:
        os.environ["AIRUDDER_CONTRACT_RECORDINGS"] = str(recordings.resolve())
    what = f"{base_url} ({'with writes' if live_writes else 'read-only'})" if base_url else "the embedded mock"
    console.print(f"airudder-contract: the spec against {what}; reports in {report_dir}/")
    progress.enable(console)
    sys.exit(run_suite(report_dir, pytest_args, embedded=not base_url))


def run_suite(report_dir: Path, pytest_args: tuple[str, ...], *, embedded: bool) -> int:
    """The suite through pytest (schemathesis' integration), with this package's settings, not the caller's.

    The mock's admin API contract runs only with the embedded mock: it says nothing about a URL under test."""
    report_dir.mkdir(parents=True, exist_ok=True)
    args = [
        "-c",
        str(HERE / "suite.ini"),
        "--rootdir",
        str(HERE),
        "-p",
        "no:cacheprovider",
        "-p",
        "airudder_contract.report",
        "-q",
        "-s",  # the progress lines are printed while the tests run
        f"--junitxml={report_dir / 'contract-junit.xml'}",
        "--pyargs",
        "airudder_contract",
        *([] if embedded else ["--ignore-glob", str(HERE / "test_admin_contract.py")]),
        *pytest_args,
    ]
    code = pytest.main(args)
    return EXIT_CODES.get(code, 1) if isinstance(code, pytest.ExitCode) else (0 if code == 0 else 1)


def check_webhooks(url: str, report_dir: Path, console: Console) -> int:
    from .webhook_check import check_receiver, passed
    from .webhook_check import report as receiver_report

    console.print(f"airudder-contract: checking the webhook receiver at {url}")
    outcomes = check_receiver(url)
    text = receiver_report(outcomes, url)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "webhook-receiver.md").write_text(text)
    console.print(text, markup=False)
    console.print(f"(report: {report_dir / 'webhook-receiver.md'})")
    return 0 if passed(outcomes) else 1
