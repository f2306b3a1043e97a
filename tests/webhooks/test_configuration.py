"""Configuration: every setting from the environment with one prefix, the old secret variable still read with a
warning, and several secrets in --secret-file all accepted (rotation with no downtime)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from airudder import webhooks
from airudder.serving import bound_socket
from airudder.webhooks._cli import main
from tests.waiting import wait_listening

COMMAND = [sys.executable, "-m", "airudder.webhooks"]


def test_several_secrets_are_all_accepted_while_one_is_rotated(tmp_path: Path) -> None:
    receiver = webhooks.WebhookReceiver(secret="new-one", also_accept=["old-one"])
    with webhooks.running(receiver) as url:
        base = url.rsplit("/", 1)[0]
        answers = [httpx.post(f"{base}/{s}", json={"a": 1}).status_code for s in ("new-one", "old-one", "other")]
    assert answers == [200, 200, 403]
    with pytest.raises(ValueError, match="must not be empty"):
        webhooks.WebhookReceiver(secret="s", also_accept=[""])


def test_a_secret_file_of_several_lines_and_the_old_variable_with_its_warning(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.write_text("new-one\n\n  old-one  \n")
    secrets.chmod(0o600)
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    command = [*COMMAND, "--port", str(port), "--db", str(tmp_path / "e.sqlite3"), "--secret-file", str(secrets)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, server)
        for secret, status in (("new-one", 200), ("old-one", 200), ("other", 403)):
            assert httpx.post(f"http://127.0.0.1:{port}/{secret}", json={"a": 1}).status_code == status
    finally:
        server.terminate()
        server.wait(30)
    refused = ["serve", "--db", str(tmp_path / "e.sqlite3"), "--spool", "x"]  # stops after reading the secret
    old = CliRunner().invoke(main, refused, env={"AIRUDDER_WEBHOOKS_SECRET": None, "AIRUDDER_WEBHOOK_SECRET": "x"})
    assert "$AIRUDDER_WEBHOOK_SECRET is deprecated: name it $AIRUDDER_WEBHOOKS_SECRET" in old.output
    new = CliRunner().invoke(main, refused, env={"AIRUDDER_WEBHOOKS_SECRET": "x", "AIRUDDER_WEBHOOK_SECRET": None})
    assert new.exit_code == 2 and "--spool is for" in new.output and "deprecated" not in new.output


def test_every_option_is_read_from_the_environment_under_one_prefix(tmp_path: Path) -> None:
    db = str(tmp_path / "e.sqlite3")
    env = {"AIRUDDER_WEBHOOKS_DB": db, "AIRUDDER_WEBHOOKS_PRUNE_HANDLED_OLDER_THAN": "30d"}
    assert CliRunner().invoke(main, ["prune", "--dry-run"], env=env).output == "would prune 0 events\n"
    bad = CliRunner().invoke(
        main, ["worker", "--handlers", "x"], env={**env, "AIRUDDER_WEBHOOKS_WORKER_MAX_ATTEMPTS": "0"}
    )
    assert bad.exit_code == 2 and "--max-attempts" in bad.output
