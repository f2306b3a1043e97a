"""What the CLI's commands share: opening the store (`--db`, `--schema`, `--no-migrate`), and reading durations
(`30d`) and times (`2026-12-01T08:00:00Z`, or `2h` for two hours ago)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from ._store import EventStore, SQLiteEventStore

F = TypeVar("F", bound=Callable[..., Any])
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")


def open_store(db: str, schema: str, migrate: bool = True, **postgres: Any) -> Any:
    """SQLite for a path, PostgreSQL for a postgresql:// URL; a clear usage error when it cannot be opened."""
    from ._schema import SchemaBehind, SchemaTooNew

    if db.startswith(("postgresql://", "postgres://")):
        try:
            from ._postgres import PostgresEventStore
        except ImportError as exc:
            raise click.BadParameter(str(exc), param_hint="--db") from None
        import psycopg

        try:
            return PostgresEventStore(db, schema=schema, migrate=migrate, **postgres)
        except (psycopg.Error, ValueError, RuntimeError) as exc:
            raise click.BadParameter(f"cannot use the PostgreSQL database: {exc}", param_hint="--db") from None
    try:
        store: EventStore = SQLiteEventStore(db, migrate=migrate)
    except (SchemaBehind, SchemaTooNew) as exc:
        raise click.BadParameter(str(exc), param_hint="--db") from None
    except (sqlite3.Error, OSError) as exc:
        raise click.BadParameter(f"cannot open {db!r} as an SQLite database: {exc}", param_hint="--db") from None
    return store


db_option = click.option(
    "--db",
    default="airudder-webhooks.sqlite3",
    show_default=True,
    envvar="AIRUDDER_WEBHOOKS_DB",
    help="SQLite file of events, or a postgresql:// URL (also from $AIRUDDER_WEBHOOKS_DB, kept out of `ps`).",
)
schema_option = click.option(
    "--schema",
    default="airudder_webhooks",
    show_default=True,
    envvar="AIRUDDER_WEBHOOKS_SCHEMA",
    help="PostgreSQL schema of the store's tables.",
)
no_migrate_option = click.option(
    "--no-migrate",
    is_flag=True,
    envvar="AIRUDDER_WEBHOOKS_NO_MIGRATE",
    help="Never change the schema (a role without CREATE): refuse an old one; `migrate` brings it up to date.",
)


def store_options(command: F) -> F:
    """--db, --schema and --no-migrate."""
    return db_option(schema_option(no_migrate_option(command)))


def seconds(text: str) -> float:
    """`90`, `45s`, `15m`, `12h`, `30d`, `2w` as seconds; ValueError otherwise."""
    match = DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration (like 90s, 15m, 12h, 30d)")
    return float(match.group(1)) * UNITS[match.group(2) or "s"]


def duration(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> float | None:
    """A click callback for a duration option."""
    if value is None:
        return None
    try:
        return seconds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def moment(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> float | None:
    """A click callback for a time: ISO 8601 (UTC unless it says), or a duration meaning that long ago."""
    if value is None:
        return None
    try:
        return time.time() - seconds(value)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r}: give an ISO 8601 time (2026-12-01T08:00:00Z) or an age (2h)") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
