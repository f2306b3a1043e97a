"""SQL of contacts and what happens to them: calls and WABA messages."""

from __future__ import annotations

import json
from dataclasses import astuple
from typing import Any

from . import records
from .records import Call, Contact, WabaMessage, WabaRecipient
from .store import Store

CALL_FILTERS = {
    "workflow_id": "c.workflow_id",
    "task_id": "c.task_id",
    "nodetask_id": "c.nodetask_id",
    "call_id": "c.call_id",
    "case_id": "k.case_id",
    "callee": "k.callee",
}
"""What the call search filters on: key -> column."""
OPEN = "('pending', 'in_progress')"


class ContactRows:
    store: Store

    def insert_contact(self, workflow_id: str, contact: dict[str, Any], list_name: str, now: float) -> int:
        """A pending contact (`case_id`, `callee`, `name`, `gender`; any other key kept as extra); its id."""
        extra = {k: v for k, v in contact.items() if k not in ("case_id", "callee", "name", "gender")}
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO contacts (workflow_id, case_id, callee, name, gender, list_name, status, created_at,"
                " extra) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    *(workflow_id, str(contact["case_id"]), str(contact["callee"])),
                    *(str(contact.get("name", "")), str(contact.get("gender", ""))),
                    *(list_name, "pending", now, json.dumps(extra)),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def contact(self, contact_id: int) -> Contact | None:
        row = self.store.one("SELECT * FROM contacts WHERE contact_id = ?", contact_id)
        return None if row is None else records.contact(row)

    def find_contact(self, workflow_id: str, callee: str, case_id: str | None) -> Contact | None:
        """The workflow's first contact with this callee (and case_id, if given)."""
        sql, args = "SELECT * FROM contacts WHERE workflow_id = ? AND callee = ?", [workflow_id, callee]
        if case_id is not None:
            sql, args = sql + " AND case_id = ?", [*args, case_id]
        row = self.store.one(sql + " ORDER BY contact_id LIMIT 1", *args)
        return None if row is None else records.contact(row)

    def set_contact_status(self, contact_id: int, status: str) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE contacts SET status = ? WHERE contact_id = ?", (status, contact_id))

    def cancel_open_contacts(self, workflow_id: str, list_name: str) -> int:
        """Cancel the contacts of one list that have not finished; how many."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "UPDATE contacts SET status = 'cancelled'"
                f" WHERE workflow_id = ? AND list_name = ? AND status IN {OPEN}",
                (workflow_id, list_name),
            )
        return cursor.rowcount

    def has_open_contacts(self, workflow_id: str) -> bool:
        """Whether any of the workflow's contacts is pending or in progress: one index probe (contacts_open), so
        asking after each contact finishes costs the same at the 100,000th as at the first."""
        sql = f"SELECT EXISTS (SELECT 1 FROM contacts WHERE workflow_id = ? AND status IN {OPEN})"
        return bool(self.store.scalar(sql, workflow_id))

    def insert_call(self, call: Call) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT INTO calls VALUES (?,?,?,?,?,?,?,?,?,?)", astuple(call))

    def call(self, call_id: str) -> Call | None:
        row = self.store.one("SELECT * FROM calls WHERE call_id = ?", call_id)
        return None if row is None else records.call(row)

    def search_calls(self, filters: dict[str, str], size: int, page: int) -> tuple[int, list[Call]]:
        """Newest first: how many calls match every filter (keys of CALL_FILTERS), and one page of them."""
        sql, args = "FROM calls c JOIN contacts k ON k.contact_id = c.contact_id WHERE 1=1", list[Any]()
        for key, value in filters.items():
            sql, args = f"{sql} AND {CALL_FILTERS[key]} = ?", [*args, value]
        with self.store.lock:  # the total and the page from the same state
            total = int(self.store.scalar(f"SELECT COUNT(*) {sql}", *args))
            rows = self.store.all(
                f"SELECT c.* {sql} ORDER BY c.start_time DESC, c.call_id LIMIT ? OFFSET ?",
                *args,
                size,
                min((page - 1) * size, total),
            )
        return total, [records.call(r) for r in rows]

    def insert_waba_message(self, workflow_id: str, task_id: str, nodetask_id: str, contact_id: int, at: float) -> int:
        """A WABA message waiting to be sent; its id."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO waba_messages (workflow_id, task_id, nodetask_id, contact_id, status, send_time)"
                " VALUES (?,?,?,?,'wait',?)",
                (workflow_id, task_id, nodetask_id, contact_id, at),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def waba_message(self, message_id: int) -> WabaMessage:
        row = self.store.one("SELECT * FROM waba_messages WHERE id = ?", message_id)
        assert row is not None, message_id
        return records.waba_message(row)

    def set_waba_status(self, message_id: int, status: str) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE waba_messages SET status = ? WHERE id = ?", (status, message_id))

    def waba_recipients(self, workflow_id: str, task_id: str) -> list[WabaRecipient]:
        rows = self.store.all(
            "SELECT m.*, c.case_id, c.callee FROM waba_messages m JOIN contacts c ON c.contact_id = m.contact_id"
            " WHERE m.workflow_id = ? AND m.task_id = ? ORDER BY m.id",
            workflow_id,
            task_id,
        )
        return [WabaRecipient(records.waba_message_of(dict(r)), str(r["case_id"]), str(r["callee"])) for r in rows]
