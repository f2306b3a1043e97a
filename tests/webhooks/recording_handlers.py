"""Handlers for the multi-process test, loaded by `python -m airudder.webhooks worker --handlers ...`: every run of
a handler is recorded in PostgreSQL (the event's workflow id and the worker's pid), so runs can be counted."""

from __future__ import annotations

import os
import threading
from typing import Any

import psycopg

from airudder import webhooks

RUNS_DB = "AIRUDDER_TEST_RUNS_DB"
receiver = webhooks.WebhookReceiver()
_local = threading.local()


@receiver.on("workflow_list_completed")  # its answer tells the event id and whether it was a duplicate
@receiver.on("workflow_status_changed")
def record(event: Any) -> None:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed or conn.broken:  # a database restart breaks it: the next attempt reconnects
        _local.conn = psycopg.connect(os.environ[RUNS_DB], autocommit=True)
    _local.conn.execute("INSERT INTO handler_runs (workflow_id, pid) VALUES (%s, %s)", (event.workflow_id, os.getpid()))
