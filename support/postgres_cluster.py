"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder, pg_ctl on a free loopback
port, stopped and deleted afterwards. Never a mock: the real server binaries (Debian: `apt-get install postgresql`).

PostgreSQL refuses to run as root; as root the server runs as the `postgres` user (the Debian package's), and the
folder is handed to it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "airudder"


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int
    bin_dir: Path
    options: str = ""
    """The server's settings (`pg_ctl -o`), given again when it is started after a stop."""

    def restart(self) -> None:
        """Stop and start the server, as a failover or an upgrade does: every open connection breaks."""
        log = self.folder / "server.log"  # -l again: else the server keeps pg_ctl's output pipes open
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(log), "-w", "-t", "60"]
        _run([*command, "-m", "fast", "restart"], "pg_ctl restart", log)

    def stop(self) -> None:
        """Stop the server (fast: open connections break), as an outage does; `start()` brings it back."""
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "60"]
        _run([*command, "-m", "fast", "stop"], "pg_ctl stop")

    def start(self) -> None:
        """Start the server again on its port, after `stop()`."""
        log = self.folder / "server.log"
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(log), "-w", "-t", "60"]
        _run([*command, "-o", self.options, "start"], "pg_ctl start", log)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def binaries() -> Path:
    """The folder of initdb, pg_ctl and postgres: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise Unavailable("no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql/*/bin")
    return versions[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root, and there is no `postgres` user to run the server as") from None
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        if log is not None and log.exists():
            detail += "\n" + log.read_text(errors="replace")[-2000:]
        raise Unavailable(f"{what} failed ({done.returncode}): {detail}")


@contextmanager
def throwaway_cluster(durable: bool = False) -> Iterator[Cluster]:
    """A running server for the block. `durable=False` turns fsync off: tests kill processes, not the machine;
    a benchmark of durable ingest passes True."""
    bin_dir = binaries()
    folder = Path(tempfile.mkdtemp(prefix="airudder-pg-"))
    try:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres") if _has_postgres_user() else None
            if user is not None:
                os.chown(folder, user.pw_uid, user.pw_gid)
        data, log = folder / "data", folder / "server.log"
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"],
            "initdb",
        )
        settings = [
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={folder}",
            "-c max_connections=300",
            "-c shared_buffers=64MB",
        ]
        if not durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for attempt in range(3):  # a free port can be taken between the probe and the start
            port = _free_port()
            try:
                options = " ".join([f"-p {port}", *settings])
                command = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
                _run([*command, "-o", options, "start"], "pg_ctl start", log)
                break
            except Unavailable:
                if attempt == 2:
                    raise
        try:
            yield Cluster(folder, port, bin_dir, options)
        finally:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], "pg_ctl stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _has_postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True
