"""Operating a store from the shell: `stats`, `events list/show/retry`, `dead-letters list/show/requeue/purge`,
`prune` and `migrate`. Each works on either store (`--db` a file or a postgresql:// URL); what changes events has
`--dry-run`, which says what it would do and does nothing.

Dead letters are the bodies a receiver refused (invalid for their kind, not JSON, too large); `requeue` checks a
letter again (after an upgrade whose spec takes it) and stores it as an event when it now passes. Events that
failed every allowed attempt are `dead` events, retried with `events retry --state dead`.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import click

from ._cli_options import duration, moment, open_store, store_options
from ._parse import UNCLASSIFIED, AmbiguousWebhook, UnknownWebhook, WebhookError, classify, decode, event_key
from ._schema import STATES
from ._store import DeadLetter, StoredEvent, StoreStats

json_option = click.option("--json", "as_json", is_flag=True, help="One JSON document instead of a table.")
dry_run_option = click.option("--dry-run", is_flag=True, help="Say what would be done, and do nothing.")


def add_commands(main: click.Group) -> None:
    for command in (stats, events, dead_letters, prune, migrate):
        main.add_command(command)


def _when(at: float | None) -> str:
    if at is None:
        return "-"
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ago(at: float | None, now: float) -> str:
    return "-" if at is None else f"{max(now - at, 0):.0f} s ago"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cells = [list(header), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)


def stats_document(found: StoreStats, now: float) -> dict[str, Any]:
    return {
        "events": found.backlog,
        "oldest_pending_age_seconds": None if found.oldest_pending is None else max(now - found.oldest_pending, 0),
        "dead_letters": found.dead_letters,
        "workers": [
            {
                "worker": w.worker,
                "started_at": _when(w.started_at),
                "last_beat_age_seconds": max(now - w.beat_at, 0),
                "holding": list(w.holding),
            }
            for w in found.workers
        ],
    }


@click.command()
@store_options
@json_option
def stats(db: str, schema: str, no_migrate: bool, as_json: bool) -> None:
    """The events by state, the oldest pending one's age, the dead letters, and each worker's last heartbeat."""
    store, now = open_store(db, schema, not no_migrate), time.time()
    found = store.stats()
    if as_json:
        click.echo(json.dumps(stats_document(found, now)))
        return
    click.echo(_table(["STATE", "EVENTS"], found.backlog.items()))
    click.echo(f"\noldest pending: {_ago(found.oldest_pending, now)}\ndead letters: {found.dead_letters}\n")
    if not found.workers:
        click.echo("workers: none has beaten")
        return
    rows = [
        (w.worker, _when(w.started_at), _ago(w.beat_at, now), " ".join(map(str, w.holding)) or "-")
        for w in found.workers
    ]
    click.echo(_table(["WORKER", "STARTED", "LAST BEAT", "HOLDING"], rows))


def _event_document(event: StoredEvent, payload: bool) -> dict[str, Any]:
    document = {
        "id": event.id,
        "kind": event.kind,
        "state": event.state,
        "attempts": event.attempts,
        "received_at": _when(event.received_at),
        "handled_at": _when(event.handled_at) if event.handled_at else None,
        "retry_at": _when(event.retry_at) if event.retry_at else None,
        "last_error": event.last_error,
    }
    return {**document, "payload": event.payload} if payload else document


state_option = click.option(
    "--state", "states", multiple=True, type=click.Choice(STATES), help="Only events in this state (repeatable)."
)
kind_option = click.option("--kind", "kinds", multiple=True, help="Only events of this kind (repeatable).")
since_option = click.option(
    "--since", callback=moment, help="Only events received at or after this time (ISO 8601, or an age: 2h)."
)
until_option = click.option("--until", callback=moment, help="Only events received before this time.")


@click.group()
def events() -> None:
    """List, show and retry stored events."""


@events.command("list")
@store_options
@state_option
@kind_option
@since_option
@until_option
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
@json_option
def list_events(
    db: str,
    schema: str,
    no_migrate: bool,
    states: tuple[str, ...],
    kinds: tuple[str, ...],
    since: float | None,
    until: float | None,
    limit: int,
    as_json: bool,
) -> None:
    """The events that match, oldest first (without their payloads: `events show ID`)."""
    store = open_store(db, schema, not no_migrate)
    found = store.find(states=states, kinds=kinds, since=since, until=until, limit=limit)
    if as_json:
        click.echo(json.dumps([_event_document(e, payload=False) for e in found]))
        return
    rows = [(e.id, e.kind, e.state, e.attempts, _when(e.received_at), (e.last_error or "-")[:60]) for e in found]
    click.echo(_table(["ID", "KIND", "STATE", "ATTEMPTS", "RECEIVED", "LAST ERROR"], rows))


@events.command("show")
@store_options
@click.argument("event_id", type=int)
def show_event(db: str, schema: str, no_migrate: bool, event_id: int) -> None:
    """One event, its payload included, as JSON."""
    found = open_store(db, schema, not no_migrate).find(ids=[event_id])
    if not found:
        raise click.ClickException(f"no event {event_id}")
    click.echo(json.dumps(_event_document(found[0], payload=True), indent=2))


@events.command("retry")
@store_options
@click.argument("ids", nargs=-1, type=int)
@state_option
@kind_option
@since_option
@until_option
@dry_run_option
def retry(
    db: str,
    schema: str,
    no_migrate: bool,
    ids: tuple[int, ...],
    states: tuple[str, ...],
    kinds: tuple[str, ...],
    since: float | None,
    until: float | None,
    dry_run: bool,
) -> None:
    """Make events pending again, their attempts from 0: the IDs given, or those matching --state (and --kind,
    --since, --until). A handled event is handled again; one a worker holds now is left alone."""
    if not ids and not states:
        raise click.UsageError("name the events: IDs, or --state (with --kind, --since, --until to narrow it)")
    store = open_store(db, schema, not no_migrate)
    found = store.find(ids=ids, states=states, kinds=kinds, since=since, until=until)
    missing = sorted(set(ids) - {e.id for e in found})
    if missing:
        click.echo(f"no such events: {' '.join(map(str, missing))}", err=True)
    held = [e.id for e in found if e.state == "handling"]
    chosen = [e.id for e in found if e.state != "handling"]
    if held:
        click.echo(f"left alone, a worker holds them: {' '.join(map(str, held))}", err=True)
    if dry_run:
        click.echo(f"would retry {len(chosen)} events: {' '.join(map(str, chosen)) or '-'}")
        return
    done = store.requeue(chosen) if chosen else []
    click.echo(f"retried {len(done)} events: {' '.join(map(str, done)) or '-'}")
    if missing:
        raise SystemExit(1)


@click.group("dead-letters")
def dead_letters() -> None:
    """The bodies receivers refused: list, show, requeue (check again and store), purge."""


def _letter_document(letter: DeadLetter, body: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": letter.id,
        "kind": letter.kind,
        "field": letter.field,
        "reason": letter.reason,
        "received_at": _when(letter.received_at),
        "source": letter.source,
        "bytes": len(letter.body),
    }
    if body:
        try:
            document["body"] = letter.body.decode()
        except UnicodeDecodeError:
            document["body_base64"] = base64.b64encode(letter.body).decode()
    return document


@dead_letters.command("list")
@store_options
@json_option
def list_letters(db: str, schema: str, no_migrate: bool, as_json: bool) -> None:
    """Every dead letter kept, oldest first (without its body: `dead-letters show ID`)."""
    letters = open_store(db, schema, not no_migrate).dead_letters()
    if as_json:
        click.echo(json.dumps([_letter_document(d, body=False) for d in letters]))
        return
    rows = [(d.id, d.kind or "-", _when(d.received_at), d.field, len(d.body), d.reason[:60]) for d in letters]
    click.echo(_table(["ID", "KIND", "RECEIVED", "FIELD", "BYTES", "REASON"], rows))


@dead_letters.command("show")
@store_options
@click.argument("letter_id", type=int)
def show_letter(db: str, schema: str, no_migrate: bool, letter_id: int) -> None:
    """One dead letter, its body included (as text, or base64 when it is not UTF-8), as JSON."""
    found = open_store(db, schema, not no_migrate).dead_letters_by_id([letter_id])
    if not found:
        raise click.ClickException(f"no dead letter {letter_id}")
    click.echo(json.dumps(_letter_document(found[0], body=True), indent=2))


def recheck(letter: DeadLetter) -> tuple[str, Any] | str:
    """(kind, payload) when the letter's body is now taken as the receiver would take it; else why not."""
    try:
        payload = decode(letter.body)
        try:
            kind = classify(letter.kind, payload)
        except (UnknownWebhook, AmbiguousWebhook):
            if letter.kind is not None:
                raise
            kind = UNCLASSIFIED
    except WebhookError as exc:
        return f"{exc.field}: {exc.message}"
    return kind, payload


