"""`python -m airudder.webhooks stats | events | dead-letters | prune | migrate` on both stores (SQLite and a real
PostgreSQL): what an operator runs to see the backlog and to recover failed events and refused bodies."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from click.testing import CliRunner, Result

from airudder import webhooks
from airudder.webhooks import _store
from airudder.webhooks._cli import main
from airudder_contract.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]
DAY = 86_400.0


class Target:
    """A store, and the CLI's options naming the same database."""

    def __init__(self, store: Any, options: list[str]) -> None:
        self.store, self.options = store, options

    def run(self, *arguments: str, code: int = 0) -> Result:
        result = CliRunner().invoke(main, [*arguments, *self.options], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    if request.param == "sqlite":
        path = str(tmp_path / "events.sqlite3")
        made = Target(webhooks.SQLiteEventStore(path), ["--db", path])
    else:
        url, schema = request.getfixturevalue("postgres_url"), f"s_{uuid.uuid4().hex[:8]}"
        made = Target(webhooks.PostgresEventStore(url, schema=schema, pool_size=2), ["--db", url, "--schema", schema])
    request.addfinalizer(made.store.close)
    return made


def add(store: Any, n: int) -> int:
    payload = {**STATUS, "workflow_id": f"w{n}"}
    event_id = store.add("workflow_status_changed", webhooks.event_key("workflow_status_changed", payload), payload)
    assert event_id is not None
    return int(event_id)


def finish(store: Any, event_id: int, error: str | None = None, dead: bool = False) -> None:
    assert store.claim(event_id)
    store.finish(event_id, error, dead=dead)


def test_stats_show_the_backlog_dead_letters_and_workers_as_a_table_or_json(target: Target) -> None:
    add(target.store, 1)
    finish(target.store, add(target.store, 2))
    target.store.dead_letter(None, "body", "not JSON", b"{", None)
    target.store.beat("host:1:abc", [7])
    document = json.loads(target.run("stats", "--json").output)
    assert document["events"] == {"pending": 1, "handling": 0, "handled": 1, "failed": 0, "dead": 0}
    assert document["dead_letters"] == 1 and document["oldest_pending_age_seconds"] >= 0
    [beat] = document["workers"]
    assert (beat["worker"], beat["holding"]) == ("host:1:abc", [7]) and beat["last_beat_age_seconds"] >= 0
    table = target.run("stats").output
    assert "pending   1" in table and "dead letters: 1" in table and "host:1:abc" in table


def test_events_list_filters_and_show_gives_the_payload(target: Target) -> None:
    first, second = add(target.store, 1), add(target.store, 2)
    finish(target.store, second, "RuntimeError: CRM down", dead=True)
    listed = json.loads(target.run("events", "list", "--state", "dead", "--json").output)
    assert [(e["id"], e["state"], e["last_error"]) for e in listed] == [(second, "dead", "RuntimeError: CRM down")]
    assert [e["id"] for e in json.loads(target.run("events", "list", "--since", "1h", "--json").output)] == [
        first,
        second,
    ]
    assert json.loads(target.run("events", "list", "--until", "1h", "--json").output) == []
    table = target.run("events", "list", "--kind", "workflow_status_changed").output
    assert table.splitlines()[0].split() == ["ID", "KIND", "STATE", "ATTEMPTS", "RECEIVED", "LAST", "ERROR"]
    shown = json.loads(target.run("events", "show", str(first)).output)
    assert (shown["id"], shown["payload"]) == (first, {**STATUS, "workflow_id": "w1"})
    assert "no event 999" in target.run("events", "show", "999", code=1).output


def test_events_retry_dry_run_changes_nothing_then_retry_requeues_by_id_or_by_state(target: Target) -> None:
    dead = [add(target.store, n) for n in range(3)]
    for event_id in dead:
        finish(target.store, event_id, "E: x", dead=True)
    handled = add(target.store, 9)
    finish(target.store, handled)
    assert target.run("events", "retry", "--state", "dead", "--dry-run").output == (
        f"would retry 3 events: {' '.join(map(str, dead))}\n"
    )
    assert {e.state for e in target.store.find(ids=dead)} == {"dead"}
    assert target.run("events", "retry", str(handled)).output == f"retried 1 events: {handled}\n"
    assert target.run("events", "retry", "--state", "dead").output == f"retried 3 events: {' '.join(map(str, dead))}\n"
    assert {(e.state, e.attempts) for e in target.store.events()} == {("pending", 0)}
    assert "name the events" in target.run("events", "retry", code=2).output
    assert "no such events: 404" in target.run("events", "retry", "404", code=1).output


def test_dead_letters_requeue_stores_a_letter_that_now_passes_and_keeps_one_that_does_not(target: Target) -> None:
    # refused by an older release whose spec did not take it; this one does
    target.store.dead_letter("workflow_status_changed", "status", "was not allowed", json.dumps(STATUS).encode(), None)
    target.store.dead_letter("workflow_status_changed", "body", "not JSON", b"{oops", "203.0.113.9")
    good, bad = (d.id for d in target.store.dead_letters())
    listed = json.loads(target.run("dead-letters", "list", "--json").output)
    assert [(d["id"], d["reason"], d["bytes"]) for d in listed] == [
        (good, "was not allowed", len(json.dumps(STATUS))),
        (bad, "not JSON", 5),
    ]
    assert json.loads(target.run("dead-letters", "show", str(bad)).output)["body"] == "{oops"
    dry = target.run("dead-letters", "requeue", str(good), str(bad), "--dry-run", code=1)
    assert f"{good}: would be stored as a workflow_status_changed event" in dry.output
    assert f"{bad}: still refused: body:" in dry.output
    assert target.store.events() == [] and len(target.store.dead_letters()) == 2
    done = target.run("dead-letters", "requeue", str(good), str(bad), code=1)
    [event] = target.store.events()
    assert f"{good}: stored as workflow_status_changed event {event.id}" in done.output
    assert (event.kind, event.payload, event.state) == ("workflow_status_changed", STATUS, "pending")
    assert [d.id for d in target.store.dead_letters()] == [bad]


def test_dead_letters_purge_by_id_or_all_with_a_dry_run(target: Target) -> None:
    for n in range(3):
        target.store.dead_letter(None, "body", f"bad {n}", b"x", None)
    ids = [d.id for d in target.store.dead_letters()]
    assert target.run("dead-letters", "purge", "--all", "--dry-run").output.startswith("would purge 3 dead letters")
    assert target.run("dead-letters", "purge", str(ids[0])).output == "purged 1 dead letters\n"
    assert target.run("dead-letters", "purge", "--older-than", "1d").output == "purged 0 dead letters\n"
    assert target.run("dead-letters", "purge", "--all").output == "purged 2 dead letters\n"
    assert "name the letters" in target.run("dead-letters", "purge", code=2).output


def test_prune_deletes_events_handled_longer_ago_than_asked_and_a_dry_run_only_counts(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(_store, "_now", lambda: now[0])
    for n in range(4):
        finish(target.store, add(target.store, n))
    add(target.store, 99)  # pending: never pruned
    now[0] += 31 * DAY
    assert target.run("prune", "--handled-older-than", "30d", "--dry-run").output == "would prune 4 events\n"
    assert len(target.store.events()) == 5
    assert target.run("prune", "--handled-older-than", "32d").output == "pruned 0 events\n"
    assert target.run("prune", "--handled-older-than", "30d").output == "pruned 4 events\n"
    assert [e.state for e in target.store.events()] == ["pending"]
    assert "not a duration" in target.run("prune", "--handled-older-than", "soon", code=2).output


def test_migrate_then_no_migrate_for_a_role_without_create(postgres_url: str) -> None:
    fresh = ["--db", postgres_url, "--schema", "migrated"]
    refused = CliRunner().invoke(main, ["stats", "--no-migrate", *fresh])
    assert refused.exit_code == 2 and "python -m airudder.webhooks migrate" in refused.output
    done = CliRunner().invoke(main, ["migrate", *fresh])
    assert (done.exit_code, done.output) == (0, "schema version 2\n")
    assert CliRunner().invoke(main, ["stats", "--json", "--no-migrate", *fresh]).exit_code == 0