@dead_letters.command("requeue")
@store_options
@click.argument("ids", nargs=-1, type=int, required=True)
@dry_run_option
def requeue_letters(db: str, schema: str, no_migrate: bool, ids: tuple[int, ...], dry_run: bool) -> None:
    """Check these letters again and store each that now passes as an event (its letter goes); those that still
    fail stay, and why is said. Exit 1 when any stays."""
    store = open_store(db, schema, not no_migrate)
    letters = store.dead_letters_by_id(ids)
    stayed = sorted(set(ids) - {d.id for d in letters})
    for missing in stayed:
        click.echo(f"{missing}: no such dead letter", err=True)
    for letter in letters:
        checked = recheck(letter)
        if isinstance(checked, str):
            click.echo(f"{letter.id}: still refused: {checked}", err=True)
            stayed.append(letter.id)
            continue
        kind, payload = checked
        if dry_run:
            click.echo(f"{letter.id}: would be stored as a {kind} event")
            continue
        event_id = store.add(kind, event_key(kind, payload), payload)
        store.remove_dead_letters([letter.id])
        told = f"event {event_id}" if event_id is not None else "a duplicate of an event kept lately"
        click.echo(f"{letter.id}: stored as {kind} {told}")
    if stayed:
        raise SystemExit(1)


@dead_letters.command("purge")
@store_options
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Every dead letter.")
@click.option("--older-than", callback=duration, help="Those received longer ago than this (30d, 12h, ...).")
@dry_run_option
def purge_letters(
    db: str,
    schema: str,
    no_migrate: bool,
    ids: tuple[int, ...],
    everything: bool,
    older_than: float | None,
    dry_run: bool,
) -> None:
    """Delete dead letters: the IDs given, --older-than an age, or --all."""
    if not ids and not everything and older_than is None:
        raise click.UsageError("name the letters: IDs, --older-than AGE or --all")
    store = open_store(db, schema, not no_migrate)
    letters = store.dead_letters() if everything or older_than is not None else store.dead_letters_by_id(ids)
    if older_than is not None:
        cut = time.time() - older_than
        letters = [d for d in letters if (d.received_at or 0) < cut and (not ids or d.id in ids)]
    chosen = [d.id for d in letters]
    if dry_run:
        click.echo(f"would purge {len(chosen)} dead letters: {' '.join(map(str, chosen)) or '-'}")
        return
    click.echo(f"purged {store.remove_dead_letters(chosen) if chosen else 0} dead letters")


@click.command()
@store_options
@click.option(
    "--handled-older-than",
    required=True,
    callback=duration,
    help="Delete events handled longer ago than this (30d, 12h, ...); never one inside the dedupe window.",
)
@dry_run_option
def prune(db: str, schema: str, no_migrate: bool, handled_older_than: float, dry_run: bool) -> None:
    """Delete old handled events, in small batches (receivers and workers go on meanwhile)."""
    store = open_store(db, schema, not no_migrate)
    count = store.prune(handled_older_than, dry_run=dry_run)
    click.echo(f"would prune {count} events" if dry_run else f"pruned {count} events")


@click.command()
@click.option(
    "--db",
    envvar="AIRUDDER_WEBHOOKS_DB",
    default="airudder-webhooks.sqlite3",
    show_default=True,
    help="SQLite file of events, or a postgresql:// URL (also from $AIRUDDER_WEBHOOKS_DB).",
)
@click.option(
    "--schema",
    envvar="AIRUDDER_WEBHOOKS_SCHEMA",
    default="airudder_webhooks",
    show_default=True,
    help="PostgreSQL schema of the store's tables.",
)
def migrate(db: str, schema: str) -> None:
    """Create the store's tables, or bring them to this release's schema, and exit: run it as a role that may
    create tables, then run receivers and workers with --no-migrate as one that may not."""
    store = open_store(db, schema, True)
    click.echo(f"schema version {store.schema_version()}")
